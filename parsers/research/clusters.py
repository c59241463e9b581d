"""Duplicate clusters: which articles are one story, and which of them is the original.

Articles are joined by edges (same content hash, near-duplicate bodies, a mirror's original_url,
a farm's original_title) and clustered as connected components. A copy whose original was never
fetched is joined to a placeholder for that original, so two copies of one unfetched story still
form one cluster that names where the story came from.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from parsers.research.shingles import fold

MIN_EXACT_CHARS = 40  # identical bodies shorter than this ("图片新闻", empty) are not the same story


@dataclass(frozen=True, slots=True)
class Member:
    """What clustering needs to know about one article."""

    url: str
    site: str
    title: str
    is_copy: bool = False
    published_at: datetime | None = None
    content_hash: str | None = None
    body_chars: int = 0
    source: str | None = None
    original_url: str | None = None
    original_title: str | None = None
    original_source: str | None = None


@dataclass(frozen=True, slots=True)
class Edge:
    a: str
    b: str
    kind: str  # exact | near | original_url | original_title
    similarity: float | None = None


@dataclass(frozen=True, slots=True)
class Cluster:
    cluster_id: str
    original_url: str  # the chosen original among the fetched members
    members: tuple[str, ...]  # fetched members, chosen original first
    roles: dict[str, str] = field(default_factory=dict)  # url -> original | exact | copy | near
    external_url: str | None = None  # the story's source page when only copies were fetched
    external_title: str | None = None
    external_source: str | None = None
    chosen_by: str = "only member"  # why the original was chosen, for people reading the table


def url_key(url: str) -> str:
    """A URL compared loosely: scheme, `www.`, case of the host, fragment and trailing slash ignored."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/") or "/"
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "")


def title_key(title: str | None) -> str:
    return fold(title or "")


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        parent = self.parent.setdefault(x, x)
        if parent != x:
            parent = self.parent[x] = self.find(parent)
        return parent

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def exact_edges(members: Iterable[Member]) -> list[Edge]:
    """Articles with the same normalized body (content hash) are one story."""
    by_hash: dict[str, list[str]] = defaultdict(list)
    for m in members:
        if m.content_hash and m.body_chars >= MIN_EXACT_CHARS:
            by_hash[m.content_hash].append(m.url)
    edges = []
    for urls in by_hash.values():
        first = min(urls)
        edges.extend(Edge(first, u, "exact", 1.0) for u in urls if u != first)
    return edges


def _source_matches(wanted: str | None, m: Member) -> bool:
    if not wanted:
        return False
    w = fold(wanted)
    return bool(w) and any(w and (w in fold(x) or fold(x) in w) for x in (m.source, m.site) if x)


def link_edges(members: Sequence[Member]) -> tuple[list[Edge], dict[str, tuple[str, str | None, str | None]]]:
    """Edges from what copies say about their origin, plus placeholders for unfetched originals.

    Returns (edges, placeholders); a placeholder node id maps to (url, title, source) of the
    original it stands for.
    """
    by_url = {url_key(m.url): m.url for m in members}
    by_title: dict[str, list[Member]] = defaultdict(list)
    for m in members:
        if not m.is_copy and title_key(m.title):
            by_title[title_key(m.title)].append(m)
    edges: list[Edge] = []
    placeholders: dict[str, tuple[str, str | None, str | None]] = {}
    for m in members:
        if m.original_url:
            target = by_url.get(url_key(m.original_url))
            if target and target != m.url:
                edges.append(Edge(m.url, target, "original_url"))
            elif not target:
                node = f"url:{url_key(m.original_url)}"
                placeholders.setdefault(node, (m.original_url, m.original_title, m.original_source))
                edges.append(Edge(m.url, node, "original_url"))
        if m.original_title and title_key(m.original_title):
            candidates = [c for c in by_title.get(title_key(m.original_title), []) if c.url != m.url]
            # A title alone can be reused by other outlets: with several candidates, the credited
            # source must agree.
            if len(candidates) > 1:
                candidates = [c for c in candidates if _source_matches(m.original_source, c)]
            if candidates:
                edges.extend(Edge(m.url, c.url, "original_title") for c in candidates)
            elif not m.original_url:
                node = f"title:{title_key(m.original_title)}|{fold(m.original_source or '')}"
                placeholders.setdefault(node, (None, m.original_title, m.original_source))  # type: ignore[arg-type]
                edges.append(Edge(m.url, node, "original_title"))
    return edges, placeholders


def _rank(m: Member) -> tuple:
    # Original outlets before copies, then the earliest publish time (unknown last), then URL.
    published = m.published_at.timestamp() if m.published_at else float("inf")
    return (m.is_copy, published, m.url)


def _chosen_by(chosen: Member, others: list[Member]) -> str:
    if not others:
        return "only member"
    peers = [o for o in others if o.is_copy == chosen.is_copy]
    if not peers:
        why = "original outlet beats copies"
    elif chosen.published_at and all(
        p.published_at is None or p.published_at > chosen.published_at for p in peers
    ):
        why = "earliest published"
    else:
        why = "tie: first by url"
    return f"copies only: {why}" if chosen.is_copy else why


def cluster_id(urls: Iterable[str]) -> str:
    return hashlib.sha1(min(urls).encode("utf-8")).hexdigest()[:16]


def build_clusters(members: Sequence[Member], edges: Iterable[Edge]) -> list[Cluster]:
    """Connected components over all edges; every fetched article lands in exactly one cluster."""
    by_url = {m.url: m for m in members}
    uf = _UnionFind()
    for url in by_url:
        uf.find(url)
    link, placeholders = link_edges(members)
    kinds: dict[str, set[str]] = defaultdict(set)
    for e in [*exact_edges(members), *edges, *link]:
        if (e.a in by_url or e.a in placeholders) and (e.b in by_url or e.b in placeholders):
            uf.union(e.a, e.b)
            kinds[e.a].add(e.kind)
            kinds[e.b].add(e.kind)
    groups: dict[str, list[str]] = defaultdict(list)
    for node in list(uf.parent):
        groups[uf.find(node)].append(node)
    clusters = []
    for nodes in groups.values():
        fetched = sorted((by_url[n] for n in nodes if n in by_url), key=_rank)
        if not fetched:
            continue
        chosen, others = fetched[0], fetched[1:]
        roles = {chosen.url: "original"}
        for o in others:
            if o.content_hash and o.content_hash == chosen.content_hash:
                roles[o.url] = "exact"
            elif o.is_copy:
                roles[o.url] = "copy"
            else:
                roles[o.url] = "near"
        external = [placeholders[n] for n in sorted(nodes) if n in placeholders]
        ext_url = ext_title = ext_source = None
        if chosen.is_copy and external:
            ext_url = next((u for u, _, _ in external if u), None)
            ext_title = next((t for _, t, _ in external if t), None)
            ext_source = next((s for _, _, s in external if s), None)
        clusters.append(
            Cluster(
                cluster_id=cluster_id(m.url for m in fetched),
                original_url=chosen.url,
                members=tuple(m.url for m in fetched),
                roles=roles,
                external_url=ext_url,
                external_title=ext_title,
                external_source=ext_source,
                chosen_by=_chosen_by(chosen, others)
                + ("; original not fetched" if ext_url or ext_title else ""),
            )
        )
    clusters.sort(key=lambda c: c.cluster_id)
    return clusters
