"""Farm mirrors of 天水在线 articles: tianshui's /news/<column>/<ID>.htm path on any other host.

The family is recognised by the copied path on any host but tianshui's own, so the original
is http://www.tianshui.com.cn + path and the date is the ID's day. Editor lines are kept (some
end in a ` |` cell remnant); the headline is a 1-2 line heading in the body, else the farm's
<title> without the farm's name.
"""

from dataclasses import replace

from parsers.crawlspec import PagedList
from parsers.families.farm_mirror import FARM_RULES, FarmMirror
from parsers.rules import CopyOf


class TianshuiMirrorParser(FarmMirror):
    name = "tianshui_mirror"
    version = 2  # 2: the farm template's rules shared with lzbs_mirror
    # Any host but tianshui's own (www., m., bbs. …), with tianshui's article path.
    article_url = (
        r"^https?://(?!(?:[^/]*\.)?tianshui\.com\.cn(?:[:/]|$))[^/]+"
        r"/news/[a-z]+/(?:19|20)\d{15,17}(?:_\d+)?\.html?(?:[?#].*)?$"
    )
    example_urls = (
        "http://www.topointapp.com/news/tianshui/2021052016395850083.htm",
        "http://www.nibeiya.com/news/zjc/2022061710223563419.htm",
        "http://m.nibeiya.com/news/gg/2021092911352760218.htm",
        "https://yhg994208.cn/news/gg/2021092911352760218.htm",
        "http://www.yhg994208.cn/news/gg/2021092911352760218.htm",
        "https://www.hadlsm.com/news/zjc/2015032409283444201.html",
        "http://m.xuhongcf.com/news/qa/20210520163958500.htm",
        "http://new-mirror.example.net/news/qs/2019052611124645684.htm",
        "http://www.nibeiya.com/news/zjc/2022061710223563419_2.htm",
    )
    not_urls = (
        "http://www.nibeiya.com/news/zjc/",  # a farm's own index, not a copied article
        "http://www.nibeiya.com/news/zjc/20220617.htm",  # too short for a tianshui ID
        "http://www.nibeiya.com/keji/2021052011023.html",
        "http://m.tianshui.com.cn/news/zjc/201905261112464568.htm",  # tianshui's own mobile site
        "http://tianshui.com.cn/news/zjc/201905261112464568.htm",
    )
    copy_of = CopyOf(origin="http://www.tianshui.com.cn")
    base_url = "http://www.topointapp.com"
    lists = tuple(
        PagedList(u, "index_{n}.htm")
        for u in (
            "http://www.topointapp.com/news/tianshui/",
            "http://www.nibeiya.com/news/zjc/",
            "http://m.nibeiya.com/news/gg/",
            "http://yhg994208.cn/news/gg/",
        )
    )
    charset = "gb18030"
    rules = replace(FARM_RULES, stop_at=(*FARM_RULES.stop_at, "摄影相关图片", "攝影相關圖片"))
