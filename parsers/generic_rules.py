"""The generic parser's rules as data: chrome tokens, markers, labels and thresholds.

Kept apart from the algorithm (as trafilatura keeps its xpaths.py) so a new kind of chrome
is a line here, not a code change. Token groups are joined by `_any()`, which refuses an
empty group: a missing rule must fail loudly, not match everything.
"""

from __future__ import annotations

import re


def _any(*groups: tuple[str, ...]) -> str:
    tokens = [t for g in groups for t in g]
    if not tokens or any(not t for t in tokens):
        raise ValueError("empty token group")  # not an assert: must hold under python -O
    return "|".join(re.escape(t) for t in tokens)


# Tags whose content is never article text (removed with their content before scoring).
STRIP_TAGS = (
    "script",
    "style",
    "noscript",
    "iframe",
    "template",
    "select",
    "textarea",
    "nav",
    "aside",
)  # fmt: skip  (not <form>: ASP.NET pages wrap the whole page in one; each tag costs a tree walk)

# Class/id substrings of page chrome, by kind (matched case-sensitively as CSS *= does).
NAV_TOKENS = (
    "nav", "menu", "breadcrumb", "crumb", "position", "weizhi", "location", "dqwz", "bread", "topbar",
    "top-bar", "sitemap",
)  # fmt: skip
FOOTER_TOKENS = (
    "footer",
    "foot",
    "copyright",
    "bqsm",
    "banquan",
    "bottom",
)  # `#bottom`: chinanews, ASP portals
SHARE_TOKENS = ("share", "bdshare", "bdsharebuttonbox", "fenxiang", "print-close", "toolbar")
RELATED_TOKENS = (
    "relate", "xgxw", "xgwz", "xglj", "recommend", "tuijian", "hotnews", "hot_news", "hot-news", "redian",
    "rank", "paihang",
)  # fmt: skip
COMMENT_TOKENS = ("comment", "pinglun", "reply")
AD_TOKENS = ("advert", "ad960", "guanggao", "banner")
SIDE_TOKENS = ("sidebar", "side-bar", "side_bar")

# One regex over "class id" of every element is ~6x faster in lexbor than 100 [class*=…] selectors.
CHROME_TOKENS = re.compile(
    _any(NAV_TOKENS, FOOTER_TOKENS, SHARE_TOKENS, RELATED_TOKENS, COMMENT_TOKENS, AD_TOKENS, SIDE_TOKENS)
)
# what only a site's footer prints: its ICP licence, public-security filing, all-rights line
FOOTER_TEXT = re.compile(
    r"ICP[备证]|公网安备|All Rights Reserved|版权所有[:：]?\s*[\u4e00-\u9fff]{2,}(?:网|社|政府|中心)"
)
MAX_CHROME_SHARE = 0.6  # a chrome-named node holding more of the page text than this is a wrapper

# Text units that score their containers.
UNIT_TAGS = ("p", "br", "div", "td", "font")
UNIT_SELECTOR = ", ".join(UNIT_TAGS)  # <br>-broken text in <span>/<founder-content> is scored via the <br>
MIN_UNIT = 10
BODY_PUNCT = "，。；：！？、“”"
BODY_PUNCT_RE = re.compile(f"[{BODY_PUNCT}]")
NO_PUNCT_WEIGHT = 0.3  # lines without Chinese punctuation are titles, names, menus
# Content farms inject keyword spam (`超碰…|国产…`, county-name salad) as one huge block: a run
# this long with no sentence punctuation at all is no paragraph (a real page had one of 174,000 chars).
MAX_UNPUNCTUATED = 800
RUN_ENDS = f"{BODY_PUNCT}，。；：！？,.;:!?…"  # the marks that end an unpunctuated run
# A run is looked for only where one can start (the text's start, right after a mark), so the
# check is linear; a search for the run alone restarts at every character (quadratic: 34 ms on a
# 10 KB block of long runs).
UNPUNCTUATED_AT_START = re.compile(rf"[^{RUN_ENDS}]{{{MAX_UNPUNCTUATED}}}")
UNPUNCTUATED_AFTER_MARK = re.compile(rf"[{RUN_ENDS}][^{RUN_ENDS}]{{{MAX_UNPUNCTUATED}}}")
MIN_REPEATED_LINE = 40  # a paragraph, not a list item
MIN_REPEATED_RUN = 2  # this many paragraphs in a row, all printed before: the story printed twice
# Containers a CMS names for the article (checked before scoring): WeChat official-account pages
# and their re-hosts keep it in #js_content, often as <section>/<span> runs no text unit scores.
# One selector (a list of them: the first element in page order matching any), looked for in the
# same walk as the text units.
KNOWN_BODY = "#js_content"
MIN_BEST_SCORE = 90.0  # a one-sentence notice (印发…的通知) scores about 100
MIN_SIBLING_SCORE = 60.0
SIBLING_SHARE = 0.3
MIN_BODY_CHARS = 60
MAX_CANDIDATES = 5  # best-scoring containers looked at when the first is chrome
MIN_LEAD = 40  # a boxed summary above the body this long, ending a sentence, is the story's lead
LEAD_REPEAT_WINDOW = 400  # characters of the body's opening searched for a repeated summary

