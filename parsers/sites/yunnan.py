"""云南网 yunnan.cn: the provincial portal whose articles content farms (tftnews) copy.

Article page: breadcrumb "您当前的位置：云南网 >> 云南频道 >> <栏目> >> 正文", title,
"发布时间：2025年03月28日 16:05:00  来源： <outlet>", body of <p> paragraphs with a centred
caption under each centred image, then "责任编辑：" in its own block.
"""

from parsers.base import SiteParser
from parsers.crawlspec import PagedList
from parsers.rules import Captions, SiteRules

_HOST = r"^https?://[a-z0-9]+\.yunnan\.cn"


class YunnanParser(SiteParser):
    name = "yunnan"
    version = 2  # 2: absolute image URLs
    domains = ("yunnan.cn",)  # every channel is a subdomain: yn., news., society., zt. …
    article_url = _HOST + r"/system/\d{4}/\d{2}/\d{2}/\d{9}\.shtml$"
    list_url = _HOST + r"/[a-z0-9]+/(?:index(?:_\d+)?\.shtml)?$"
    example_urls = (
        "http://yn.yunnan.cn/system/2025/03/28/033478215.shtml",
        "http://yn.yunnan.cn/zs/index.shtml",
        "http://yn.yunnan.cn/zs/index_2.shtml",
    )
    not_urls = ("http://yn.yunnan.cn/system/2025/03/28/0334782.shtml",)  # the id has 9 digits
    base_url = "http://yn.yunnan.cn"
    lists = (PagedList("/zs/index.shtml", "index_{n}.shtml"),)
    charset = "utf-8"
    rules = SiteRules(
        title=(".xtitle h1", ".xtitle"),
        body=("#layer216", ".xcont"),
        meta=(".xt2",),
        credits=(".xbianji",),
        drop=(".xt2-font", ".xcont script", ".xcont style"),
        stop_at=("责任编辑：", "责任编辑:"),  # when the editor line sits inside the body
        list_page=(".xlist",),
        captions=Captions(end=r"(?:供图|摄|摄影|[（(]资料图片?[)）])[)）]?$", alt=False),
    )
