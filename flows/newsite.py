"""`regionews new-site NAME PAGE...`: a first draft of a new site from its saved pages.

Writes the spec skeleton `parsers/sites/<name>.py` (domains and an article URL pattern read off the
pages' URLs, the pages' URLs as examples, read by the generic engine until someone writes rules),
copies each page into `fixtures/<name>/` and writes its expectations stub from what the generic
parser reads there. Every stub carries a `"draft"` key: the fixture tests fail on it until a person
has checked each value against the page and removed the key, so a draft is never taken as gold.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from flows.inputs import locate, read_page
from parsers.generic import GenericParser
from parsers.records import Article, DecodeError, NotAnArticle, ParseError
from parsers.registry import PARSERS

DRAFT = (
    "written by `regionews new-site` from the generic parser's output: check every value against "
    "the page, fix what is wrong, then delete this key"
)
_NAME = re.compile(r"[a-z][a-z0-9_]*")


class NewSiteError(ValueError):
    """A name or page new-site cannot use; the message says which and why."""


@dataclass(frozen=True, slots=True)
class Drafted:
    spec: Path
    fixtures: tuple[Path, ...]
    class_name: str


def class_name(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_")) + "Parser"


def domain_of(url: str) -> str:
    """The host without a leading www./m. (a spec's domain also allows its subdomains)."""
    host = (urlsplit(url).hostname or "").lower()
    return re.sub(r"^(?:www|m|wap)\.", "", host)


def path_pattern(path: str) -> str:
    """A regex for URL paths shaped like this one: digit runs and long hex IDs generalised."""
    out, pos = [], 0
    for m in re.finditer(r"[0-9a-f]{16,}|\d+", path):
        out.append(re.escape(path[pos : m.start()]))
        token = m.group()
        if token.isdigit():
            out.append(rf"\d{{{len(token)}}}" if len(token) in (2, 4) else r"\d+")
        else:
            out.append(rf"[0-9a-f]{{{len(token)}}}")
        pos = m.end()
    out.append(re.escape(path[pos:]))
    return "".join(out)


def article_pattern(domains: list[str], urls: list[str]) -> tuple[str, str]:
    """(host part, path part) of a regex for article URLs shaped like these, on these domains."""
    hosts = "|".join(re.escape(d) for d in domains)
    paths = sorted({path_pattern(urlsplit(u).path) for u in urls})
    tail = paths[0] if len(paths) == 1 else "(?:" + "|".join(paths) + ")"
    return rf"^https?://(?:[a-z0-9-]+\.)*(?:{hosts})", tail + "$"


def _expected(url: str, article: Article | None) -> dict:
    if article is None:
        return {"draft": DRAFT, "url": url, "not_article": True}
    paras = article.paragraphs
    return {
        "draft": DRAFT,
        "url": url,
        "title": article.title,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "published_precision": article.published_precision,
        "source": article.source,
        "authors": list(article.authors),
        "editors": list(article.editors),
        "paragraph_count": len(paras),
        "must_contain": [p[:40] for p in (paras[0], paras[-1])] if paras else [],
        "must_not_contain": [],
    }


def _spec_text(
    name: str, domains: list[str], pattern: tuple[str, str], examples: list[str], pages: int
) -> str:
    """The spec module's source, formatted as `ruff format` leaves it."""
    domain_tuple = "(" + ", ".join(json.dumps(d) for d in domains) + ("," if len(domains) == 1 else "") + ")"
    example_lines = "".join(f"        {json.dumps(u)},\n" for u in examples)
    return f'''"""{domains[0]}: DRAFT written by `regionews new-site` from {pages} saved page(s).

Check every line, describe the site here (its CMS, its URL shapes, what is odd about it), add its
lists (`base_url`, `lists`, `sitemaps`, `feeds`) so the crawler can walk it, and write `rules`
where the generic engine reads the pages wrong (README, "Adding a site").
"""

from parsers.generic import GenericParser


class {class_name(name)}(GenericParser):
    name = "{name}"
    domains = {domain_tuple}
    # DRAFT: generalised from the saved pages' URLs (digit runs and hex IDs)
    article_url = (
        r"{pattern[0]}"
        r"{pattern[1]}"
    )
    example_urls = (
{example_lines}    )
'''


def draft_site(name: str, files: list[Path], root: Path) -> Drafted:
    """Write the spec skeleton and the fixture stubs of a new site under `root`; refuse to overwrite."""
    if not _NAME.fullmatch(name):
        raise NewSiteError(f"site name must be lowercase letters, digits and _, got {name!r}")
    if any(p.name == name for p in PARSERS):
        raise NewSiteError(f"a spec named {name!r} exists already")
    spec_path = root / "parsers" / "sites" / f"{name}.py"
    fixture_dir = root / "fixtures" / name
    for path in (spec_path, fixture_dir):
        if path.exists():
            raise NewSiteError(f"{path} exists already: nothing written")
    if not files:
        raise NewSiteError("give at least one saved page of the site")
    pages = []
    for file in files:
        try:
            page = read_page(locate(file))
        except OSError as exc:
            raise NewSiteError(f"cannot read {file}: {exc.strerror or exc}") from None
        if urlsplit(page.url).scheme not in ("http", "https"):
            raise NewSiteError(
                f"{file}: no URL for this page; put it in {file.name}.url (or a .meta.json, or the "
                "page's <link rel=canonical>)"
            )
        pages.append((file, page))
    generic = GenericParser()
    read: list[tuple[Path, str, Article | None]] = []
    for file, page in pages:
        try:
            article: Article | None = generic.parse(page)
        except NotAnArticle:
            article = None
        except (ParseError, DecodeError) as exc:
            why = f"the generic parser cannot read it ({exc}); write its fixture by hand"
            raise NewSiteError(f"{file}: {why}") from None
        read.append((file, page.url, article))
    domains = list(dict.fromkeys(domain_of(url) for _, url, _ in read))
    article_urls = [url for _, url, art in read if art is not None] or [read[0][1]]
    spec_path.parent.mkdir(parents=True, exist_ok=True)
    spec_path.write_text(
        _spec_text(name, domains, article_pattern(domains, article_urls), article_urls, len(read)), "utf-8"
    )
    fixture_dir.mkdir(parents=True)
    written: list[Path] = []
    for (file, url, article), (_, page) in zip(read, pages, strict=True):
        stem = re.sub(r"[^a-z0-9_]+", "_", file.stem.lower()).strip("_") or "page"
        if fixture_dir.joinpath(f"{stem}.html").exists():
            stem = f"{stem}_{len(written) + 1}"
        (fixture_dir / f"{stem}.html").write_bytes(page.body)
        expected = fixture_dir / f"{stem}.expected.json"
        expected.write_text(json.dumps(_expected(url, article), ensure_ascii=False, indent=2) + "\n", "utf-8")
        if article is not None:
            (fixture_dir / f"{stem}.body.txt").write_text("\n".join(article.paragraphs) + "\n", "utf-8")
        written.append(expected)
    return Drafted(spec_path, tuple(written), class_name(name))
