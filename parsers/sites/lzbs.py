"""兰州新闻网 www.lzbs.com.cn (兰州日报): a div template in UTF-8.

Article URLs are /<channel>/YYYY-MM/DD/content_<id>.htm (our replica's scheme, unverified: no
real article URL is known offline; assets live under /res/YYYY-MM/DD/<uuid>.jpg). Signed
articles carry a byline "<office> <name>" (兰州市永登县委书记 王彦群) under the title. The body
ends with 责任编辑 and a 版权声明 block, which is not article text.
"""

from parsers.base import SiteParser
from parsers.crawlspec import PagedList
from parsers.rules import SiteRules

_HOST = r"^https?://(?:www\.)?lzbs\.com\.cn"


class LzbsParser(SiteParser):
    name = "lzbs"
    version = 2  # 2: captions read by the shared caption rule
    domains = ("lzbs.com.cn",)
    article_url = _HOST + r"/[a-z]+/(?:19|20)\d\d-\d\d/\d\d/content_\d+\.html?$"
    list_url = _HOST + r"/(?:[a-z]+/(?:index(?:_\d+)?\.html?)?)?$"
    example_urls = (
        "http://www.lzbs.com.cn/ztbd/2023-08/15/content_5123877.htm",
        "http://www.lzbs.com.cn/xqxw/2023-11/07/content_5160442.htm",
        "http://www.lzbs.com.cn/lzxw/2024-03/22/content_5203118.htm",
        "http://www.lzbs.com.cn/lzxw/",
    )
    base_url = "http://www.lzbs.com.cn"
    lists = tuple(PagedList(f"/{c}/", "index_{n}.htm") for c in ("lzxw", "xqxw", "ztbd"))
    charset = "utf-8"
    rules = SiteRules(
        title=("div.detail-title h1", "h1"),
        body=("div.detail-con", "#zoom"),
        meta=("div.detail-info",),
        byline=("div.detail-author",),  # "兰州市永登县委书记 王彦群" or "记者 张三 李四", under the title
        drop=("script", "style", "iframe", ".detail-share", ".fontsize", ".qrcode"),
        stop_at=("版权声明",),
        end_after=("责任编辑",),  # kept for normalization to move into editors
    )
