"""永靖县人民政府 www.gsyongjing.gov.cn: a Hanweb county portal (临夏州); its 县内要闻 column.

Articles live under the column's folder (/yjx/xnyw/art/2025/art_<hex>.html) and are read by the
generic engine. No lists are declared: the column and unit ids printed in the saved column page
have not been checked against the live site, and a crawl must not walk guessed ones.
"""

from parsers.families.hanweb import HanwebSite


class YongjingParser(HanwebSite):
    name = "yongjing"
    domains = ("gsyongjing.gov.cn",)
    example_urls = (
        "http://www.gsyongjing.gov.cn/yjx/xnyw/art/2025/art_3f9a1c7e5b2d48e6a0c4f81d2b7e9a53.html",
        "http://www.gsyongjing.gov.cn/col/col1502/index.html",
    )
    charset = "utf-8"
