"""The crawl registry: every site spec that declares lists, with the operator's settings for it.

What a site declares (domains, article and list URL patterns, lists and their pagination,
script-paged lists, sitemaps, feeds) lives in its spec, `parsers/sites/<name>.py`, listed in
`parsers.registry`: the parser and the crawler read the same one. `flows/sites.toml` holds only
what an operator changes, keyed by site name: enabled, schedule, politeness (delay, concurrency,
how deep lists are walked), revisit policy, proxy; `[crawler]` holds the crawler-wide settings.
The file is validated on load so a typo fails at once with the site and key named, not mid-crawl.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flows.cron import CronError, validate_cron
from parsers.base import SiteParser, on_domains
from parsers.crawlspec import NEXT_LINK, NO_PAGINATION, PagedList, SiteSources
from parsers.registry import site_parsers
from warehouse.settings import Settings

DEFAULT_FILE = Path(__file__).with_name("sites.toml")


class SitesError(ValueError):
    """The sites file is invalid; the message names the file, the site and the key."""


@dataclass(frozen=True, slots=True)
class CrawlerSettings:
    """Crawler-wide settings: identity, limits, retries, where the WARC files go."""

    contact: str = "https://example.org/regionews"
    user_agent: str = "regionews/0.1 (+{contact}; research crawler)"
    timeout: float = 20.0  # seconds for connect, each read, and the pool
    max_bytes: int = 5_000_000  # body size cap, enforced while streaming
    max_redirects: int = 5
    retries: int = 3  # attempts after the first, on connect errors, timeouts, 429 and 5xx
    backoff: float = 1.0  # first retry waits about this long, then doubles (with jitter)
    backoff_max: float = 60.0
    max_retry_after: float = 120.0  # a Retry-After longer than this is a failure, not a wait
    content_types: tuple[str, ...] = ("text/html", "application/xhtml+xml")
    obey_robots: bool = True
    warc_max_bytes: int = 100_000_000  # rotate to a new WARC file past this size
    batch_size: int = 50  # pages per parse+write batch

    @property
    def agent(self) -> str:
        return self.user_agent.format(contact=self.contact)


@dataclass(frozen=True, slots=True)
class RevisitPolicy:
    """When known articles are fetched again (an operator's choice: load on the site vs freshness).

    An article younger than `fresh_days` (by publish date, else first seen) is revisited every
    `fresh_every_days`, then every `every_days` until it is `max_age_days` old; 0 turns it off.
    A withdrawn article is looked at every `every_days` at any age up to `max_age_days`, so one
    that comes back is seen.
    """

    fresh_days: int = 30
    fresh_every_days: int = 1
    every_days: int = 30
    max_age_days: int = 365

    @property
    def enabled(self) -> bool:
        return self.max_age_days > 0

    def describe(self) -> str:
        if not self.enabled:
            return "no revisits"
        return (
            f"every {self.fresh_every_days}d for {self.fresh_days}d, "
            f"then every {self.every_days}d until {self.max_age_days}d old "
            f"(withdrawn ones every {self.every_days}d)"
        )


@dataclass(frozen=True, slots=True)
class Site:
    """One site to crawl: what its spec declares, and how the operator wants it crawled."""

    spec: SiteParser  # parsers/sites/<name>.py: domains, URL patterns, lists, sitemaps, feeds
    name: str = ""  # the spec's name; "urls:<host>" for a host met only in a URL list
    allowed_domains: tuple[str, ...] = ()  # the spec's domains (a host or any subdomain of it)
    sources: SiteSources | None = None  # the spec's lists, sitemaps and feeds
    base_url: str = ""  # the spec's base_url: the site's root (robots.txt lives there)
    delay: float = 2.0  # seconds between request starts on one host
    concurrency: int = 1  # requests in flight per host
    schedule: str = "17 */6 * * *"
    enabled: bool = True
    max_list_pages: int = 10  # pagination stops after this many pages of one list
    max_age_days: int = 0  # stop a list when all its articles are older (0: no age limit)
    revisit: RevisitPolicy = RevisitPolicy()
    proxy: str | None = None  # e.g. http://127.0.0.1:3128; else the standard *_PROXY variables apply

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", self.name or self.spec.name)
        object.__setattr__(self, "allowed_domains", self.allowed_domains or self.spec.domains)
        if self.sources is None:
            object.__setattr__(self, "sources", self.spec.sources())
        if not self.base_url:
            object.__setattr__(self, "base_url", self.spec.base_url or f"http://{self.allowed_domains[0]}")

    @property
    def parser(self) -> str:
        return self.spec.name

    @property
    def charset(self) -> str | None:
        return self.spec.charset

    @property
    def article_pattern(self) -> re.Pattern[str]:
        return re.compile(self.spec.article_url)

    @property
    def lists(self) -> tuple[str, ...]:
        """The URLs of every list (HTML and script-paged)."""
        return self.sources.list_urls  # type: ignore[union-attr]

    def allows(self, url: str) -> bool:
        """True if the URL's host is one of the allowed domains or a subdomain of one."""
        return on_domains(url, self.allowed_domains)

    def is_article(self, url: str) -> bool:
        """An article link to queue: on the site, an article URL, a story's first part."""
        return self.allows(url) and self.spec.is_article_page(url) and self.spec.article_key(url)[1] == 1

    def in_scope(self, url: str, list_url: str) -> bool:
        """Whether an article link found on `list_url` belongs to that list (the spec's `link_scope`)."""
        if self.spec.link_scope == "site":
            return True
        folder = urlsplit(list_url).path.rsplit("/", 1)[0] + "/"
        return urlsplit(url).netloc == urlsplit(list_url).netloc and urlsplit(url).path.startswith(folder)

    def hosts(self) -> tuple[str, ...]:
        sources: SiteSources = self.sources  # type: ignore[assignment]
        urls = (self.base_url, *self.lists, *sources.sitemaps, *sources.feeds)
        return tuple(dict.fromkeys(urlsplit(u).netloc for u in urls))


@dataclass(frozen=True, slots=True)
class Registry:
    settings: CrawlerSettings
    sites: tuple[Site, ...] = field(default=())

    def get(self, name: str) -> Site:
        for site in self.sites:
            if site.name == name:
                return site
        raise SitesError(f"no site named {name!r}; known: {', '.join(s.name for s in self.sites)}")

    def select(self, names: list[str] | tuple[str, ...] | None = None) -> tuple[Site, ...]:
        """The named sites (enabled or not), or every enabled site when no names are given."""
        if names:
            return tuple(self.get(n) for n in names)
        return tuple(s for s in self.sites if s.enabled)

    def with_settings(self, **changes: Any) -> Registry:
        return replace(self, settings=replace(self.settings, **changes))

    def with_delay(self, delay: float) -> Registry:
        """Every site with the same delay between requests (the CLI's --delay)."""
        return replace(self, sites=tuple(replace(s, delay=delay) for s in self.sites))

    def impolite(self, concurrency: int = 8) -> Registry:
        """The same sites with no delay and more concurrency: for benchmarks against our replica only."""
        sites = tuple(replace(s, delay=0.0, concurrency=concurrency) for s in self.sites)
        return replace(self, sites=sites)


_SETTINGS_KEYS = {f: t for f, t in CrawlerSettings.__annotations__.items()}
_REVISIT_KEYS = set(RevisitPolicy.__slots__)
# What an operator sets per site (and in [defaults]); everything else about a site is its spec's.
_OPERATOR_KEYS = {
    "enabled", "schedule", "delay", "concurrency", "max_list_pages", "max_age_days", "revisit", "proxy",
}  # fmt: skip
_DECLARED_KEYS = {
    "parser", "base_url", "lists", "article_pattern", "allowed_domains", "pagination", "charset",
    "link_scope", "script_lists", "sitemaps", "robots_sitemaps", "feeds", "name",
}  # fmt: skip


_DEFAULT = {f.name: f.default for f in fields(Site)}


def _err(where: str, message: str) -> SitesError:
    return SitesError(f"{where}: {message}")


def _settings(raw: dict[str, Any], where: str) -> CrawlerSettings:
    unknown = set(raw) - set(_SETTINGS_KEYS)
    if unknown:
        raise _err(where, f"unknown key(s) {sorted(unknown)}; known: {sorted(_SETTINGS_KEYS)}")
    values = dict(raw)
    if "content_types" in values:
        values["content_types"] = tuple(values["content_types"])
    settings = CrawlerSettings(**values)
    contact_url = Settings.from_env().contact_url
    if contact_url:
        settings = replace(settings, contact=contact_url)
    for name in ("timeout", "backoff", "backoff_max", "max_retry_after"):
        if not isinstance(getattr(settings, name), int | float) or getattr(settings, name) < 0:
            raise _err(where, f"{name} must be a number >= 0")
    for name in ("max_bytes", "max_redirects", "retries", "warc_max_bytes", "batch_size"):
        if not isinstance(getattr(settings, name), int) or getattr(settings, name) < 0:
            raise _err(where, f"{name} must be an integer >= 0")
    if "{contact}" not in settings.user_agent and settings.contact not in settings.user_agent:
        raise _err(where, "user_agent must name the contact URL (use {contact})")
    return settings


def _url(value: Any, where: str, key: str) -> str:
    if (
        not isinstance(value, str)
        or urlsplit(value).scheme not in ("http", "https")
        or not urlsplit(value).netloc
    ):
        raise _err(where, f"{key} must be an absolute http(s) URL, got {value!r}")
    return value


def _revisit(raw: Any, where: str) -> RevisitPolicy:
    if not isinstance(raw, dict):
        raise _err(where, "revisit must be a table, e.g. { fresh_days = 30, every_days = 30 }")
    unknown = set(raw) - _REVISIT_KEYS
    if unknown:
        raise _err(where, f"revisit: unknown key(s) {sorted(unknown)}; known: {sorted(_REVISIT_KEYS)}")
    for key, value in raw.items():
        if not isinstance(value, int) or value < 0 or (key.endswith("every_days") and value < 1):
            raise _err(where, f"revisit.{key} must be a whole number of days, got {value!r}")
    return RevisitPolicy(**raw)


_SCRIPT_CHOICES = {
    "method": ("GET", "POST"), "paging_in": ("query", "form"), "offset": ("record", "page"),
    "format": ("xml", "json"),
}  # fmt: skip


def _check_spec(spec: SiteParser, where: str) -> None:
    """What the crawler relies on in a spec: lists it can page, and every way in on the spec's domains."""
    where = f"{where} (spec {_module_path(spec)})"
    if not spec.domains:
        raise _err(where, f"the spec {spec.name!r} declares no domains")
    sources = spec.sources()
    for lst in sources.lists:
        if isinstance(lst, PagedList):
            if lst.pagination not in (NEXT_LINK, NO_PAGINATION) and "{n}" not in lst.pagination:
                why = "pagination must be NEXT_LINK, NO_PAGINATION or a template with {n}"
                raise _err(where, f"{why}: {lst}")
            continue
        for key, allowed in _SCRIPT_CHOICES.items():
            value = getattr(lst, key)
            if value not in allowed:
                raise _err(where, f"{key} must be one of {list(allowed)}, got {value!r}: {lst.url}")
        for key in ("first", "window", "per_page"):
            value = getattr(lst, key)
            if not isinstance(value, int) or value < (0 if key == "first" else 1):
                raise _err(where, f"{key} must be a positive integer, got {value!r}: {lst.url}")
    base = (spec.base_url,) if spec.base_url else ()
    for url in (*base, *sources.list_urls, *sources.sitemaps, *sources.feeds):
        if urlsplit(url).scheme not in ("http", "https") or not spec.allows(url):
            raise _err(where, f"{url!r} is not an http(s) URL on the spec's domains {list(spec.domains)}")


def _site(spec: SiteParser, raw: dict[str, Any], defaults: dict[str, Any], where: str) -> Site:
    values = {**defaults, **raw}
    if isinstance(defaults.get("revisit"), dict) and isinstance(raw.get("revisit"), dict):
        values["revisit"] = {**defaults["revisit"], **raw["revisit"]}
    _check_spec(spec, where)
    try:
        schedule = validate_cron(str(values.get("schedule", _DEFAULT["schedule"])))
    except CronError as exc:
        raise _err(where, f"bad cron schedule: {exc}") from None
    delay, concurrency = (
        values.get("delay", _DEFAULT["delay"]),
        values.get("concurrency", _DEFAULT["concurrency"]),
    )
    if not isinstance(delay, int | float) or delay < 0:
        raise _err(where, f"delay must be a number of seconds >= 0, got {delay!r}")
    if not isinstance(concurrency, int) or concurrency < 1:
        raise _err(where, f"concurrency must be an integer >= 1, got {concurrency!r}")
    for key in ("max_list_pages", "max_age_days"):
        if not isinstance(values.get(key, 0), int) or values.get(key, 0) < 0:
            raise _err(where, f"{key} must be a whole number >= 0, got {values[key]!r}")
    enabled = values.get("enabled", True)
    if not isinstance(enabled, bool):
        raise _err(where, f"enabled must be true or false, got {enabled!r}")
    proxy = values.get("proxy")
    if proxy is not None:
        proxy = _url(proxy, where, "proxy") if proxy else None
    return Site(
        spec,
        delay=float(delay),
        concurrency=concurrency,
        schedule=schedule,
        enabled=enabled,
        max_list_pages=int(values.get("max_list_pages", _DEFAULT["max_list_pages"])),
        max_age_days=int(values.get("max_age_days", _DEFAULT["max_age_days"])),
        revisit=_revisit(values.get("revisit", {}), where),
        proxy=proxy,
    )


def _operator_table(raw: Any, where: str, spec_module: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise _err(where, "must be a table of operator settings")
    declared = sorted(set(raw) & _DECLARED_KEYS)
    if declared:
        raise _err(
            where, f"{declared} are declared by the site's spec ({spec_module}), not in the sites file"
        )
    unknown = sorted(set(raw) - _OPERATOR_KEYS)
    if unknown:
        raise _err(where, f"unknown key(s) {unknown}; an operator sets {sorted(_OPERATOR_KEYS)}")
    return raw


def _module_path(spec: SiteParser) -> str:
    return type(spec).__module__.replace(".", "/") + ".py"


def crawlable(specs: Sequence[SiteParser]) -> tuple[SiteParser, ...]:
    """The specs that declare a way in (lists, sitemaps or feeds): the sites there are to crawl."""
    return tuple(s for s in specs if s.lists or s.sitemaps or s.feeds or s.robots_sitemaps)


def parse_sites(text: str, source: str = "sites.toml", specs: Sequence[SiteParser] | None = None) -> Registry:
    """Validate the TOML text of a sites file and build the registry.

    Every spec among `specs` (default: `parsers.registry`'s) that declares lists, sitemaps or feeds
    is a site, crawled with `[defaults]`; a `[sites.<name>]` table changes the operator's settings
    of that one site. A table naming no such spec is an error, so the file cannot drift from the specs.
    """
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SitesError(f"{source}: not valid TOML: {exc}") from None
    unknown = set(raw) - {"crawler", "defaults", "sites"}
    if unknown:
        raise SitesError(
            f"{source}: unknown table(s) {sorted(unknown)}; expected [crawler], [defaults], [sites.<name>]"
        )
    tables = raw.get("sites", {})
    if not isinstance(tables, dict):
        raise SitesError(
            f"{source}: sites are keyed by name, [sites.<name>] with operator settings only; what a site "
            "declares (lists, URL patterns, domains) lives in its spec, parsers/sites/<name>.py"
        )
    defaults = _operator_table(raw.get("defaults", {}), f"{source} [defaults]", "parsers/sites/<name>.py")
    settings = _settings(raw.get("crawler", {}), f"{source} [crawler]")
    by_name = {s.name: s for s in crawlable(site_parsers() if specs is None else specs)}
    for name in tables:
        if name not in by_name:
            raise _err(
                f"{source} [sites.{name}]",
                f"no site spec named {name!r} declares lists, sitemaps or feeds; known: {', '.join(by_name)}",
            )
    sites = []
    for name, spec in by_name.items():
        where = f"{source} [sites.{name}]"
        table = _operator_table(tables.get(name, {}), where, _module_path(spec))
        sites.append(_site(spec, table, defaults, where))
    return Registry(settings=settings, sites=tuple(sites))


def load_sites(path: str | Path | None = None, specs: Sequence[SiteParser] | None = None) -> Registry:
    """Read and validate a sites file (default: REGIONEWS_SITES, else flows/sites.toml)."""
    path = Path(path or Settings.from_env().sites_file or DEFAULT_FILE)
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise SitesError(f"cannot read sites file {path}: {exc.strerror}") from None
    return parse_sites(text, str(path), specs)
