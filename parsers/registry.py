"""The explicit, ordered list of site specs, for the parser and the crawler alike.

The first spec whose article or list URL pattern matches a URL parses it; generic is last and
takes every URL no site claims. The crawler builds its sites from the same list.

An operator's own sites (private ones, or not yet sent upstream) live in their own modules, each
defining `SPECS`, a tuple of spec instances; `add_spec_modules` puts them first in this list.
`flows` calls it on import with the modules named by REGIONEWS_SPEC_MODULES (warehouse/settings.py),
so every process that runs the flows sees the same sites. Such a module imports `parsers` only.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence

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


class SpecModuleError(ValueError):
    """A module named as holding site specs cannot be imported, or holds none; the message says which."""


def add_specs(specs: Iterable[SiteParser]) -> None:
    """Put specs first in the registry, before the shipped ones; a name another spec has fails."""
    global PARSERS
    new: list[SiteParser] = []
    for spec in specs:
        known = _BY_NAME.get(spec.name)
        if known is spec:
            continue  # registered already (the module was named twice)
        if known is not None or any(s.name == spec.name for s in new):
            raise SpecModuleError(
                f"site spec name {spec.name!r} ({type(spec).__module__}) is already taken by "
                f"{type(known or spec).__module__}; give the spec another name"
            )
        new.append(spec)
    PARSERS = (*new, *PARSERS)
    _BY_NAME.update({s.name: s for s in new})


def add_spec_modules(modules: Sequence[str]) -> None:
    """Import each named module and register its `SPECS`."""
    specs: list[SiteParser] = []
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            raise SpecModuleError(
                f"cannot import site spec module {name!r} ({exc}); "
                "install it, or put its folder on PYTHONPATH"
            ) from None
        found = getattr(module, "SPECS", None)
        valid = isinstance(found, tuple | list) and all(isinstance(s, SiteParser) for s in found)
        if not found or not valid:
            raise SpecModuleError(
                f"site spec module {name!r} must define SPECS, a tuple of site spec instances "
                "(e.g. SPECS = (MySiteParser(),))"
            )
        specs.extend(found)
    add_specs(specs)
