"""The replica server: the fixture sites on 127.0.0.1, with the faults real sites have.

One process, one port; sites are told apart by the Host header (the crawler keeps real
URLs and connects here, see `flows.fetch.ConnectTo`), or by a `/_site/<host>/` path prefix
for a browser. It serves every fixture page at its URL in its own encoding, list pages with
pagination for each site of the registry, robots.txt, ETag/Last-Modified and 304s. Fault
modes are switched on per run. It always stops: after `max_requests` requests or `lifetime`
seconds, whichever comes first. Every request is logged with its host and times, so tests
can measure politeness from the server's side.

    python -m flows.replica --port 8765 --faults all     # then: regionews crawl --connect-to http://127.0.0.1:8765
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import re
import socket
import struct
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from flows.bundled import fixtures_dir
from flows.replica_history import SITE as HISTORY_SITE
from flows.replica_history import HistorySite
from flows.sites import Registry, Site, load_sites
from parsers.crawlspec import NEXT_LINK, PagedList
from parsers.listing import html_entries, next_link

OFFSITE_HOST = "offsite.invalid"
# Article faults, in the order they are handed out (one article each, round-robin over sites).
ARTICLE_FAULTS = (
    "500",  # a burst of 500s, then the page
    "429",  # 429 with Retry-After, then the page
    "slow",  # the first response comes after the client's timeout
    "reset",  # the first connection is reset
    "truncated",  # the first body stops short of its Content-Length
    "charset",  # the Content-Type names the wrong charset, every time
    "redirect_loop",  # A -> A?r=1 -> A
    "redirect_offsite",  # a redirect to a host off the allowed domains
    "oversized",  # a body past the crawler's size cap, with no Content-Length
)
# robots: robots.txt disallows one column per host; later and list_template: the county site with a
# history (flows/replica_history.py) as it is a while on (edits, withdrawals), or with a new list template.
FAULTS = (*ARTICLE_FAULTS, "robots", "later", "list_template")
_LAST_MODIFIED = formatdate(1_704_067_200, usegmt=True)  # 2024-01-01: fixtures do not change


@dataclass
class Doc:
    body: bytes
    content_type: str = "text/html"
    role: str = "article"  # article | list

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:20] + '"'


@dataclass(frozen=True, slots=True)
class LogEntry:
    host: str
    path: str
    status: int
    start: float  # time.monotonic() when the request line arrived
    end: float
    fault: str = ""
    agent: str = ""


def docs_from_fixtures(root: Path | None = None) -> dict[str, Doc]:
    """Every fixture page (and continuation page) keyed by its URL, as the site would serve it."""
    root = root or fixtures_dir()
    docs: dict[str, Doc] = {}
    for meta_path in sorted(root.glob("*/*.expected.json")) + sorted(root.glob("*/*.meta.json")):
        meta = json.loads(meta_path.read_text("utf-8"))
        stem = meta_path.name.removesuffix(".expected.json").removesuffix(".meta.json")
        page = meta_path.with_name(stem + ".html")
        if not meta.get("url") or not page.exists() or meta["url"].startswith("file:"):
            continue
        headers = {k.lower(): v for k, v in (meta.get("headers") or {}).items()}
        role = "list" if meta.get("not_article") else "article"
        docs[meta["url"]] = Doc(page.read_bytes(), headers.get("content-type", "text/html"), role)
    return docs


def _list_html(title: str, links: list[tuple[str, str]], next_url: str | None) -> bytes:
    items = "\n".join(f'<li><a href="{html.escape(u)}">{html.escape(t)}</a></li>' for u, t in links)
    pager = f'<div class="pages"><a href="{html.escape(next_url)}">下一页</a></div>' if next_url else ""
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>'
        f"{html.escape(title)}</title></head>\n<body><h2>{html.escape(title)}</h2>\n"
        f'<ul class="news-list">\n{items}\n</ul>\n{pager}\n</body></html>\n'
    ).encode()


def _column(url: str) -> str:
    path = urlsplit(url).path
    return path[: path.rfind("/") + 1]


class Replica:
    """The server and its state. Use `with serve_in_thread(...) as replica:` or start()/stop()."""

    def __init__(
        self,
        docs: dict[str, Doc],
        registry: Registry | None = None,
        *,
        faults: Iterable[str] = (),
        page_size: int = 3,
        burst: int = 2,
        retry_after: float = 1,
        slow_seconds: float = 2.0,
        oversized_bytes: int = 6_000_000,
        crawl_delay: float | None = None,
        latency: float = 0.0,
        max_requests: int = 50_000,
        lifetime: float = 900.0,
        clones: int = 0,
    ) -> None:
        faults = set(faults)
        unknown = faults - set(FAULTS)
        if unknown:
            raise ValueError(f"unknown fault mode(s) {sorted(unknown)}; known: {', '.join(FAULTS)}")
        self.faults = faults
        self.page_size = page_size
        self.burst = burst
        self.retry_after = retry_after
        self.slow_seconds = slow_seconds
        self.oversized_bytes = oversized_bytes
        self.crawl_delay = crawl_delay
        self.latency = latency  # seconds every response takes: makes requests in flight measurable
        self.robots_moved_to: str | None = None  # a path /robots.txt redirects to, when set
        self.max_requests = max_requests
        self.lifetime = lifetime
        self.docs: dict[str, Doc] = dict(docs)
        if clones:
            self._add_clones(clones)
        self.registry = registry
        # The county site with a history, when the registry has it: generated, stateful, served apart.
        has_history = registry is not None and any(s.name == HISTORY_SITE for s in registry.sites)
        self.history = (
            HistorySite(later="later" in faults, list_template="list_template" in faults)
            if has_history
            else None
        )
        self.log: list[LogEntry] = []
        self._lock = threading.Lock()
        self._hits: dict[str, int] = defaultdict(int)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._timer: threading.Timer | None = None
        self.stopped = threading.Event()
        self.article_faults: dict[str, str] = {}
        self.disallowed: dict[str, str] = {}  # host -> disallowed path prefix
        self._build_lists()
        self._assign_faults()

    # -- content -------------------------------------------------------------------------

    def _add_clones(self, clones: int) -> None:
        """Serve each article under `clones` more URLs (last digit run varied): a bigger site to benchmark."""
        for url, doc in list(self.docs.items()):
            parts = urlsplit(url)
            runs = list(re.finditer(r"\d{4,}", parts.path))
            if doc.role != "article" or not runs:
                continue
            m = runs[-1]
            for i in range(1, clones + 1):
                tail = f"9{i}"
                if len(tail) >= len(m.group()):
                    break
                path = parts.path[: m.start()] + m.group()[: -len(tail)] + tail + parts.path[m.end() :]
                self.docs.setdefault(urlunsplit(parts._replace(path=path)), doc)

    def _site_articles(self, site: Site) -> list[str]:
        return sorted(
            (u for u, d in self.docs.items() if d.role == "article" and site.is_article(u)), reverse=True
        )

    def _build_lists(self) -> None:
        """Give every list of every site pages 1..N of links to that site's articles."""
        if self.registry is None:
            return
        for site in self.registry.sites:
            if site.name == HISTORY_SITE:
                continue  # its lists are served by HistorySite
            articles = self._site_articles(site)
            by_list: dict[str, list[str]] = {u: [] for u in site.lists}
            for art in articles:
                host = urlsplit(art).netloc
                same_host = [lst for lst in site.lists if urlsplit(lst).netloc == host]
                column = [lst for lst in same_host if _column(art).startswith(urlsplit(lst).path)]
                target = (column or same_host or list(site.lists))[0]
                by_list[target].append(art)
            paged = {lst.url: lst for lst in site.sources.lists if isinstance(lst, PagedList)}
            for list_url, arts in by_list.items():
                if list_url in paged:
                    self._paginate(site, paged[list_url], arts)

    def _paginate(self, site: Site, lst: PagedList, arts: list[str]) -> None:
        """Serve pages 1..N of a list: fixture list pages where there are some, generated ones after them."""
        covered: set[str] = set()
        n, url, hint = 1, lst.url, None
        while url in self.docs and self.docs[url].role == "list" and n <= site.max_list_pages:
            doc = self.docs[url]
            links = html_entries(doc.body, url, doc.content_type)
            covered |= {e.url for e in links}
            hint = next_link(links) if lst.pagination == NEXT_LINK else None
            n += 1
            url = hint or self._nth(lst, n)
        rest = [a for a in arts if a not in covered]
        chunks = [rest[i : i + self.page_size] for i in range(0, len(rest), self.page_size)]
        if not chunks:
            if n > 1:
                return  # the fixture pages hold every article
            chunks = [[]]  # every list has a page 1, even an empty one
        urls = [url] + [self._nth(lst, k) for k in range(n + 1, n + len(chunks))]
        for k, (page_url_, chunk) in enumerate(zip(urls, chunks, strict=True)):
            next_url = urls[k + 1] if k + 1 < len(urls) else None
            links = [(a, f"{site.name} 新闻 {a.rsplit('/', 1)[-1]}") for a in chunk]
            body = _list_html(f"{site.name} 第{n + k}页", links, next_url)
            self.docs.setdefault(page_url_, Doc(body, "text/html; charset=utf-8", "list"))

    @staticmethod
    def _nth(lst: PagedList, n: int) -> str:
        if lst.pagination == NEXT_LINK:
            return f"{lst.url}{'&' if '?' in lst.url else '?'}p={n}"
        return lst.page_url(n) or f"{lst.url}?p={n}"

    def _assign_faults(self) -> None:
        """One article per fault, taking sites in turn, so every fault lands and most pages stay clean.

        Faulty articles are never in a robots-disallowed column, so each fault is actually exercised.
        """
        if "robots" in self.faults:
            columns: dict[str, set[str]] = defaultdict(set)
            for url, doc in self.docs.items():
                if doc.role == "article":
                    columns[urlsplit(url).netloc].add(_column(url))
            for host, cols in columns.items():
                if len(cols) > 1:  # never the only column: a host must keep something to crawl
                    self.disallowed[host] = sorted(cols)[-1]
        sites = list(self.registry.sites) if self.registry else []
        pools = [self._site_articles(s) for s in sites] or [
            sorted(u for u, d in self.docs.items() if d.role == "article")
        ]
        pools = [[u for u in p if not self.is_disallowed(u)] for p in pools]
        pools = [p for p in pools if p]
        taken = 0
        for fault in (f for f in ARTICLE_FAULTS if f in self.faults):
            for _ in range(len(pools)):
                pool = pools[taken % len(pools)]
                taken += 1
                free = [u for u in pool if u not in self.article_faults]
                if free:
                    self.article_faults[free[len(free) // 2]] = fault
                    break

    def is_disallowed(self, url: str) -> bool:
        parts = urlsplit(url)
        prefix = self.disallowed.get(parts.netloc)
        return prefix is not None and parts.path.startswith(prefix)

    def robots_txt(self, host: str) -> bytes:
        lines = ["User-agent: *"]
        if host in self.disallowed:
            lines.append(f"Disallow: {self.disallowed[host]}")
        else:
            lines.append("Disallow:")
        if self.crawl_delay:
            lines.append(f"Crawl-delay: {self.crawl_delay}")
        if self.history is not None:
            lines += self.history.robots_lines()
        return ("\n".join(lines) + "\n").encode()

    def article_urls(self) -> list[str]:
        return sorted(u for u, d in self.docs.items() if d.role == "article")

    # -- serving -------------------------------------------------------------------------

    def hit(self, key: str) -> int:
        with self._lock:
            self._hits[key] += 1
            return self._hits[key]

    def record(self, entry: LogEntry) -> int:
        with self._lock:
            self.log.append(entry)
            return len(self.log)

    def requests_for(self, host: str) -> list[LogEntry]:
        return [e for e in self.log if e.host == host]

    @property
    def url(self) -> str:
        assert self._server is not None, "replica not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self, port: int = 0) -> Replica:
        handler = type("Handler", (_Handler,), {"replica": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self._server.daemon_threads = False  # stop() waits for requests in flight, so the log is complete
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="replica", daemon=True
        )
        self._thread.start()
        self._timer = threading.Timer(self.lifetime, self.stop)
        self._timer.daemon = True
        self._timer.start()
        return self

    def stop(self) -> None:
        if self.stopped.is_set():
            return
        self.stopped.set()
        if self._timer is not None:
            self._timer.cancel()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def wait(self) -> None:
        self.stopped.wait()


class _Handler(BaseHTTPRequestHandler):
    replica: Replica
    protocol_version = "HTTP/1.1"
    timeout = 5  # an idle keep-alive connection is closed, so stopping never waits long

    def log_message(self, format: str, *args: object) -> None:  # quiet: the replica keeps its own log
        pass

    def do_POST(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        start = time.monotonic()
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        path = self.path
        if path.startswith("/_site/"):  # path-prefix mode: /_site/<host>/<path>
            _, _, rest = path.partition("/_site/")
            host, _, tail = rest.partition("/")
            path = "/" + tail
        status, fault = 0, ""
        try:
            status, fault = self._serve(host, path)
        except (BrokenPipeError, ConnectionResetError):
            status = status or 599
        finally:
            agent = self.headers.get("User-Agent") or ""
            count = self.replica.record(LogEntry(host, path, status, start, time.monotonic(), fault, agent))
            if count >= self.replica.max_requests:
                threading.Thread(target=self.replica.stop, daemon=True).start()

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> int:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if "Content-Length" not in (headers or {}):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return status

    def _serve(self, host: str, path: str) -> tuple[int, str]:
        replica = self.replica
        if replica.stopped.is_set():
            return self._send(503, b"replica stopping", {"Connection": "close"}), ""
        if replica.latency:
            time.sleep(replica.latency)
        if path == "/robots.txt" and replica.robots_moved_to:
            return self._send(301, b"", {"Location": replica.robots_moved_to}), ""
        if path == (replica.robots_moved_to or "/robots.txt"):
            return self._send(200, replica.robots_txt(host), {"Content-Type": "text/plain"}), ""
        url = f"http://{host}{path}"
        if replica.history is not None:
            served = self._history(url)
            if served:
                return served, ""
        doc = replica.docs.get(url) or replica.docs.get(f"https://{host}{path}")
        base, _, query = path.partition("?")
        fault = replica.article_faults.get(url) or replica.article_faults.get(f"https://{host}{path}")
        if fault is None and query in ("r=1",):  # second hop of a redirect loop
            fault = replica.article_faults.get(f"http://{host}{base}") or replica.article_faults.get(
                f"https://{host}{base}"
            )
        if fault:
            handled = self._fault(fault, host, path, doc)
            if handled:
                return handled, fault
        if doc is None:
            return self._send(
                404, b"<html><body>404 not found</body></html>", {"Content-Type": "text/html"}
            ), ""
        validators = {"ETag": doc.etag, "Last-Modified": _LAST_MODIFIED}
        if self.headers.get("If-None-Match") == doc.etag or (
            not self.headers.get("If-None-Match") and self.headers.get("If-Modified-Since") == _LAST_MODIFIED
        ):
            return self._send(304, b"", validators), fault or ""
        content_type = doc.content_type
        if fault == "charset":
            content_type = "text/html; charset=" + ("gbk" if _is_utf8(doc.body) else "utf-8")
        return self._send(200, doc.body, {"Content-Type": content_type, **validators}), fault or ""

    def _history(self, url: str) -> int:
        """Serve the county site with a history (GET, or the POST of its list script); 0 if not its URL."""
        history = self.replica.history
        assert history is not None
        if self.command == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            form = dict(parse_qsl(self.rfile.read(length).decode("utf-8", "replace")))
            answer = history.post(url, form)
        else:
            answer = history.get(url)
        if answer is None:
            return 0
        status, body, headers = answer
        if status == 200 and self.command == "GET":
            etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
            headers = {**headers, "ETag": etag}
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, b"", {"ETag": etag})
        return self._send(status, body, headers)

    def _fault(self, fault: str, host: str, path: str, doc: Doc | None) -> int:
        """Act out a fault; returns the status sent, or 0 to serve the page normally."""
        replica = self.replica
        n = replica.hit(f"{host}{path}")
        if fault == "500" and n <= replica.burst:
            return self._send(500, b"<html>500 Internal Server Error</html>", {"Content-Type": "text/html"})
        if fault == "429" and n == 1:
            return self._send(429, b"slow down", {"Retry-After": f"{replica.retry_after:g}"})
        if fault == "slow" and n == 1:
            time.sleep(replica.slow_seconds)
            return 0
        if fault == "reset" and n == 1:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return 599
        if fault == "truncated" and n == 1 and doc is not None:
            self.send_response(200)
            self.send_header("Content-Type", doc.content_type)
            self.send_header("Content-Length", str(len(doc.body)))
            self.end_headers()
            self.wfile.write(doc.body[: len(doc.body) // 2])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return 200
        if fault == "redirect_loop":
            base, _, query = path.partition("?")
            target = base if query == "r=1" else base + "?r=1"
            return self._send(302, b"", {"Location": target})
        if fault == "redirect_offsite":
            return self._send(302, b"", {"Location": f"http://{OFFSITE_HOST}{path}"})
        if fault == "oversized":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Connection", "close")  # no Content-Length: the client must cap while reading
            self.end_headers()
            chunk = ("<p>" + "很长的页面。" * 500 + "</p>\n").encode()
            sent = 0
            while sent < replica.oversized_bytes:
                self.wfile.write(chunk)
                sent += len(chunk)
            self.close_connection = True
            return 200
        return 0


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@contextmanager
def serve_in_thread(
    docs: dict[str, Doc] | None = None,
    registry: Registry | None = None,
    *,
    port: int = 0,
    **options: object,
) -> Iterator[Replica]:
    """Run the replica in a background thread for the duration of a `with` block.

    With no arguments it serves the bundled fixtures for the sites in flows/sites.toml;
    `replica.url` is what `regionews crawl --connect-to` (and `Fetcher(connect_to=...)`) takes.
    """
    replica = Replica(docs if docs is not None else docs_from_fixtures(), registry or load_sites(), **options)  # type: ignore[arg-type]
    replica.start(port)
    try:
        yield replica
    finally:
        replica.stop()


def parse_faults(text: str | None) -> tuple[str, ...]:
    """`--faults` as typed: comma-separated names, or `all`. Unknown names raise ValueError."""
    names = tuple(f.strip() for f in (text or "").split(",") if f.strip())
    unknown = sorted(set(names) - {*FAULTS, "all"})
    if unknown:
        raise ValueError(f"unknown fault mode(s) {', '.join(unknown)}; known: all, {', '.join(FAULTS)}")
    return FAULTS if "all" in names else names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flows.replica", description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--faults", default="", help=f"comma-separated, or 'all': {', '.join(FAULTS)}")
    parser.add_argument("--lifetime", type=float, default=900.0, help="seconds before it stops by itself")
    parser.add_argument("--max-requests", type=int, default=50_000)
    parser.add_argument("--sites", default=None, help="sites file (default flows/sites.toml)")
    parser.add_argument("--clones", type=int, default=0, help="serve each article under this many more URLs")
    parser.add_argument("--page-size", type=int, default=3, help="articles per generated list page")
    args = parser.parse_args(argv)
    try:
        faults = parse_faults(args.faults)
    except ValueError as exc:
        parser.error(str(exc))
    replica = Replica(
        docs_from_fixtures(),
        load_sites(args.sites),
        faults=faults,
        lifetime=args.lifetime,
        max_requests=args.max_requests,
        clones=args.clones,
        page_size=args.page_size,
    )
    replica.start(args.port)
    print(f"replica on {replica.url}: {len(replica.docs)} pages; stops after {args.lifetime:g}s", flush=True)
    try:
        replica.wait()
    except KeyboardInterrupt:
        replica.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
