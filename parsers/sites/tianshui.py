"""天水在线 www.tianshui.com.cn: an old ASP-era table template, GBK bytes declared as gb2312.

Article URLs are /news/<column>/<ID>.htm(l), the ID being the creation timestamp YYYYMMDDHHMMSS
plus 3-5 random digits (the date engine reads it as the fallback date). Pages 2..N of a story
are <ID>_<n>.htm, and column pages /news/<column>/ and index_<n>.htm (both unverified on the
live site). Some pages have no header and open with a 1-2 line headline in the body.
"""

from parsers.base import SiteParser
from parsers.crawlspec import PagedList
from parsers.rules import SiteRules

_HOST = r"^https?://(?:www\.)?tianshui\.com\.cn"
_COLUMNS = ("zjc", "qa", "qs", "gg", "tianshui")


class TianshuiParser(SiteParser):
    name = "tianshui"
    version = 3  # 3: captions read by the shared caption rule, absolute image URLs
    domains = ("tianshui.com.cn",)
    article_url = _HOST + r"/news/[a-z]+/(?:19|20)\d{15,17}(?:_\d+)?\.html?$"
    list_url = _HOST + r"/(?:news/(?:[a-z]+/)?(?:index(?:_\d+)?\.html?)?)?$"
    story_part = r"_(?P<part>\d+)(?=\.html?$)"
    example_urls = (
        "http://www.tianshui.com.cn/news/zjc/201905261112464568.htm",
        "http://www.tianshui.com.cn/news/zjc/2015032409283444201.html",
        "http://www.tianshui.com.cn/news/qa/2023012009421178325_2.htm",
        "http://tianshui.com.cn/news/zjc/201905261112464568.htm",
        "http://www.tianshui.com.cn/news/zjc/",
        "http://www.tianshui.com.cn/news/zjc/index_2.htm",
        "http://www.tianshui.com.cn/",
    )
    base_url = "http://www.tianshui.com.cn"
    lists = tuple(PagedList(f"/news/{c}/", "index_{n}.htm") for c in _COLUMNS)
    link_scope = "column"  # list pages carry a sidebar of other columns' stories
    charset = "gb18030"
    rules = SiteRules(
        title=(".newstitle h1", ".newstitle"),
        title_in_body="headline",
        title_from_head=r"^(?P<title>.+?)_天水在线$",
        body=("#zoom", "td.content"),
        meta=(".newstime",),
        drop=("script", "style", ".fenye", ".share", ".fontsize", "iframe"),
        stop_at=("摄影相关图片", "相关新闻", "推荐阅读"),
        pager=r"^本新闻共\s*\d+\s*页",  # "本新闻共3页,当前在第01页 010203" when not in .fenye
        list_page=("ul.newslist", "#listpage"),
    )