# Inside the chosen body: boxes that are mostly links are related-story lists.
LINK_BOX_SELECTOR = "ul, ol, dl, table, div, p, li"
MAX_LINK_SHARE = 0.6
# a link the text itself names: the document a 政策解读 explains, a notice's attachments (kept)
DOCUMENT_LINK = re.compile(r"^(?:解读文件|政策原文|文件原文|原文链接|附件\s*\d*)\s*[:：]")
MIN_TITLE_LINK = 8  # a link with this much text reads like a story title
LIST_MIN_LINKS = 10  # this many story links and no body (or a body that is mostly them): a list page
LIST_PAGE_LINK_SHARE = 0.35  # page-wide, when no body was found (short articles run up to ~0.4 with one)
LIST_LINK_SHARE = 0.5  # of the main block's text; an article with a related list stays under it

# Headlines (parsers.headline). Heading elements looked at when no printed line agrees with
# <title>, in rank order: <h1>, then blocks a CMS names as a title, then <h2>.
HEADING_SELECTORS = (
    "h1",
    'founder-title, [class*="title" i], [id*="title" i], [class*="heading" i], [class*="headline" i], '
    # (youth.cn prints its headline in p.pbt inside div.page_bt)
    '.tit, .bt, .bt1, #tit, #bt, [class$="_bt" i], [class*="bt_" i], [class*="biaoti" i]',
    "h2",
)
HEADING_SELECTOR = ", ".join(HEADING_SELECTORS)
URL_LINE = re.compile(
    r"^(?:https?://)?[\w-]+(?:\.[\w-]+)+/?\S*$", re.I
)  # `http://house.sina.com.cn` above a date
NAV_SEPARATOR = re.compile(r"\s[-|｜/]\s?|\s?[-|｜/]\s")  # ` - `, ` | ` between menu items
LOGO_CLASS = re.compile(r"logo", re.I)  # `h1.channel-logo` (sina): the site's or column's name
# a `<title>` that is a site's own name (`某某县人民政府门户网站`, `天水在线`): never the headline
SITE_TITLE = re.compile(
    r"^[^_|｜\-—\s]{2,20}(?:网站|门户网?|官网|在线|新闻网|日报|晚报|融媒体?中心|政府网?)$"
)
TITLE_CLASS = re.compile(r"title|heading|headline|^tit$|^bt\d?$|(?:^|[\s_-])(?:tit|bt)(?:$|[\s_-])", re.I)
NOT_TITLE_CLASS = re.compile(r"sub|list|item|more|side", re.I)  # subtitles, list-item titles, sidebars
TITLE_METAS = ("og:title", "articletitle", "headline", "title", "twitter:title")
# `某网 > 时政新闻 >`, `您的位置：首页`: a breadcrumb is never a headline
BREADCRUMB = re.compile(r"[>»›]|(?:当前|您的|所在|现在)位置|首页\s*[/\\|]")
# sidebar and section headings (`相关信息`, `热点搜索`, `全部导航`): short lines starting with a section word
SECTION_HEADING = re.compile(
    r"^(?:相关|推荐|热点|热门|最新|最热|精彩|排行|更多|专题|导航|全部|版权|友情|联系|猜你|今日|图片|视频|值班"
    r"|网友|评论|分享|扫码|关注|阅读|编辑推荐)[\u4e00-\u9fff]{0,6}$"
)
SUBTITLE_LINE = re.compile(r"^\s*(?:——|—|──|－－|--|―)")  # 副题 printed under the headline: `——记…`
NEAR_CHARS = 300  # characters printed above the body in which a headline counts as near it
# elements a CMS names as the 副题 under or the 引题 above the headline (Founder e-paper tags, pinyin classes)
SUBTITLE_CLASS = re.compile(r"founder-subtitle|sub-?_?title|subhead|fbt|futi|fu_title", re.I)
KICKER_CLASS = re.compile(  # people.com.cn prints its 引题 as h3.pre
    r"founder-introtitle|pre-?_?title|intro-?_?title|kicker|yinti|(?:^|[\s_-])(?:yt|pre)(?:$|[\s_-])", re.I
)
# Where a headline came from that no second printing confirms: `<title>`/og:title alone (the
# page prints no agreeing line), a line above the meta line, the first heading anywhere; such
# titles are flagged `title_from:<origin>` (the body's first line: `title_from:body`)
WEAK_TITLE_ORIGINS = frozenset({"title_tag", "meta", "head_line", "anywhere"})
MIN_KICKER = 6  # a bare heading above the <h1> this long is its 引题; `要闻`, `时政新闻` name the column
MAX_HEADLINE_CHILDREN = 4  # a parent with more children than this is a container, not a headline
MAX_WIDEN = 3  # ancestors climbed from the element holding a headline's text to its heading
PROBE_CHARS = 8  # opening characters of a reference headline looked up in the page text
MIN_TITLE, MAX_TITLE = 4, 100
MIN_TITLE_PIECE = 6  # a leading body line this long found inside the title is a wrapped headline
MAX_SITE_NAME = 24  # `<title>` tails no longer than this are site or column names
MAX_SITE_ONLY = 6  # a `<title>` whose longest part is this short names the site, not the story
SITE_NAME_END = re.compile(r"(?:网|在线|新闻|日报|晚报|数字报|电子报|政府|融媒|媒体云|频道|头条|客户端)$")
MAX_HEADLINE_LINE = 40  # an in-body headline line (no <h1> anywhere) is at most this long

