"""The Hanweb/大汉 government portal family: most county and city portals in Gansu and beyond.

Hanweb sites share their URLs and their list machinery, not their article template: articles
are `…/art/<year>/art_<32 hex>.html` (newer sites) or `…/art/<y>/<m>/<d>/art_<column>_<id>.html`
(older ones), column pages `/col/col<id>/index.html`, paged by `?uid=<unit>&pageNum=<n>` or by
the list script `/module/web/jpage/dataproxy.jsp` (a POST answered by an XML `<datastore>`).
Their article pages carry the title, a `来源:… 发布时间:…` meta line and the body in varying
markup, which the generic engine reads; a spec of this family names the host, its columns and
their unit and column ids.
"""

from __future__ import annotations

from typing import Any

from parsers.crawlspec import PagedList, ScriptList
from parsers.generic import GenericParser

# Under an optional site folder (/yjx/xnyw/art/...), both generations of article file names.
ART_PATH = r"(?:/[\w-]+)*/art/\d{4}/(?:\d{1,2}/\d{1,2}/)?art_(?:[0-9a-f]{32}|\d+_\d+)\.html$"
COL_PATH = r"/col/col\d+/index\.html(?:\?.*)?$"


def hosts(domains: tuple[str, ...]) -> str:
    """The start of a URL pattern: any host of the domains (www., m. …)."""
    return r"^https?://(?:[a-z0-9-]+\.)*(?:" + "|".join(d.replace(".", r"\.") for d in domains) + ")"


def column(col: int, unit: int) -> PagedList:
    """A column page, paged by the unit's `pageNum` query."""
    return PagedList(f"/col/col{col}/index.html", f"?uid={unit}&pageNum={{n}}")


def list_script(
    col: int, unit: int, site_id: int, site_name: str, *, window: int = 45, per_page: int = 15
) -> ScriptList:
    """A column paged by the family's list script, with the form fields its column page embeds."""
    form = {
        "col": "1", "appid": "1", "webid": str(site_id), "path": "/", "columnid": str(col),
        "sourceContentType": "1", "unitid": str(unit), "webname": site_name, "permissiontype": "0",
    }  # fmt: skip
    return ScriptList(
        "/module/web/jpage/dataproxy.jsp", form=tuple(form.items()), window=window, per_page=per_page
    )


class HanwebSite(GenericParser):
    """Base of the family's specs: URL patterns made from `domains`, articles read by the generic engine."""

    script = "zh-Hans"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.domains and "article_url" not in cls.__dict__:
            cls.article_url = hosts(cls.domains) + ART_PATH
        if cls.domains and "list_url" not in cls.__dict__:
            cls.list_url = hosts(cls.domains) + COL_PATH
