"""The sites registry: which sites to crawl and how, read from a declarative TOML file.

Everything a crawl needs to know about a site is data in `flows/sites.toml`: what the site
declares (list pages and their pagination, script-paged lists, sitemaps, feeds, article URL
pattern, allowed domains; built as `parsers.crawlspec` records, which will move into the
site's parser spec) and what an operator sets (politeness, schedule, revisit policy, proxy).
The file is validated on load so a typo fails at once with the site and key named, not mid-crawl.
"""

from __future__ import annotations

import codecs
import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flows.cron import CronError, validate_cron
from parsers.crawlspec import NEXT_LINK, NO_PAGINATION, PagedList, ScriptList, SiteSources
from parsers.registry import by_name

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
    """One site to crawl. URLs are absolute; `base_url` is the site's root."""

    name: str
    parser: str
    base_url: str
    sources: SiteSources  # lists, script lists, sitemaps, feeds: what the site declares
    article_pattern: re.Pattern[str]
    allowed_domains: tuple[str, ...]
    charset: str | None = None  # what the site is expected to send; informational
    delay: float = 2.0  # seconds between request starts on one host
    concurrency: int = 1  # requests in flight per host
    schedule: str = "17 */6 * * *"
    enabled: bool = True
    max_list_pages: int = 10  # pagination stops after this many pages of one list
    max_age_days: int = 0  # stop a list when all its articles are older (0: no age limit)
    link_scope: str = "site"  # "column": only articles under the list page's own folder (skips sidebars)
    revisit: RevisitPolicy = RevisitPolicy()
    proxy: str | None = None  # e.g. http://127.0.0.1:3128; else the standard *_PROXY variables apply

    @property
    def lists(self) -> tuple[str, ...]:
        """The URLs of every list (HTML and script-paged)."""
        return self.sources.list_urls

    def allows(self, url: str) -> bool:
        """True if the URL's host is one of the allowed domains or a subdomain of one."""
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)

    def is_article(self, url: str) -> bool:
        return self.allows(url) and self.article_pattern.search(url) is not None

    def in_scope(self, url: str, list_url: str) -> bool:
        """Whether an article link found on `list_url` belongs to that list (see `link_scope`)."""
        if self.link_scope == "site":
            return True
        folder = urlsplit(list_url).path.rsplit("/", 1)[0] + "/"
        return urlsplit(url).netloc == urlsplit(list_url).netloc and urlsplit(url).path.startswith(folder)

    def hosts(self) -> tuple[str, ...]:
        urls = (self.base_url, *self.lists, *self.sources.sitemaps, *self.sources.feeds)
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
_SITE_KEYS = {
    "name", "parser", "base_url", "lists", "article_pattern", "allowed_domains", "pagination", "charset",
    "delay", "concurrency", "schedule", "enabled", "max_list_pages", "max_age_days", "link_scope",
    "script_lists", "sitemaps", "robots_sitemaps", "feeds", "revisit", "proxy",
}  # fmt: skip
_SCRIPT_LIST_KEYS = set(ScriptList.__slots__)
_REVISIT_KEYS = set(RevisitPolicy.__slots__)
_SITE_DEFAULTS = {
    "delay": 2.0,
    "concurrency": 1,
    "schedule": "17 */6 * * *",
    "max_list_pages": 10,
    "max_age_days": 0,
}
_DEFAULT_KEYS = {
    "delay",
    "concurrency",
    "schedule",
    "enabled",
    "max_list_pages",
    "max_age_days",
    "pagination",
    "revisit",
    "proxy",
}


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
    if os.environ.get("REGIONEWS_CONTACT_URL"):  # the same variable flows.settings reads
        settings = replace(settings, contact=os.environ["REGIONEWS_CONTACT_URL"])
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


def _absolute(base_url: str, url: Any) -> Any:
    """A URL relative to the site's base_url made absolute; anything else as it is (for the error)."""
    if isinstance(url, str) and not urlsplit(url).scheme:
        return base_url.rstrip("/") + "/" + url.lstrip("/")
    return url


