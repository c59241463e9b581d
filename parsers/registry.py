"""The explicit, ordered list of site specs, for the parser and the crawler alike.

The first spec whose article or list URL pattern matches a URL parses it; generic is last and
takes every URL no site claims. The crawler builds its sites from the same list.
"""

from __future__ import annotations

from parsers.base import SiteParser
from parsers.generic import GenericParser
from parsers.sites.lzbs import LzbsParser
from parsers.sites.lzbs_mirror import LzbsMirrorParser
from parsers.sites.tftnews import TftnewsParser
from parsers.sites.tianshui import TianshuiParser
from parsers.sites.tianshui_mirror import TianshuiMirrorParser
from parsers.sites.xjmty import XjmtyParser
from parsers.sites.yongjing import YongjingParser
from parsers.sites.yunnan import YunnanParser
from parsers.sites.zhuanglang import ZhuanglangParser

PARSERS: tuple[SiteParser, ...] = (
    TianshuiParser(),
    TianshuiMirrorParser(),
    LzbsParser(),
    LzbsMirrorParser(),
    TftnewsParser(),
    XjmtyParser(),
    YunnanParser(),
    ZhuanglangParser(),
    YongjingParser(),
    GenericParser(),
)

_BY_NAME = {p.name: p for p in PARSERS}


def parser_for(url: str) -> SiteParser:
    """The parser for a URL: the first site spec whose patterns match, else the generic one."""
    for parser in PARSERS:
        if parser.suitable(url):
            return parser
    return PARSERS[-1]


def by_name(name: str) -> SiteParser:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"no parser named {name!r}; known: {', '.join(_BY_NAME)}") from None


def site_parsers() -> tuple[SiteParser, ...]:
    """Every spec except the generic fallback."""
    return PARSERS[:-1]
