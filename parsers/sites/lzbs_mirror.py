"""Farm mirrors of 兰州新闻网 articles (seed 001): lzbs's path on the farm network's hosts.

The copy runs the byline into the headline (…示範縣蘭州市永登縣委書記 王彥群: normalization
splits it off), shows no date of the article, and keeps the 責任編輯 line and the 版權聲明
block. lzbs's path scheme is too common to route on alone (tsrb uses the same
/<ch>/YYYY-MM/DD/content_<id>.htm), so only the farm's hosts are routed.
"""

from dataclasses import replace

from parsers.crawlspec import PagedList
from parsers.families.farm_mirror import FARM_HOST, FARM_RULES, FarmMirror
from parsers.rules import CopyOf


class LzbsMirrorParser(FarmMirror):
    name = "lzbs_mirror"
    version = 2  # 2: the farm template's rules shared with tianshui_mirror
    article_url = FARM_HOST + r"/[a-z]+/(?:19|20)\d{2}-\d{2}/\d{2}/content_\d+\.html?(?:[?#].*)?$"
    example_urls = (
        "http://www.hadlsm.com/ztbd/2023-08/15/content_5123877.htm",
        "http://m.nibeiya.com/xqxw/2023-11/07/content_5160442.htm",
    )
    not_urls = (
        "http://www.tsrb.com.cn/xwzx/2014-07/15/content_1234567.htm",  # the same scheme on another outlet
        "http://unknown-farm.example.com/ztbd/2023-08/15/content_5123877.htm",
    )
    copy_of = CopyOf(origin="http://www.lzbs.com.cn")
    base_url = "http://www.hadlsm.com"
    lists = tuple(
        PagedList(u, "index_{n}.htm")
        for u in ("http://www.hadlsm.com/ztbd/", "http://m.nibeiya.com/xqxw/", "http://www.nibeiya.com/ztbd/")
    )
    rules = replace(
        FARM_RULES,
        title_in_body="first_line",  # the headline with its byline is one long line
        stop_at=(*FARM_RULES.stop_at, "版权声明", "版權聲明"),
        end_after=("责任编辑", "責任編輯"),
    )
