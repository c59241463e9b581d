"""What the words around a printed date make of it: a publish time, or something that is not one.

The label is read on the date's own line: the few characters before it (`发布时间 ：`,
`更新于`, `今天是`) and right after it (`06:40更新`, `…号以前)`). Roles:
- "published": a publish label (发布时间, 发布日期, 发表于, 发稿时间, 时间, 日期, PubDate…), or a
  newspaper edition (`（2024年05月10日 04 版）`, `第01版：要闻 2024年06月12日`): the print date;
- "unlabelled": no label; the page's layout decides (the line beside the headline);
- "updated": an update time (更新时间, 修改时间, `…更新`): kept as `updated_at`, never published;
- "banner": a site's "today is" line (`今天是2024年6月12日 星期三`, `农历…`);
- "archive": an e-paper's link to its old edition (`查看旧版(2019年6月1号以前)`, 往期);
- "comment": a comment or reply time (评论, 回复, 跟帖);
- "other": a date a label names as something else (成文日期, 活动时间, 截止日期…);
- "mirror": a mirror's own 發(fā)布時(shí)間 (pinyin-annotated or traditional label: the copy time).
"""

from __future__ import annotations

import re
from typing import Literal

DateRole = Literal["published", "unlabelled", "updated", "banner", "archive", "comment", "other", "mirror"]

# The last token before a date on its line: `发布时间 ：`, `日期:`, `(`, `更新于 `.
_LABEL = re.compile(r"[^\s|｜丨/】\]]*\s*[:：]?\s*[(（\[【]?\s*$")
_TONED = r"[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*"

# Content farms copying a page label it with pinyin or in traditional script: 發(fā)布時(shí)間, 發佈時間.
_MIRROR = re.compile(rf"(?:[發发][(（]{_TONED}[)）]|發)(?:布|佈|表)\S{{0,12}}$")
# Update stamps on news portals and CMS templates: 更新时间, 最后修改, 编辑于 (zhihu-style), 修订.
_UPDATED = re.compile(
    r"(?:(?:更新|修改|修订|编辑于|最后更新|最近更新)(?:时间|日期|于)?|updated?|modified)\s*[:：]?\s*$",
    re.IGNORECASE,
)
# A date a label names as something else: a document's own dates, events, deadlines.
_OTHER = re.compile(
    r"(?:成文|印发|签发|生效|施行|实施|有效|截止|报名|举办|举行|活动|会议|开始|结束|考试|开放|营业|"
    r"办理|申报|受理|出生|拍摄|采访|开幕|闭幕|开庭|上映|播出|首播|生产)(?:时间|日期|于)?\s*[:：]?\s*$"
)
# Publish labels of portals, government CMSs (Hanweb, TRS) and old ASP templates.
_PUBLISHED = re.compile(
    r"(?:(?:发布|发表|发稿|刊发|刊登|稿件|出版|见报|上传|录入|添加|加入|提交|推送|首发|生成|公开|上线)"
    r"(?:时间|日期|于)?|时间|日期|发布于|发表于|pubdate|date|published|posted)\s*[:：]?\s*$",
    re.IGNORECASE,
)
# Portal top bars: 今天是2024年6月12日 星期三, 现在时间：…, 当前日期：…
_BANNER_BEFORE = re.compile(r"(?:今天|今日|现在|当前|此刻|欢迎)")
_BANNER_AFTER = re.compile(r"^\s*(?:星期.\s*)?(?:农历|阴历)")
# E-paper archive links: 查看旧版(2019年6月1号以前), 往期回顾, 历史版面
_ARCHIVE_BEFORE = re.compile(r"(?:旧版|往期|历史版面|以往)")
_ARCHIVE_AFTER = re.compile(r"^\s*(?:以前|之前|前的)")
_COMMENT = re.compile(r"(?:评论|回复|跟帖|留言|网友)")
# A newspaper edition's date is the story's print date: people.com.cn / gmw.cn print-source lines
# `《 人民日报 》（ 2024年05月10日   04 版）`, e-paper mastheads `2024年06月12日 第01版`
_EDITION = re.compile(r"^\s*(?:星期.\s*)?(?:第\s*)?[A-Z]?\d{1,3}\s*版")
_EDITION_BEFORE = re.compile(r"第\s*[A-Z]?\d{1,3}\s*版[:：]?[^\s]{0,8}\s*$")
# `2005-04-05 06:40更新` (Yahoo China and other portals put the word after the time)
_UPDATED_AFTER = re.compile(r"^\s*(?:更新|修改)(?!时间|日期)")


def label_before(text: str, start: int) -> str:
    """The label token right before position `start` on its line (`发布时间 ：`, `(`), stripped."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - 40) : start]
    m = _LABEL.search(before)
    return m.group().strip() if m else ""


def date_role(before: str, after: str = "") -> DateRole:
    """What a date is, from the text before it on its line and the text right after it.

    `before` may be the whole line up to the date: only its last token is the label, and
    a banner or archive word a few characters earlier still counts.
    """
    m = _LABEL.search(before[-40:])
    label = m.group().strip().rstrip("(（[【 ") if m else ""  # `发布日期：【2024-06-11】`
    near = before[-12:]
    if _MIRROR.search(label):
        return "mirror"
    if _UPDATED.search(label) or _UPDATED_AFTER.match(after):
        return "updated"
    if _BANNER_BEFORE.search(near) or _BANNER_AFTER.match(after):
        return "banner"
    if _ARCHIVE_BEFORE.search(near) or _ARCHIVE_AFTER.match(after):
        return "archive"
    if _COMMENT.search(label):
        return "comment"
    if _OTHER.search(label):
        return "other"
    if _PUBLISHED.search(label) or _EDITION.match(after) or _EDITION_BEFORE.search(near):
        return "published"
    return "unlabelled"