def _list_of(values: dict[str, Any], key: str, kind: type, where: str) -> list:
    items = values.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, kind) for i in items):
        raise _err(where, f"{key} must be a list of {'tables' if kind is dict else 'strings'}")
    return items


def _bool(values: dict[str, Any], key: str, where: str) -> bool:
    value = values.get(key, False)
    if not isinstance(value, bool):
        raise _err(where, f"{key} must be true or false, got {value!r}")
    return value


def _script_list(raw: dict[str, Any], base_url: str, where: str) -> ScriptList:
    """A script-paged list from its table, checked field by field."""
    unknown = set(raw) - _SCRIPT_LIST_KEYS
    if unknown:
        raise _err(where, f"unknown key(s) {sorted(unknown)}; known: {sorted(_SCRIPT_LIST_KEYS)}")
    if "url" not in raw:
        raise _err(where, "missing key 'url' (the list endpoint)")
    values = dict(raw)
    values["url"] = _url(_absolute(base_url, raw["url"]), where, "url")
    form = values.get("form", {})
    if not isinstance(form, dict):
        raise _err(where, "form must be a table of field = value")
    values["form"] = tuple((str(k), str(v)) for k, v in form.items())
    choices = {"method": ("GET", "POST"), "paging_in": ("query", "form"), "offset": ("record", "page"),
               "format": ("xml", "json")}  # fmt: skip
    for key, allowed in choices.items():
        if key in values and values[key] not in allowed:
            raise _err(where, f"{key} must be one of {list(allowed)}, got {values[key]!r}")
    for key in ("first", "window", "per_page"):
        if key in values and (not isinstance(values[key], int) or values[key] < (0 if key == "first" else 1)):
            raise _err(where, f"{key} must be a positive integer, got {values[key]!r}")
    try:
        return ScriptList(**values)
    except TypeError as exc:
        raise _err(where, str(exc)) from None


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


