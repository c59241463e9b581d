"""A small made-up world of two news sites for crawler tests, independent of the fixtures.

Site `alpha` (a.test) has two columns with `index_{n}.htm` pagination; site `beta`
(b.test, with a www. mirror host allowed) paginates with `?page={n}`. Every article is a
GBK or UTF-8 page the generic parser turns into an article: their specs (tests/world_specs.py)
declare how to crawl them and read them with the generic engine, as a site nobody wrote rules
for would be.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flows.replica import Doc
from flows.sites import Registry, parse_sites
from parsers import registry as parser_registry
from parsers.base import SiteParser
from tests.world_specs import SPECS, AlphaSpec, BetaSpec

__all__ = ["WORLD_SPECS", "AlphaSpec", "BetaSpec", "registered", "use_specs", "world_docs", "world_registry"]

WORLD_SPECS: tuple[SiteParser, ...] = SPECS


def use_specs(*specs: SiteParser) -> None:
    """Put made-up specs in the registry, first, as if the project shipped them (for code that reads a
    sites file itself: the CLI, a crawl in a subprocess). A test in this process uses `registered`."""
    parser_registry.PARSERS = (*specs, *parser_registry.PARSERS)
    parser_registry._BY_NAME.update({s.name: s for s in specs})


@contextmanager
def registered(*specs: SiteParser) -> Iterator[None]:
    before, by_name = parser_registry.PARSERS, dict(parser_registry._BY_NAME)
    use_specs(*specs)
    try:
        yield
    finally:
        parser_registry.PARSERS = before
        parser_registry._BY_NAME.clear()
        parser_registry._BY_NAME.update(by_name)


_PARAGRAPHS = (
    "{day}日，{county}召开民族团结进步创建工作推进会，总结前一阶段工作，安排部署下一阶段重点任务。",
    "会议指出，全县各级各部门要深入学习贯彻党的民族政策，把民族团结进步创建工作作为一项政治任务抓紧抓实。",
    "会议要求，要坚持“五结合五防止”，推动创建工作进机关、进企业、进社区、进乡镇、进学校。",
)
COUNTIES = (
    "张家川县",
    "秦安县",
    "甘谷县",
    "清水县",
    "武山县",
    "麦积区",
    "秦州区",
    "永登县",
    "榆中县",
    "皋兰县",
)


def article_html(title: str, day: int, county: str, charset: str) -> bytes:
    paragraphs = "\n".join(f"<p>　　{p.format(day=day, county=county)}</p>" for p in _PARAGRAPHS)
    return (
        f'<html><head><meta charset="{charset}"><title>{title}_测试新闻网</title></head><body>\n'
        '<div class="nav"><a href="/">首页</a></div>\n'
        f'<h1>{title}</h1><div class="info">2024-05-{day:02d} 10:30 来源：{county}融媒体中心</div>\n'
        f'<div class="content">{paragraphs}</div>\n'
        '<div class="footer">版权所有 测试新闻网</div></body></html>'
    ).encode(charset)


def world_docs(alpha: int = 10, beta: int = 6) -> dict[str, Doc]:
    docs: dict[str, Doc] = {}
    for i in range(alpha):
        column = "zx" if i % 2 else "yw"
        county = COUNTIES[i % len(COUNTIES)]
        url = f"http://a.test/news/{column}/202405{i + 1:02d}1030{i:04d}.htm"
        docs[url] = Doc(article_html(f"{county}召开民族团结进步创建推进会第{i}次", i + 1, county, "gbk"))
    for i in range(beta):
        county = COUNTIES[-1 - i % len(COUNTIES)]
        url = f"http://b.test/system/2024/06/{i + 1:02d}/{100000 + i:09d}.shtml"
        docs[url] = Doc(
            article_html(f"{county}举办民族团结进步月活动第{i}场", i + 1, county, "utf-8"),
            "text/html; charset=utf-8",
        )
    return docs


def world_sites_toml(delay: float = 0.0, concurrency: int = 2, retries: int = 2, **crawler: object) -> str:
    extra = "\n".join(
        f"{k} = {v!r}" if not isinstance(v, bool) else f"{k} = {str(v).lower()}" for k, v in crawler.items()
    )
    return f"""
[crawler]
contact = "https://example.org/regionews-tests"
timeout = 0.5
max_bytes = 200000
retries = {retries}
backoff = 0.05
backoff_max = 0.2
max_retry_after = 5
batch_size = 4
{extra}

[defaults]
delay = {delay}
concurrency = {concurrency}
"""


def world_registry(**kw: object) -> Registry:
    return parse_sites(world_sites_toml(**kw), "test-sites.toml", WORLD_SPECS)
