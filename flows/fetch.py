"""The polite HTTP client: one shared httpx.AsyncClient, per-host manners, every response archived.

What "polite" means here (Scrapy's defaults, plus what a small research crawler owes a
county news site): a User-Agent that names regionews and a contact URL; robots.txt obeyed,
its Crawl-delay included; a delay between request starts and a cap on requests in flight,
per host; retries only where retrying can help (connection errors, timeouts, 429, 5xx),
with exponential backoff, jitter and Retry-After honoured; conditional GETs so an unchanged
page costs a 304. Redirects are followed by hand so none can lead off the allowed domains.

Proxies: a site's `proxy` setting, else the standard environment variables (`HTTP_PROXY`,
`HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`, any case), as curl and requests read them. One
client per proxy, so sites with and without one share the process.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit
from urllib.request import getproxies_environment, proxy_bypass_environment

import httpx
from protego import Protego

from flows.archive import WarcArchive
from flows.sites import CrawlerSettings, Site
from parsers.records import Failure, Page

REDIRECTS = {301, 302, 303, 307, 308}
HTML_ROLES = ("article", "list")  # fetched only when HTML; sitemaps, feeds and script lists are XML/JSON
ROBOTS_TOKEN = "regionews"  # the product token robots.txt rules are matched against


@dataclass(frozen=True, slots=True)
class Fetched:
    """What became of one URL: a page, "unchanged" (a 304), or a failure with a reason."""

    url: str
    outcome: Literal["ok", "unchanged", "failed"]
    page: Page | None = None
    status: int | None = None
    reason: str = ""  # short and groupable, e.g. "fetch: http 404"
    detail: str = ""
    body: bytes | None = None  # what a failed response carried, kept with the failure
    attempts: int = 0
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def failure(self, site: str | None) -> Failure:
        body = self.body if self.body else None
        return Failure(
            url=self.url,
            stage="fetch",
            reason=self.reason,
            detail=self.detail,
            page_sha256=Page(self.url, body).sha256 if body else "",
            site=site,
            seen_at=self.fetched_at,
            body=body,
        )


@dataclass(slots=True)
class _Response:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    fetched_at: datetime
    truncated: str = ""  # why the body is incomplete: "" when it is whole
    location: str | None = None  # WARC file
    offset: int | None = None

    def header(self, name: str) -> str | None:
        lname = name.lower()
        return next((v for k, v in self.headers if k.lower() == lname), None)


class _Failed(Exception):
    def __init__(self, reason: str, detail: str = "", response: _Response | None = None) -> None:
        super().__init__(reason)
        self.reason, self.detail, self.response = reason, detail, response


class HostGate:
    """Per-host manners: at most `concurrency` requests in flight, starts `delay` seconds apart."""

    def __init__(self, delay: float, concurrency: int) -> None:
        self.delay = delay
        self._sem = asyncio.Semaphore(concurrency)
        self._lock = asyncio.Lock()
        self._next_at = 0.0

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self._sem:
            async with self._lock:
                wait = self._next_at - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                self._next_at = time.monotonic() + self.delay
            yield


class ConnectTo(httpx.AsyncBaseTransport):
    """Send every request to one address while keeping its URL and Host header (like curl --connect-to).

    This is how a crawl is pointed at the replica server: URLs, routing to parsers and the
    warehouse stay exactly as they would be against the real sites.
    """

    def __init__(self, target: str, inner: httpx.AsyncBaseTransport) -> None:
        parts = urlsplit(target)
        if not parts.hostname:
            raise ValueError(f"connect-to target must be a URL like http://127.0.0.1:8765, got {target!r}")
        self.scheme, self.host, self.port = parts.scheme or "http", parts.hostname, parts.port
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(scheme=self.scheme, host=self.host, port=self.port)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))  # delta-seconds (fractions accepted, though the RFC says integers)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def proxy_for(url: str, site_proxy: str | None, env: dict[str, str] | None = None) -> str | None:
    """The proxy a request to `url` goes through: the site's own, else the environment's, else none."""
    if site_proxy:
        return site_proxy
    proxies = getproxies_environment() if env is None else env
    parts = urlsplit(url)
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    if not proxy:
        return None
    if proxy_bypass_environment(parts.hostname or "", proxies):  # NO_PROXY
        return None
    return proxy if "://" in proxy else "http://" + proxy


def _strip_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(fragment=""))


class Fetcher:
    """The crawler's one HTTP client: `async with Fetcher(settings, archive) as f: await f.fetch(...)`."""

    def __init__(
        self,
        settings: CrawlerSettings,
        archive: WarcArchive | None = None,
        *,
        connect_to: str | None = None,
        polite: bool = True,
    ) -> None:
        self.settings = settings
        self.archive = archive
        self.connect_to = connect_to
        self.polite = polite
        self.client: httpx.AsyncClient | None = None  # direct; proxied clients are in _proxied
        self._proxied: dict[str, httpx.AsyncClient] = {}
        self._gates: dict[str, HostGate] = {}
        self._robots: dict[str, Protego | str] = {}  # host -> rules, or the reason all is disallowed
        self._robots_locks: dict[str, asyncio.Lock] = {}
        self.stats: Counter[str] = Counter()
        self.site_stats: dict[str, Counter[str]] = {}  # site name -> requests, retries

    def _new_client(self, proxy: str | None) -> httpx.AsyncClient:
        s = self.settings
        # An explicit transport makes httpx ignore the proxy variables: proxies are chosen in proxy_for.
        transport: httpx.AsyncBaseTransport = httpx.AsyncHTTPTransport(retries=0, proxy=proxy)
        if self.connect_to:
            transport = ConnectTo(self.connect_to, transport)
        return httpx.AsyncClient(
            transport=transport,
            timeout=httpx.Timeout(s.timeout),
            follow_redirects=False,
            headers={"User-Agent": s.agent, "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"},
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
        )

    async def __aenter__(self) -> Fetcher:
        self.client = self._new_client(None)
        return self

    async def __aexit__(self, *exc: object) -> None:
        for client in [self.client, *self._proxied.values()]:
            if client is not None:
                await client.aclose()
        self.client = None
        self._proxied.clear()

    def _client_for(self, url: str, site: Site) -> httpx.AsyncClient:
        """The direct client, or the one for the proxy this URL goes through (--connect-to: none)."""
        assert self.client is not None, "use Fetcher as an async context manager"
        proxy = None if self.connect_to else proxy_for(url, site.proxy)
        if proxy is None:
            return self.client
        client = self._proxied.get(proxy)
        if client is None:
            client = self._proxied[proxy] = self._new_client(proxy)
        return client

    # -- manners -----------------------------------------------------------------------

    def _gate(self, host: str, site: Site) -> HostGate:
        gate = self._gates.get(host)
        if gate is None:
            delay = site.delay if self.polite else 0.0
            gate = self._gates[host] = HostGate(delay, site.concurrency)
        return gate

    async def _robots_for(self, url: str, site: Site) -> Protego | str:
        parts = urlsplit(url)
        host = parts.netloc
        if host in self._robots:
            return self._robots[host]
        lock = self._robots_locks.setdefault(host, asyncio.Lock())
        async with lock:
            if host in self._robots:
                return self._robots[host]
            robots_url = urlunsplit((parts.scheme, host, "/robots.txt", "", ""))
            try:
                resp = await self._get_with_retries(robots_url, site, {}, role="robots")
                for _ in range(self.settings.max_redirects):  # e.g. http -> https, on the allowed domains
                    target = resp.header("location") if resp.status in REDIRECTS else None
                    if not target or not site.allows(urljoin(robots_url, target)):
                        break
                    resp = await self._get_with_retries(urljoin(robots_url, target), site, {}, role="robots")
            except _Failed as exc:
                rules: Protego | str = f"robots.txt unavailable ({exc.reason.removeprefix('fetch: ')})"
            else:
                if 200 <= resp.status < 300:
                    rules = Protego.parse(resp.body.decode("utf-8", "replace"))
                elif 400 <= resp.status < 500:
                    rules = Protego.parse("")  # no robots.txt: everything allowed
                else:
                    rules = f"robots.txt unavailable (http {resp.status})"
            if isinstance(rules, Protego) and self.polite:
                delay = rules.crawl_delay(ROBOTS_TOKEN)
                if delay:
                    gate = self._gate(host, site)
                    gate.delay = max(gate.delay, float(delay))
            self._robots[host] = rules
            return rules

    async def robots_sitemaps(self, url: str, site: Site) -> list[str]:
        """The `Sitemap:` URLs of the robots.txt of the URL's host (none if it could not be read)."""
        rules = await self._robots_for(url, site)
        return [] if isinstance(rules, str) else list(rules.sitemaps)

    async def robots_allows(self, url: str, site: Site) -> str | None:
        """None if robots.txt lets us fetch the URL, else the reason it does not."""
        if not self.settings.obey_robots:
            return None
        rules = await self._robots_for(url, site)
        if isinstance(rules, str):
            return rules
        return None if rules.can_fetch(url, ROBOTS_TOKEN) else "disallowed by robots.txt"

    # -- one request, then retries -------------------------------------------------------

    async def _get_once(
        self,
        client: httpx.AsyncClient,
        url: str,
        headers: dict[str, str],
        html_only: bool = True,
        form: tuple[tuple[str, str], ...] | None = None,
    ) -> _Response:
        s = self.settings
        fetched_at = datetime.now(UTC)
        if form is None:
            request = client.stream("GET", url, headers=headers)
        else:
            posted = {**headers, "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"}
            request = client.stream("POST", url, headers=posted, content=urlencode(form).encode())
        async with request as resp:
            out = _Response(
                resp.status_code, resp.reason_phrase, list(resp.headers.multi_items()), b"", fetched_at
            )
            length = resp.headers.get("content-length")
            ctype = (resp.headers.get("content-type") or "").split(";")[0].strip().lower()
            if html_only and resp.status_code == 200 and ctype and ctype not in s.content_types:
                out.truncated = f"content-type {ctype} is not HTML"
                return out
            if length and length.isdigit() and int(length) > s.max_bytes:
                out.truncated = f"body over {s.max_bytes} bytes (Content-Length {length})"
                return out
            chunks, size = [], 0
            async for chunk in resp.aiter_bytes():
                size += len(chunk)
                if size > s.max_bytes:
                    chunks.append(chunk[: len(chunk) - (size - s.max_bytes)])
                    out.truncated = f"body over {s.max_bytes} bytes"
                    break
                chunks.append(chunk)
            out.body = b"".join(chunks)
            return out

    def _archive(self, url: str, resp: _Response, role: str, requested: str | None) -> None:
        if self.archive is None:
            return
        resp.location, resp.offset = self.archive.write_response(
            url,
            resp.status,
            resp.headers,
            resp.body,
            fetched_at=resp.fetched_at,
            reason=resp.reason,
            role=role,
            requested_url=requested,
            truncated=bool(resp.truncated),
        )

    def _backoff(self, attempt: int) -> float:
        base = min(self.settings.backoff_max, self.settings.backoff * 2**attempt)
        return base / 2 + random.uniform(0, base / 2)  # "equal jitter": never zero, never in lockstep

    async def _get_with_retries(
        self,
        url: str,
        site: Site,
        headers: dict[str, str],
        *,
        role: str,
        requested: str | None = None,
        attempts: list[int] | None = None,
        form: tuple[tuple[str, str], ...] | None = None,
        html_only: bool = False,
    ) -> _Response:
        s = self.settings
        gate = self._gate(urlsplit(url).netloc, site)
        client = self._client_for(url, site)
        last = ""
        for attempt in range(s.retries + 1):
            per_site = self.site_stats.setdefault(site.name, Counter())
            if attempt:
                self.stats["retries"] += 1
                per_site["retries"] += 1
            wait = None
            try:
                async with gate.slot():
                    self.stats["requests"] += 1
                    per_site["requests"] += 1
                    if attempts is not None:
                        attempts[0] += 1
                    async with asyncio.timeout(s.timeout * 3):  # a trickling body must end too
                        resp = await self._get_once(client, url, headers, html_only=html_only, form=form)
            except (httpx.TimeoutException, TimeoutError) as exc:
                last, detail = "timeout", f"{type(exc).__name__}: {exc}"
                self.stats[last] += 1
            except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                last, detail = "connection error", f"{type(exc).__name__}: {exc}"
                self.stats[last] += 1
            else:
                self.stats[f"http {resp.status}"] += 1
                self._archive(url, resp, role, requested)
                if resp.status != 429 and resp.status < 500:
                    return resp
                last, detail = f"http {resp.status}", resp.reason
                after = _retry_after(resp.header("retry-after"))
                if after is not None and after > s.max_retry_after:
                    raise _Failed(
                        f"fetch: http {resp.status}, Retry-After {after:.0f}s is over the cap", detail, resp
                    )
                wait = after
                if attempt == s.retries:
                    raise _Failed(f"fetch: {last} after {attempt + 1} attempts", detail, resp)
            if attempt == s.retries:
                raise _Failed(f"fetch: {last} after {attempt + 1} attempts", detail)
            await asyncio.sleep(max(self._backoff(attempt), wait or 0.0))
        raise AssertionError("unreachable")

    # -- the public call ---------------------------------------------------------------

    async def fetch(
        self,
        url: str,
        site: Site,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        role: str = "article",
        form: tuple[tuple[str, str], ...] | None = None,
        any_type: bool = False,
    ) -> Fetched:
        """Fetch one URL politely; never raises for anything the network or server does.

        With `form` the request is a POST of those fields (a script-paged list's window);
        a redirect after it is followed with a GET. Article and list pages must be HTML unless
        `any_type` (a script list's XML or JSON answer).
        """
        s = self.settings
        current = _strip_fragment(url)
        seen = {current}
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        tries = [0]  # requests made for this URL, over retries and redirect hops

        def failed(reason: str, detail: str = "", resp: _Response | None = None) -> Fetched:
            self.stats["failed"] += 1
            return Fetched(
                url,
                "failed",
                status=resp.status if resp else None,
                reason=reason,
                detail=detail,
                body=resp.body if resp else None,
                attempts=tries[0],
                fetched_at=resp.fetched_at if resp else datetime.now(UTC),
            )

        if not site.allows(current):
            return failed("fetch: not on the allowed domains", current)
        for _hop in range(s.max_redirects + 1):
            refusal = await self.robots_allows(current, site)
            if refusal:
                return failed(f"fetch: {refusal}", current)
            try:
                resp = await self._get_with_retries(
                    current,
                    site,
                    headers,
                    role=role,
                    requested=url,
                    attempts=tries,
                    form=form,
                    html_only=role in HTML_ROLES and not any_type,
                )
            except _Failed as exc:
                return failed(exc.reason, exc.detail, exc.response)
            if resp.status in REDIRECTS:
                target = resp.header("location")
                if not target:
                    return failed("fetch: redirect without a Location", current, resp)
                target = _strip_fragment(urljoin(current, target))
                if target in seen:
                    return failed("fetch: redirect loop", f"{current} -> {target}", resp)
                if not site.allows(target):
                    host = urlsplit(target).hostname
                    return failed(
                        "fetch: redirect off the allowed domains", f"{current} -> {target} ({host})", resp
                    )
                seen.add(target)
                current = target
                headers = {}  # validators belong to the URL they were stored for
                form = None
                continue
            attempts = tries[0]
            if resp.status == 304:
                self.stats["unchanged"] += 1
                return Fetched(url, "unchanged", status=304, attempts=attempts, fetched_at=resp.fetched_at)
            if resp.truncated:
                return failed(f"fetch: {resp.truncated.split(' (')[0]}", resp.truncated, resp)
            if resp.status != 200:
                return failed(f"fetch: http {resp.status}", resp.reason, resp)
            page = Page(
                url=url,
                body=resp.body,
                final_url=current if current != url else None,
                fetched_at=resp.fetched_at,
                status=200,
                headers=tuple(
                    (k, v)
                    for k, v in resp.headers
                    if k.lower() not in ("content-encoding", "transfer-encoding")
                ),
                origin="http",
                location=resp.location,
                warc_offset=resp.offset,
                role=role,
            )
            self.stats["ok"] += 1
            return Fetched(url, "ok", page=page, status=200, attempts=attempts, fetched_at=resp.fetched_at)
        return failed(f"fetch: more than {s.max_redirects} redirects", url)
