"""Held-out check: article pages of CMS families that are not in the real-page corpus.

The 47 pages of bench/realpages are the development set: every generic rule was tuned on them.
These pages were written by hand after the templates Chinese portals are built on (Hanweb/大汉,
TRS WCM, 动易 PowerEasy, DedeCMS/织梦, PHPCMS v9, 帝国 EmpireCMS, news.cn, Founder e-papers,
county 融媒体 app pages, a content farm, an old ASP county portal): their headline blocks,
`来源/发布时间/作者/字号/浏览次数` lines, breadcrumbs, `【打印】【关闭】`, share bars, related
lists and `版权所有/ICP备` footers as those templates print them, with county news as the text.
The expected values below were written by reading each page, before the parser was run on it.
They are parsed by the generic parser only (no site rules) and normalized as the pipeline does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from parsers.generic import GenericParser
from parsers.normalize import normalize_article
from parsers.records import Article, Page

DATA = Path(__file__).resolve().parent / "data" / "templates"
GENERIC = GenericParser()
FETCHED = datetime(2024, 6, 1, 2, 0, tzinfo=UTC)  # the day the `今天是` banners print
# chrome every page prints somewhere and no body may keep
CHROME = (
    "版权所有", "ICP备", "当前位置", "您的位置", "您现在的位置", "打印", "关闭", "分享到", "上一篇", "下一篇",
)  # fmt: skip


@dataclass(frozen=True)
class Expect:
    url: str
    title: str
    published: str | None  # China time, as printed (seconds where printed)
    precision: str
    paragraphs: int | None  # None: not counted (a table's rows)
    first: str  # how the body starts
    last: str  # how the body ends
    source: str | None = None
    kicker: str | None = None
    subtitle: str | None = None
    authors: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    contributors: tuple[str, ...] = ()
    updated: str | None = None
    flags: tuple[str, ...] = ()
    never: tuple[str, ...] = field(default=())  # page text that must not be in title or body
    contains: tuple[str, ...] = ()  # page text the body must keep


PAGES: dict[str, Expect] = {
    # Hanweb county portal: `<div class="article-title">`, a meta line of spans, #zoom body,
    # a `今天是` banner above it all, a related list with dates
    "hanweb_county": Expect(
        url="http://www.lintan.gov.cn/art/2024/3/12/art_1234_56789.html",
        title="临潭县召开春季森林草原防灭火工作推进会 部署当前重点任务",
        published="2024-03-12T16:25",
        precision="minute",
        source="县应急管理局",
        paragraphs=4,
        first="3月11日，临潭县召开春季森林草原防灭火工作推进会",
        last="等部门负责同志参加会议。",
        never=("相关链接", "县林草局开展森林防火宣传进村入户活动", "字号", "浏览次数", "今天是"),
    ),
    # TRS WCM disclosure page: 成文日期 (the document's date) and 发布日期 in the 信息公开 table,
    # a notice whose signature and date close the text
    "trs_policy": Expect(
        url="http://www.dingxi.gov.cn/zwgk/zcwj/szfbgswj/202405/t20240517_1234567.html",
        title="定西市人民政府办公室关于印发定西市2024年优化营商环境重点任务清单的通知",
        published="2024-05-17T10:03",
        precision="minute",
        source="市政府办公室",
        paragraphs=7,
        first="定政办发〔2024〕31号",
        last="（此件公开发布）",
        never=("索 引 号", "主题分类", "相关文件", "字体"),
    ),
    # 动易 (PowerEasy) school site, GB2312: prints only `更新时间`, which is never a publish time
    "powereasy_school": Expect(
        url="http://www.wyez.example.cn/Article/ShowArticle.asp?ArticleID=1523",
        title="渭源县第二中学举行“学雷锋”志愿服务活动启动仪式",
        published=None,
        precision="none",
        updated="2013-03-06",
        source="本站原创",  # as printed: the school's own story
        authors=("李建国",),
        paragraphs=3,
        first="为弘扬雷锋精神，3月5日上午",
        last="文明劝导等志愿服务活动。",
        flags=("no_date",),
        never=("点击数", "发表评论", "相关文章", "我校开展“学雷锋”主题班会"),
    ),
    # DedeCMS default template: `来源:未知 作者:admin` are the CMS's fillers, not a source or a
    # person; an intro box repeats the first paragraph; the header's date banner is not the date
    "dedecms_news": Expect(
        url="http://www.longxi.example.cn/a/xinwen/2023/0915/1234.html",
        title="陇西县中药材产业园二期项目开工建设",
        published="2023-09-15T10:21",
        precision="minute",
        source=None,
        paragraphs=4,
        first="9月14日，陇西县中药材产业园二期项目举行开工仪式。",
        last="项目建设单位代表参加开工仪式。",
        flags=("source_unknown",),
        never=("未知", "admin", "分隔线", "推荐内容", "热点内容", "挑错", "DedeCMS"),
    ),
    # PHPCMS v9: the date/source line is printed INSIDE the <h1>, after a <br>; a 【栏目】 kicker
    # in the headline; a credit line closing the body
    "phpcms_county": Expect(
        url="http://www.minxian.cn/html/xiangzhen/2023/1026/4521.html",
        title="岷县：当归种植户喜迎丰收",
        kicker="乡村振兴",
        published="2023-10-26T09:32:18",
        precision="minute",
        source="岷县融媒体中心",
        authors=("王小红",),
        contributors=("张强",),
        paragraphs=3,
        first="眼下正是当归采挖的季节",
        last="全镇当归种植面积稳定在3.2万亩。",
        never=("相关热词搜索", "延伸阅读", "频道总排行", "评论：", "记者：王小红"),
    ),
    # Founder e-paper: <title> is the paper's name, 引题/标题/副题 in table rows of their own,
    # `查看旧版(2019年10月31日以前)` beside the edition date, a byline row, a photo caption
    "founder_epaper": Expect(
        url="http://epaper.dxrb.net/html/2024-05/17/content_81234.htm",
        title="我市全力推进马铃薯种薯繁育基地建设",
        kicker="聚焦“三抓三促”行动",
        subtitle="今年计划新建标准化种薯繁育基地10万亩",
        published="2024-05-17",
        precision="day",
        authors=("马红梅",),
        paragraphs=3,
        first="本报讯 连日来，我市抢抓农时",
        last="进一步巩固“中国薯都”的地位。",
        never=("查看旧版", "第02版", "下一版", "农户正在播种"),
    ),
    # news.cn (2020 template): the time is a widget of separate spans above the headline
    # (`2024` / `05/17` / `09:31:22`), `来源：` beside it, `【责任编辑:…】` under the body
    "xinhua_template": Expect(
        url="http://www.news.cn/fortune/20240517/8f1e2a3b4c5d4e6f/c.html",
        title="前4月我国新能源汽车出口同比增长超两成",
        published="2024-05-17T09:31:22",
        precision="minute",
        source="新华网",
        authors=("张辛欣",),
        editors=("刘伟",),
        paragraphs=3,
        first="新华社北京5月16日电（记者张辛欣）",
        last="新能源汽车出口有望保持较快增长。",
        never=("纠错", "责任编辑", "相关链接", "热门推荐", "字体", "XINHUANET"),
    ),
    # county 融媒体 app share page: <title> is the app's name, the source in a span with no
    # label, a byline first line and an editor line last, an app-download bar, a caption
    "rongmeiti_county": Expect(
        url="https://www.tongwei.example.cn/h5/detail?id=88421",
        title="通渭县：小小草编 编出致富“金”路子",
        published="2024-05-16T18:02",
        precision="minute",
        source="通渭县融媒体中心",
        authors=("王丽娟",),
        editors=("李婷", "张志强"),
        contributors=("刘海军",),
        paragraphs=3,
        first="在通渭县平襄镇的草编扶贫车间里",
        last="产品远销韩国、日本等地。",
        never=("阅读体验更佳", "阅读 3562", "相关推荐", "暂无评论", "妇女们在车间编织草编制品", "赞 128"),
    ),
    # a content farm copying a newspaper: disclaimer under the body, a hot list in the sidebar
    "content_farm": Expect(
        url="https://www.zhonghuazx.example.com/difang/20240418/150113.html",
        title="甘肃天水：花牛苹果迎来盛花期 果农忙着疏花授粉",
        published="2024-04-18T14:36",
        precision="minute",
        source="天水日报",
        authors=("苏晓梅",),
        paragraphs=3,
        first="4月中旬，天水市麦积区的花牛苹果进入盛花期",
        last="年产值超过30亿元。",
        never=("免责声明", "热门文章", "相关阅读", "标签：", "C919"),
    ),
    # 帝国CMS (EmpireCMS) city news site: `时间：… 来源：… 作者：… 浏览：…次` under the <h1>,
    # `[责任编辑：…]` under the body, credits inside the first and last paragraphs kept
    "empirecms_city": Expect(
        url="http://www.byxw.example.cn/news/bylocal/2024-02-21/23456.html",
        title="白银市举办2024年“春风行动”大型招聘会 提供岗位5200余个",
        published="2024-02-21T08:47:05",
        precision="minute",
        source="白银日报",
        authors=("陈晓东",),
        editors=("王娜",),
        paragraphs=3,
        first="本报讯（记者 陈晓东）2月20日",
        last="提供就业服务。（白银日报）",
        never=("责任编辑", "相关新闻", "靖远县“春风行动”送岗位到村组", "浏览"),
    ),
    # an old ASP county portal: <title> is the portal's name, the headline a bold table cell,
    # no publish date anywhere (only a `今天是` banner and the footer's years): None, flagged
    "asp_nodate": Expect(
        url="http://www.zhangxian.gov.cn/Tzgg/ShowNews.asp?id=123",
        title="关于做好全县第五次全国经济普查登记工作的通知",
        published=None,
        precision="none",
        paragraphs=5,
        first="各乡镇人民政府，县直各部门：",
        last="不作为任何单位对普查对象实施处罚的依据。",
        flags=("no_date",),
        never=("今天是", "发布人", "阅读：", "农历"),
    ),
    # -- second batch, written after the rules above were fixed for the first -------------
    # chinanews.com.cn: headline and time line in divs named for them, `(完)` ends the story
    "chinanews_article": Expect(
        url="http://www.chinanews.com.cn/df/2024/05-17/10218765.shtml",
        title="甘肃临夏：牡丹花开引客来",
        published="2024-05-17T10:23",
        precision="minute",
        source="中国新闻网",
        authors=("刘玉桃",),
        editors=("李岩",),
        paragraphs=3,
        first="中新网临夏5月17日电",
        last="带动农民增收。(完)",
        never=("相关新闻", "点击排行", "更多精彩内容", "About us", "中新社和中新网观点"),
    ),
    # cctv.com: `来源：… | 2024年05月17日 11:05:12` under the <h1>, editors under the body
    "cctv_article": Expect(
        url="https://news.cctv.com/2024/05/17/ARTIxyz123.shtml",
        title="青海玉树：虫草采挖季 牧民增收忙",
        published="2024-05-17T11:05:12",
        precision="minute",
        source="央视新闻客户端",
        editors=("杨雪", "刘亮"),
        paragraphs=3,
        first="央视网消息：眼下，青海玉树藏族自治州进入冬虫夏草采挖季",
        last="引导牧民有序采挖、回填草皮。",
        never=("相关新闻", "热点推荐", "字号", "CCTV.com"),
    ),
    # the e-paper article template with bare <h3> 引题, <h1> 标题, <h2> 副题 and a byline <p>
    "epaper_h3h1h2": Expect(
        url="http://www.gnrbs.example.cn/epaper/html/2024-05/17/content_2041.html",
        title="守护黄河上游生态屏障",
        kicker="玛曲县推进湿地保护修复",
        subtitle="玛曲县湿地保护修复工作纪实",
        published="2024-05-17",
        precision="day",
        authors=("才让东珠",),
        contributors=("李文斌",),
        paragraphs=3,
        first="五月的玛曲，草原返青，河湖如镜。",
        last="阿万仓镇牧民扎西说。",
        never=("州委常委会召开会议", "往期", "第A01版"),
    ),
    # a county portal on an intensive-platform CMS (开普云-style): hashed URL, no date in it
    "kaipu_gov": Expect(
        url="http://www.zhouqu.gov.cn/zqx/c112345/202405/e7a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5.shtml",
        title="舟曲县开展防汛应急演练",
        published="2024-05-16T17:40",
        precision="minute",
        source="县应急管理局",
        paragraphs=3,
        first="为进一步提高汛期突发事件应急处置能力",
        last="各乡镇分管负责同志现场观摩。",
        never=("浏览量", "字体", "欢迎访问", "开普云"),
    ),
    # a WordPress local-news site: <time datetime> with seconds, only the day printed;
    # `作者 白银小编` names the site's editor desk, not a person
    "wordpress_local": Expect(
        url="https://www.byben.example.com/2024/05/15/shilin/",
        title="景泰黄河石林景区迎来旅游旺季",
        published="2024-05-15",
        precision="day",
        paragraphs=3,
        first="五一假期过后，景泰黄河石林景区迎来旅游旺季",
        last="体验不一样的黄河风情。",
        never=("发表回复", "白银必吃的十种小吃", "WordPress", "电子邮箱", "白银人自己的生活资讯"),
    ),
    # -- third batch: layouts where a generic extractor most often goes wrong -------------
    # a two-paragraph story beside a sidebar of teasers with punctuated summaries
    "short_story_sidebar": Expect(
        url="http://www.klxw.example.cn/news/2024/0517/1205.html",
        title="康乐县：首批高标准农田建设项目通过验收",
        published="2024-05-17T16:08",
        precision="minute",
        source="康乐县农业农村局",
        paragraphs=2,
        first="近日，康乐县2023年度首批高标准农田建设项目通过县级验收",
        last="预计每亩年均增产粮食100斤以上。",
        never=("最新发布", "安全生产工作会议", "世界家庭日", "春季人才招聘会"),
    ),
    # a 公示 whose content is a table of names between two paragraphs, signed and dated
    "gov_table_notice": Expect(
        url="http://www.gskx.gov.cn/tzgg/202405/t20240520_987654.html",
        title="关于2024年康县公开招聘城镇公益性岗位人员拟聘用人员名单的公示",
        published="2024-05-20T11:32",
        precision="minute",
        source="县人社局",
        paragraphs=None,
        first="根据《2024年康县公开招聘城镇公益性岗位人员公告》",
        last="2024年5月20日",
        contains=("王小芳", "赵海燕", "保洁公益岗", "联系电话：0939-5121234"),
        never=("访问次数", "字号"),
    ),
    # a video story: `【视频】` kicker and `(图)` marker in the headline, several credits
    "video_kicker": Expect(
        url="http://www.lxxw.example.cn/sp/2024/0518/3321.html",
        title="积石山县灾后重建安置房交付使用",
        kicker="视频",
        published="2024-05-18T10:05",
        precision="minute",
        source="临夏州融媒体中心",
        authors=("马晓明", "韩东"),
        editors=("马兰", "何军"),
        paragraphs=3,
        first="5月18日，积石山县灾后重建首批安置房集中交付",
        last="大河家镇村民马哈买说。",
        flags=("title_suffix:图",),
        never=("编辑：马兰", "视频新闻"),
    ),
    # -- fourth batch ----------------------------------------------------------------------
    # an old Hanweb table layout, GB2312: <title> is the portal's name, the headline a
    # title-classed cell, a day-only 发布日期
    "hanweb_old_table": Expect(
        url="http://www.huachi.gov.cn/art/2012/2/14/art_10_12345.html",
        title="华池县召开2012年农村工作会议",
        published="2012-02-14",
        precision="day",
        source="县委办",
        paragraphs=3,
        first="2月13日，华池县召开2012年农村工作会议",
        last="确保农民收入持续较快增长。",
        never=("字体", "南京大汉", "政务动态"),
    ),
    # a mobile page: `06-12 09:31` with no year (the URL's year), the source in `span.m-src`
    "mobile_noyear": Expect(
        url="https://m.wwfb.example.cn/m/2024/0612/8820.html",
        title="天祝县：高原夏菜喜获丰收",
        published="2024-06-12T09:31",
        precision="minute",
        source="天祝县融媒体中心",
        paragraphs=3,
        first="眼下，天祝县的高原夏菜进入采收旺季",
        last="产品销往广州、上海等地。",
        never=("阅读 2876", "更多推荐", "武威市召开防汛工作会议", "点赞"),
    ),
    # a people.com.cn provincial channel: empty 引题/副题 elements, date glued to its time
    "people_local": Expect(
        url="http://gs.people.com.cn/n2/2024/0517/c183283-40846123.html",
        title="甘肃：2024年全省春季植树造林完成任务的92%",
        published="2024-05-17T08:43",
        precision="minute",
        source="甘肃日报",
        authors=("王睿君",),
        editors=("刘海天", "张晓梅"),
        paragraphs=3,
        first="本报讯（记者 王睿君）记者从省林草局获悉",
        last="造林质量明显提升。",
        never=("责编", "人民日报社概况", "本网原创"),
    ),
    # -- fifth batch -----------------------------------------------------------------------
    # the site's logo in the only <h1>, the headline in `div.bt`, a `9时31分` time
    "logo_h1_bt": Expect(
        url="http://www.hzrmt.example.cn/xw/2024/0517/5501.html",
        title="合作市举办第二届香巴拉旅游文化艺术节",
        published="2024-05-17T09:31",
        precision="minute",
        source="合作市融媒体中心",
        paragraphs=2,
        first="5月16日，合作市第二届香巴拉旅游文化艺术节在当周草原开幕",
        last="持续至5月20日。",
        never=("位置：", "专题"),
    ),
    # a notice that prints no publish time, only its own date in Chinese numerals at the end:
    # that is the document's date, not the page's; no date in the URL either
    "cppcc_nodate": Expect(
        url="http://www.mxzx.example.cn/tzgg/1234.html",
        title="关于召开政协第十届岷县委员会常务委员会第五次会议的通知",
        published=None,
        precision="none",
        source="县政协办公室",
        paragraphs=5,
        first="各位常务委员：",
        last="二〇二四年五月十七日",
        flags=("no_date",),
        never=("点击", "履职建设"),
    ),
    # an old school site printing its 发布时间 line under the body
    "meta_below_body": Expect(
        url="http://www.ltzx.example.cn/news/show.asp?id=2231",
        title="我校举行2024年春季田径运动会",
        published="2024-04-27T10:15",
        precision="minute",
        paragraphs=2,
        first="4月25日至26日，我校2024年春季田径运动会在学校田径场隆重举行",
        last="获得团体总分前六名。",
        never=("发布人", "浏览次数", "教学科研"),
    ),
    # -- sixth batch -----------------------------------------------------------------------
    # a provincial app's share page: <title> is the app, byline and editor lines apart
    "app_share_credits": Expect(
        url="https://xgs.gansudaily.example.com/share/article/1234567",
        title="甘肃文旅招商推介会签约项目46个 总金额超300亿元",
        published="2024-05-16T21:47:09",
        precision="minute",
        source="新甘肃客户端",
        authors=("赵梅", "施秀萍"),
        editors=("王雪", "马杰", "郭晓峰"),
        paragraphs=3,
        first="5月16日，2024年甘肃省文化和旅游产业招商推介会在兰州举行",
        last="加快发展的良好态势。",
        never=("版权声明", "下载新甘肃客户端", "编辑：王雪", "审核"),
    ),
    # related stories with punctuated summaries inside the article's own container
    "related_summaries": Expect(
        url="http://www.lzxq.example.cn/cyfz/2024/0515/781.html",
        title="兰州新区：新能源汽车产业链加速集聚",
        published="2024-05-15T08:30",
        precision="minute",
        source="兰州新区融媒体中心",
        paragraphs=2,
        first="走进兰州新区新能源汽车产业园",
        last="预计全年产值将突破150亿元。",
        never=("延伸阅读", "化工园区", "数据中心集群"),
    ),
    # a headline broken over two lines by <br>, printed with a space in og:title
    "h1_br_two_lines": Expect(
        url="http://www.jqnews.example.cn/2024/0514/5521.html",
        title="敦煌市：擦亮“金字招牌” 打造国际文化旅游名城",
        published="2024-05-14T17:22",
        precision="minute",
        source="酒泉日报",
        authors=("刘晶晶",),
        paragraphs=2,
        first="五月的敦煌，游人如织。",
        last="国际文化旅游名城建设迈出新步伐。",
    ),
    # -- seventh batch ---------------------------------------------------------------------
    # a photo story: centred `图为…` and `（本报记者 … 摄）` captions under the images
    "photo_captions": Expect(
        url="http://www.lnxw.example.cn/tpxw/2023/1108/661.html",
        title="徽县银杏树下的秋天",
        published="2023-11-08T15:20",
        precision="minute",
        source="陇南日报",
        authors=("王小军",),
        paragraphs=2,
        first="深秋时节，徽县嘉陵镇田河村的千年银杏树进入最佳观赏期",
        last="带动村民增收。",
        never=("图为游客", "摄）"),
    ),
    # a 政策解读 page: 信息公开 table above, bold section headings kept as lines of the text
    "policy_interpretation": Expect(
        url="http://www.hxzf.gov.cn/zcjd/2023/0302/456.html",
        title="《徽县农村人居环境整治提升五年行动实施方案》政策解读",
        published="2023-03-02T09:10",
        precision="minute",
        source="县农业农村局",
        paragraphs=7,
        first="解读文件：徽县农村人居环境整治提升五年行动实施方案",
        last="深入推进村庄清洁行动。",
        contains=("一、制定背景", "三、重点任务"),
        never=("索引号", "成文日期", "发布机构"),
    ),
    # a <title> cut short with `...` by the CMS; the page prints the whole headline
    "truncated_title_tag": Expect(
        url="http://www.xihe.gov.cn/zwgk/xzfbwj/202403/t20240305_112233.html",
        title="西和县人民政府办公室关于印发西和县2024年春季森林草原防灭火工作实施方案的通知",
        published="2024-03-05",
        precision="day",
        source="县政府办",
        paragraphs=4,
        first="各乡镇人民政府，县直有关部门：",
        last="2024年3月4日",
        never=("阅读",),
    ),
}


def _parse(name: str) -> Article:
    path = DATA / f"{name}.html"
    page = Page(
        url=PAGES[name].url,
        body=path.read_bytes(),
        fetched_at=FETCHED,
        headers=(),
        origin="file",
        location=str(path),
    )
    return normalize_article(GENERIC.parse(page))


def _china(value: datetime | None) -> str | None:
    return value.isoformat()[:19] if value else None


@pytest.mark.parametrize("name", sorted(PAGES))
def test_title_kicker_and_subtitle(name: str) -> None:
    want, art = PAGES[name], _parse(name)
    assert (art.title, art.kicker, art.subtitle) == (want.title, want.kicker, want.subtitle)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_publish_time_as_printed_or_none_with_a_flag(name: str) -> None:
    want, art = PAGES[name], _parse(name)
    got = _china(art.published_at)
    expected = want.published
    if expected is not None and "T" in expected and expected.count(":") == 1:
        expected += ":00"
    elif expected is not None and "T" not in expected:
        expected += "T00:00:00"
    assert (got, art.published_precision) == (expected, want.precision)
    if want.published is None:
        assert "no_date" in art.flags
    if want.updated:
        assert _china(art.updated_at)[:10] == want.updated


@pytest.mark.parametrize("name", sorted(PAGES))
def test_source_and_credits(name: str) -> None:
    want, art = PAGES[name], _parse(name)
    assert art.source == want.source
    assert art.authors == want.authors
    assert art.editors == want.editors
    assert art.contributors == want.contributors
    for flag in want.flags:
        assert flag in art.flags


@pytest.mark.parametrize("name", sorted(PAGES))
def test_body_as_printed_without_chrome(name: str) -> None:
    want, art = PAGES[name], _parse(name)
    if want.paragraphs is not None:
        assert len(art.paragraphs) == want.paragraphs, art.paragraphs
    assert art.paragraphs[0].startswith(want.first)
    assert art.paragraphs[-1].endswith(want.last)
    for kept in want.contains:
        assert kept in art.body
    text = art.title + "\n" + art.body
    for noise in (*CHROME, *want.never):
        assert noise not in text, f"chrome left in: {noise!r}"
    assert len(set(art.paragraphs)) == len(art.paragraphs), "a paragraph printed twice"
