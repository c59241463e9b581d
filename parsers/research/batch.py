"""One enrich batch: article rows in, the rows of every research table out (pure, no database)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from parsers.research import clusters, regions, segment, shingles, terms

ENRICH_VERSION = 1  # bump when any step's output changes: every article is enriched again


@dataclass(slots=True)
class BatchResult:
    state: list[dict] = field(default_factory=list)
    regions: list[dict] = field(default_factory=list)
    terms: list[dict] = field(default_factory=list)
    search: list[dict] = field(default_factory=list)

    @property
    def urls(self) -> list[str]:
        return [row["url"] for row in self.state]


def enrich_rows(
    rows: Sequence[Mapping], known_terms: Collection[str] = (), now: datetime | None = None
) -> BatchResult:
    """Signatures, region tags, terms and search tokens for each article row.

    A row needs url, title, body, source, content_hash and parser_version (the `articles` columns).
    """
    now = now or datetime.now(UTC)
    out = BatchResult()
    for row in rows:
        url, title, body = row["url"], row.get("title") or "", row.get("body") or ""
        sig = shingles.signature(body)
        out.state.append(
            {
                "url": url,
                "content_hash": row.get("content_hash"),
                "parser_version": row.get("parser_version"),
                "title": title,
                "enrich_version": ENRICH_VERSION,
                "enriched_at": now,
                "minhash": shingles.to_bytes(sig) if sig is not None else None,
            }
        )
        for tag in regions.tag_regions(title, body, row.get("source")):
            out.regions.append(
                {
                    "url": url,
                    "adcode": tag.adcode,
                    "level": tag.level,
                    "province": tag.province,
                    "city": tag.city,
                    "county": tag.county,
                    "title_mentions": tag.title_mentions,
                    "source_mentions": tag.source_mentions,
                    "body_mentions": tag.body_mentions,
                    "score": tag.score,
                    "is_primary": tag.is_primary,
                }
            )
        for term in terms.extract_terms(title, body, known_terms):
            out.terms.append(
                {
                    "url": url,
                    "term": term.term,
                    "kind": term.kind,
                    "count": term.count,
                    "in_title": term.in_title,
                }
            )
        out.search.append(
            {"url": url, "title_tokens": segment.index_text(title), "body_tokens": segment.index_text(body)}
        )
    return out


def cluster_tables(
    article_rows: Sequence[Mapping],
    pairs: Sequence[tuple[str, str, float]],
    signatures: Mapping[str, bytes],
) -> tuple[list[dict], list[dict]]:
    """Rows of `clusters` and `cluster_members` for the whole warehouse."""
    members = [
        clusters.Member(
            url=r["url"],
            site=r["site"],
            title=r.get("title") or "",
            is_copy=bool(r.get("is_copy")),
            published_at=r.get("published_at"),
            content_hash=r.get("content_hash"),
            body_chars=r.get("body_chars") or 0,
            source=r.get("source"),
            original_url=r.get("original_url"),
            original_title=r.get("original_title"),
            original_source=r.get("original_source"),
        )
        for r in article_rows
    ]
    by_url = {m.url: m for m in members}
    near = [clusters.Edge(a, b, "near", s) for a, b, s in pairs]
    link, _ = clusters.link_edges(members)
    evidence: dict[str, set[str]] = {}
    for e in [*clusters.exact_edges(members), *near, *link]:
        for url in (e.a, e.b):
            evidence.setdefault(url, set()).add(e.kind)
    cluster_rows, member_rows = [], []
    for c in clusters.build_clusters(members, near):
        fetched = [by_url[u] for u in c.members]
        dates = [m.published_at for m in fetched if m.published_at is not None]
        cluster_rows.append(
            {
                "cluster_id": c.cluster_id,
                "original_url": c.original_url,
                "chosen_by": c.chosen_by,
                "size": len(fetched),
                "copies": sum(1 for m in fetched if m.is_copy),
                "member_urls": list(c.members),
                "sites": sorted({m.site for m in fetched}),
                "first_published": min(dates) if dates else None,
                "last_published": max(dates) if dates else None,
                "external_original_url": c.external_url,
                "external_original_title": c.external_title,
                "external_original_source": c.external_source,
            }
        )
        original_sig = signatures.get(c.original_url)
        for url in c.members:
            sim = None
            if url == c.original_url:
                sim = None if by_url[url].is_copy else 1.0  # a copy standing in for an unfetched original
            elif original_sig is not None and signatures.get(url) is not None:
                sim = shingles.jaccard(
                    shingles.from_bytes(original_sig), shingles.from_bytes(signatures[url])
                )
            member_rows.append(
                {
                    "url": url,
                    "cluster_id": c.cluster_id,
                    "role": c.roles[url],
                    "similarity": sim,
                    "linked_by": sorted(evidence.get(url, set())),
                }
            )
    return cluster_rows, member_rows
