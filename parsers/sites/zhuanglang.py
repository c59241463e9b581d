"""庄浪县人民政府 www.gszhuanglang.gov.cn: a Hanweb county portal, as the development replica serves it.

The replica (flows/replica_history.py) serves this site in its real shape with a made-up
history, to show backfill, script-paged lists, sitemaps, feeds and revisits; the operator's
sites file keeps it disabled (crawl it with `regionews crawl --replica --site zhuanglang`).
"""

from parsers.families.hanweb import HanwebSite, column, list_script


class ZhuanglangParser(HanwebSite):
    name = "zhuanglang"
    domains = ("gszhuanglang.gov.cn",)
    example_urls = (
        "http://www.gszhuanglang.gov.cn/art/2025/art_89dcad01ac97124a0571b382b612de3a.html",
        "http://www.gszhuanglang.gov.cn/col/col1234/index.html",
    )
    base_url = "http://www.gszhuanglang.gov.cn"
    lists = (
        column(1234, 4437),  # 要闻
        list_script(5678, 4437, 12, "庄浪县人民政府", window=10, per_page=10),  # 政务动态
    )
    robots_sitemaps = True  # robots.txt names a sitemap index of two gzip sitemaps
    feeds = ("/rss/yw.xml", "/atom/tzgg.xml")
    charset = "utf-8"
