"""Pages in, results out: route each page to its parser and turn every problem into data.

This is the pure middle of the hot path (decode -> parse -> normalize); flows feed it
batches of pages and hand its results to the warehouse in bulk.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from parsers.base import SiteParser
from parsers.records import DecodeError, Failure, NotAnArticle, Page, PageResult, ParseError
from parsers.registry import by_name, parser_for


def _failure(page: Page, parser: SiteParser, stage: str, reason: str, detail: str) -> PageResult:
    failure = Failure(
        url=page.effective_url,
        stage=stage,  # type: ignore[arg-type]
        reason=reason,
        detail=detail,
        page_sha256=page.sha256,
        site=parser.name,
        seen_at=page.fetched_at,
        body=page.body,
    )
    return PageResult(page, "failed", parser.name, parser.version, failure=failure)


def _reason(exc: BaseException) -> str:
    """A short, groupable reason: the message up to its first detail."""
    text = str(exc) or type(exc).__name__
    return text.split(" (", 1)[0][:120]


def parse_story(parser: SiteParser, pages: Sequence[Page]) -> list[PageResult]:
    """Parse one story (one page, or the parts of a paginated one, in part order)."""
    first = pages[0]
    try:
        article = parser.parse(first) if len(pages) == 1 else parser.parse_many(pages)
    except NotAnArticle:
        return [PageResult(p, "not_article", parser.name, parser.version) for p in pages]
    except DecodeError as exc:
        return [_failure(first, parser, "decode", f"decode: {_reason(exc)}", str(exc))] + [
            PageResult(p, "part", parser.name, parser.version) for p in pages[1:]
        ]
    except ParseError as exc:
        return [_failure(first, parser, "parse", f"parse: {_reason(exc)}", str(exc))] + [
            PageResult(p, "part", parser.name, parser.version) for p in pages[1:]
        ]
    except Exception as exc:  # a parser bug must cost one page, never the run
        detail = f"{type(exc).__name__}: {exc}"
        return [_failure(first, parser, "parse", f"parse: parser crashed ({type(exc).__name__})", detail)] + [
            PageResult(p, "part", parser.name, parser.version) for p in pages[1:]
        ]
    results = [PageResult(first, "article", parser.name, parser.version, article=article)]
    results.extend(PageResult(p, "part", parser.name, parser.version) for p in pages[1:])
    return results


def process_pages(pages: Iterable[Page], parser: SiteParser | str | None = None) -> list[PageResult]:
    """Parse a batch of pages; parts of a paginated story in the batch are joined into one article.

    Every page goes to `parser` (a spec, or its name) when one is given, else to the spec its URL
    routes to. A continuation part whose first page is not in the batch is parsed on its own terms
    (as part 1 of its story) so that it is never silently dropped.
    """
    stories: dict[tuple[str, str], list[tuple[int, Page]]] = defaultdict(list)
    parsers: dict[str, SiteParser] = {}
    results: list[PageResult] = []
    fixed = by_name(parser) if isinstance(parser, str) else parser
    for page in pages:
        spec = fixed or parser_for(page.effective_url)
        if not 200 <= page.status < 300:
            detail = f"HTTP {page.status} for {page.effective_url}"
            results.append(_failure(page, spec, "fetch", f"fetch: HTTP {page.status}", detail))
            continue
        key, part = spec.article_key(page.effective_url)
        stories[(spec.name, key)].append((part, page))
        parsers[spec.name] = spec
    for (name, _key), parts in stories.items():
        parts.sort(key=lambda item: item[0])
        seen: set[str] = set()
        ordered = [p for _, p in parts if not (p.sha256 in seen or seen.add(p.sha256))]
        results.extend(parse_story(parsers[name], ordered))
    return results
