"""Who and where from, read off a template's own elements: the meta line's 来源, a byline element,
credit lines printed outside the body. Credit lines inside the body are normalization's
(`parsers.bylines`); the label grammar is one, here and there.
"""

from __future__ import annotations

import re

from parsers.bylines import parse_credit

# 来源：兰州日报 / 新闻来源:张家川县融媒体中心 (an empty 来源 runs into the page's 打印 link)
SOURCE = re.compile(r"(?:新闻|新聞)?(?:来源|來源)[:：]\s*(?P<src>[^\s:：|丨)）]+)")
_NAME = re.compile(r"[\u4e00-\u9fff·]{2,4}")
# words a byline token ends with that make it a title or office, not a name
_NOT_NAME = ("记者", "通讯员", "书记", "县长", "区长", "市长", "主任", "部长", "局长")


def source_in(meta: str | None) -> str | None:
    """The outlet a meta line names after 来源, or None."""
    m = SOURCE.search(meta or "")
    return m["src"] if m and not m["src"].startswith("打印") else None


def byline_names(text: str) -> tuple[str, ...]:
    """Names in a byline element: `记者 张三 李四`, `兰州市永登县委书记 王彦群` -> the 2-4 hanzi names."""
    return tuple(t for t in text.split() if _NAME.fullmatch(t) and not t.endswith(_NOT_NAME))


def credit_fields(text: str) -> dict[str, tuple[str, ...]]:
    """The fields of a credit line (`责任编辑：杨丽娟` -> editors), {} when it is not one."""
    out: dict[str, list[str]] = {}
    for field_name, values in parse_credit(text) or ():
        if field_name in ("authors", "editors", "contributors", "reposters"):
            out.setdefault(field_name, []).extend(v for v in values if v not in out.get(field_name, ()))
    return {k: tuple(v) for k, v in out.items()}