def _site(raw: dict[str, Any], defaults: dict[str, Any], where: str) -> Site:
    unknown = set(raw) - _SITE_KEYS
    if unknown:
        raise _err(where, f"unknown key(s) {sorted(unknown)}; known: {sorted(_SITE_KEYS)}")
    values = {**defaults, **raw}
    if isinstance(defaults.get("revisit"), dict) and isinstance(raw.get("revisit"), dict):
        values["revisit"] = {**defaults["revisit"], **raw["revisit"]}
    for key in ("name", "parser", "base_url", "lists", "article_pattern"):
        if key not in values:
            raise _err(where, f"missing key {key!r}")
    name = values["name"]
    if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise _err(where, f"name must be lowercase letters, digits and _, got {name!r}")
    where = f"{where} ({name})"
    try:
        by_name(values["parser"])
    except KeyError as exc:
        raise _err(where, f"unknown parser: {exc.args[0]}") from None
    base_url = _url(values["base_url"], where, "base_url")
    if not isinstance(values["lists"], list) or not (values["lists"] or values.get("script_lists")):
        raise _err(where, "lists must be a list of list-page URLs (empty only beside script_lists)")
    # List entries may be absolute or relative to base_url.
    lists = tuple(_url(_absolute(base_url, u), where, "lists") for u in values["lists"])
    try:
        pattern = re.compile(values["article_pattern"])
    except (re.error, TypeError) as exc:
        raise _err(where, f"bad article_pattern regex {values['article_pattern']!r}: {exc}") from None
    domains = values.get("allowed_domains") or [urlsplit(base_url).hostname]
    if not isinstance(domains, list) or not all(isinstance(d, str) and d for d in domains):
        raise _err(where, "allowed_domains must be a list of host names")
    pagination = values.get("pagination", NO_PAGINATION)
    if pagination not in (NEXT_LINK, NO_PAGINATION) and "{n}" not in str(pagination):
        raise _err(
            where, f"pagination must be 'next_link', 'none' or a template with {{n}}, got {pagination!r}"
        )
    link_scope = values.get("link_scope", "site")
    if link_scope not in ("site", "column"):
        raise _err(where, f"link_scope must be 'site' or 'column', got {link_scope!r}")
    charset = values.get("charset")
    if charset is not None:
        try:
            codecs.lookup(charset)
        except LookupError:
            raise _err(where, f"unknown charset {charset!r}") from None
    try:
        schedule = validate_cron(str(values.get("schedule", _SITE_DEFAULTS["schedule"])))
    except CronError as exc:
        raise _err(where, f"bad cron schedule: {exc}") from None
    delay, concurrency = (
        values.get("delay", _SITE_DEFAULTS["delay"]),
        values.get("concurrency", _SITE_DEFAULTS["concurrency"]),
    )
    if not isinstance(delay, int | float) or delay < 0:
        raise _err(where, f"delay must be a number of seconds >= 0, got {delay!r}")
    if not isinstance(concurrency, int) or concurrency < 1:
        raise _err(where, f"concurrency must be an integer >= 1, got {concurrency!r}")
    sources = SiteSources(
        lists=(
            *(PagedList(u, pagination) for u in lists),
            *(_script_list(raw, base_url, f"{where} script_lists #{i + 1}")
              for i, raw in enumerate(_list_of(values, "script_lists", dict, where))),
        ),
        sitemaps=tuple(_url(_absolute(base_url, u), where, "sitemaps")
                       for u in _list_of(values, "sitemaps", str, where)),
        robots_sitemaps=_bool(values, "robots_sitemaps", where),
        feeds=tuple(_url(_absolute(base_url, u), where, "feeds")
                    for u in _list_of(values, "feeds", str, where)),
    )  # fmt: skip
    proxy = values.get("proxy")
    if proxy is not None:
        proxy = _url(proxy, where, "proxy") if proxy else None
    site = Site(
        name=name,
        parser=values["parser"],
        base_url=base_url,
        sources=sources,
        article_pattern=pattern,
        allowed_domains=tuple(d.lower() for d in domains),
        charset=charset,
        delay=float(delay),
        concurrency=concurrency,
        schedule=schedule,
        enabled=bool(values.get("enabled", True)),
        max_list_pages=int(values.get("max_list_pages", _SITE_DEFAULTS["max_list_pages"])),
        max_age_days=int(values.get("max_age_days", _SITE_DEFAULTS["max_age_days"])),
        link_scope=link_scope,
        revisit=_revisit(values.get("revisit", {}), where),
        proxy=proxy,
    )
    for url in (base_url, *site.lists, *sources.sitemaps, *sources.feeds):
        if not site.allows(url):
            raise _err(where, f"{url} is not on the allowed domains {list(site.allowed_domains)}")
    return site


def parse_sites(text: str, source: str = "sites.toml") -> Registry:
    """Validate the TOML text of a sites file and build the registry."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SitesError(f"{source}: not valid TOML: {exc}") from None
    unknown = set(raw) - {"crawler", "defaults", "sites"}
    if unknown:
        raise SitesError(
            f"{source}: unknown table(s) {sorted(unknown)}; expected [crawler], [defaults], [[sites]]"
        )
    defaults = raw.get("defaults", {})
    bad_defaults = set(defaults) - _DEFAULT_KEYS
    if bad_defaults:
        raise SitesError(f"{source} [defaults]: unknown key(s) {sorted(bad_defaults)}")
    settings = _settings(raw.get("crawler", {}), f"{source} [crawler]")
    sites = tuple(
        _site(s, defaults, f"{source} [[sites]] #{i + 1}") for i, s in enumerate(raw.get("sites", []))
    )
    names = [s.name for s in sites]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise SitesError(f"{source}: site names used twice: {duplicates}")
    return Registry(settings=settings, sites=sites)


def load_sites(path: str | Path | None = None) -> Registry:
    """Read and validate a sites file (default: REGIONEWS_SITES, else flows/sites.toml)."""
    path = Path(path or os.environ.get("REGIONEWS_SITES") or DEFAULT_FILE)
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise SitesError(f"cannot read sites file {path}: {exc.strerror}") from None
    return parse_sites(text, str(path))