# Where the head and tail windows end (characters of text).
HEAD_WINDOW = 500
TAIL_WINDOW = 200
HEAD_LINES = 6
META_LINE_MAX = 120
SENTENCE = re.compile(r"[。，；！？]")
DATE_ONLY = re.compile(
    r"^\s*[(（]?\s*(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"(?:\s+\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?\s*[)）]?\s*$"
)
# the office signing a notice, printed over its date at the end of the text (落款)
SIGNATORY = re.compile(r"(?:政府|办公室|委员会|[局厅委办署院部]|中心|小组|指挥部|公司|协会|联合会)$")
SENTENCE_END = re.compile(r"[。；！？]|，.{8,}")

# Sources printed without a `来源` label, in an element the template names for it.
SOURCE_SELECTOR = (
    '[class*="source" i], [id*="source" i], [class*="laiyuan" i], [id*="laiyuan" i], [class*="src" i], '
    '[class*="ly" i]'
)
# `source`, `article-source`, `m-src` (mobile templates), `news_ly` (来源 in pinyin initials)
SOURCE_CLASS = re.compile(r"(?:^|[\s_-])(?:source|laiyuan|src|ly)(?:$|\s)", re.I)
SOURCE_LABEL = re.compile(r"^(?:信息|新闻|文章)?来源\s*[:：]?\s*")
SOURCE_NAME = re.compile(r"^[\u4e00-\u9fffA-Za-z·（）()\-]{2,30}$")  # an outlet's name: no digits, no spaces

# Data tables in a body (rows of short cells) are read a row per line; a cell holding any of
# these, or longer text, makes it a layout table.
NOT_DATA_CELL = "table table, p, div, img, ul, ol, br"
MAX_DATA_CELL = 40

