"""The content-farm mirror template: farms that copy a regional outlet's article onto their own hosts.

Seen on www.topointapp.com, www.nibeiya.com, m.nibeiya.com, www.hadlsm.com, yhg994208.cn and
m.xuhongcf.com (SITES.md §1), one farm network: the copied article sits in the farm's article
block (desktop `div.art-con`, mobile `div.m-art-body`, older `div.post-content`/`#content`, else
the densest block), in traditional script, often pinyin-annotated, with the original's editor
line and none of its title or meta line. The farm injects keyword spam, county-name salad and
tag soup into the text, renders some images as markdown lines, and shows only its own copy time,
so the date is the copied path's. A site spec of this family names the original it copies
(`copy_of`), the hosts and the copied path, and where its headline is.
"""

from parsers.base import SiteParser
from parsers.rules import SiteRules

# Gambling/porn keyword lines, tag soup shown as text, county-name salad ("保靖縣| 積石山| 永康市|").
_JUNK = (
    r"^(?:<[^<>]+>)+$|(?:[^|]*\|){3}"
    r"|pk10|時時彩|时时彩|計劃網|计划网|彩票|棋牌|超碰|一區二區|一区二区|幸運飛艇|幸运飞艇|北京賽車|北京赛车"
)

FARM_DOMAINS = ("topointapp.com", "nibeiya.com", "hadlsm.com", "yhg994208.cn", "xuhongcf.com")
# Any host of the network (www., m. ...), as the start of a URL pattern.
FARM_HOST = r"^https?://(?:[a-z0-9-]+\.)*(?:" + "|".join(d.replace(".", r"\.") for d in FARM_DOMAINS) + ")"

FARM_RULES = SiteRules(
    title_in_body="headline",
    title_from_head=r"^(?P<title>.+?)(?:\s*[_|\-—–]\s*[^_|\-—–]{2,24})?$",  # "<headline>-拓點應用網"
    body=("div.art-con", "div.m-art-body", "div.post-content", "#content"),
    body_fallback=True,
    drop=(
        "script", "style", "iframe", "ins", ".spam", ".kw", ".hotwords", ".art-info", ".share",
        ".related", ".footer", ".header", "blockquote", "sub",
    ),
    stop_at=("相關閱讀", "相关阅读", "上一篇", "下一篇"),
    junk_lines=_JUNK,
    markdown_images=True,
)  # fmt: skip


class FarmMirror(SiteParser):
    """Base of the farm's mirror specs: the template's rules; dates from the copied path."""

    domains = FARM_DOMAINS
    script = "zh-Hant"
    dates = "url"  # a farm's own 发布时间 is the time it copied the page, never the publish date
    rules = FARM_RULES