# Captions: the short, centred (or <figcaption>/caption-class) line right after a body image.
CAPTION_TAGS = frozenset({"p", "div", "span", "font", "center", "figcaption", "td"})
CAPTION_CLASS = re.compile(r"caption|pic_?txt|img_?desc|tuzhu|desc", re.I)
MAX_CAPTION = 60

# Lines.
_STOP_MARKERS = (
    "相关新闻", "相关阅读", "相关文章", "相关链接", "相关报道", "推荐阅读", "延伸阅读", "热点推荐",
    "新闻推荐", "摄影相关图片", "相关图片", "上一篇", "下一篇", "版权声明", "版權聲明", "免责声明",
    "特别声明",
    "Comments", "相关文章Related", "猜你喜欢", "热门推荐", "精彩推荐", "扫一扫在手机打开当前页",
)  # fmt: skip
STOP_LINE = re.compile(rf"^\s*[【\[(（]?\s*(?:{_any(_STOP_MARKERS)})")
_CHROME_WORDS = (
    "打印本页", "打印", "打 印", "关闭窗口", "关 闭", "顶 部", "返回顶部", "字号", "字体设置", "字体", "收藏",
    "分享到", "分 享 至 手 机", "扫一扫", "浏览次数", "阅读次数", "点击量", "人气", "您所在的位置",
    "您当前的位置", "当前位置", "放大字体", "缩小字体", "本新闻共",
)  # fmt: skip
CHROME_LINE = re.compile(_any(_CHROME_WORDS))
META_LINE = re.compile(
    r"(?:来源|作者|记者|编辑|发布时间|发布日期|时间|日期)\s*[:：]|(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}"
    r"|(?<!\d)\d{2}-\d{2}-\d{2}\s+\d{1,2}:\d{2}"
)
# `发布时间：2024-04-27 10:15 发布人：校团委 浏览次数：893` under the body: a labelled date, no sentence
TAIL_META_LINE = re.compile(
    r"^[^。，；！？]*(?:发布|更新|录入|添加)?(?:时间|日期)\s*[:：]\s*(?:19|20)\d{2}\s*[-/.年][^。，；！？]*$"
)
ORIGINAL_TITLE = re.compile(r"^[【\[(（]?原标题\s*[:：]")

# Credits.
EDITOR_LABELS = frozenset({"责任编辑", "责编", "编辑", "审核", "终审", "审校"})
CREDIT_LABELS = (
    "责任编辑", "责编", "编辑", "审核", "终审", "审校", "撰稿", "记者", "作者", "文/图",
)  # fmt: skip
CREDIT_LABEL_AT_END = re.compile(rf"({_any(CREDIT_LABELS)})\s*$")  # longest label first in the tuple
NOT_NAMES = frozenset(
    {"打印本页", "打印", "关闭", "收藏", "字号", "分享", "浏览次数", "我要分享", "星期一", "星期二", "星期三",
     "星期四", "星期五", "星期六", "星期日", "星期天", "本网", "来源", "编辑", "记者", "通讯员"}
)  # fmt: skip

# Continuation pages of a story split over several URLs (CMS pagination), and how to number them.
# `1234_2.html` (PHPCMS, DedeCMS, EmpireCMS), `t20250417_27995230_1.html` (TRS: `_1` is page 2),
# `c1004-40232956-2.html` (people.cn), `index_1.html` beside `index.html`: the part number is the
# suffix plus one, which keeps both numberings in order. The stem must hold an id (four digits or
# more) or be `index`: `news_12.html` is an article of its own, `2024-05-09.html` a date.
# `?page=2`, `&pageno=3`: the page number.
PART_SUFFIX = re.compile(
    r"(?P<stem>/(?:[^/?#]*\d{4,}[^/?#]*?|index))(?<!\d{4}-\d\d)(?<!\d{4}-\d)(?P<sep>[_-])(?P<n>\d{1,2})"
    r"(?P<ext>\.(?:s?html?|php|aspx?|jsp))(?P<rest>[?#].*)?$"
)
PART_QUERY = re.compile(r"[?&](?:page|pageno|pg)=(?P<n>\d{1,3})(?=[&#]|$)", re.I)
