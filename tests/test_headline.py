"""Headlines on pages nobody wrote rules for, as a reader of the page would name them.

Every table uses real strings: `<title>` texts and headlines printed by the national, regional
and old table-layout portals of the real-page corpus (`bench/realpages`), the seed sites, and
the layouts they were printed in, cut down to the elements that matter.
"""

from __future__ import annotations

import pytest

from parsers.generic import GenericParser
from parsers.headline import agreement, key, split_title_tag
from parsers.records import Page

GENERIC = GenericParser()
_SENTENCE = "县委、县政府高度重视民族团结进步创建工作，多次专题研究部署，完善工作机制，推动创建工作走深走实。"
_BODY = "".join(f"<p>　　第{i}段，{_SENTENCE}</p>" for i in range(1, 6))


def _parse(head: str, body: str):
    html = f'<html><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'
    return GENERIC.parse(Page(url="http://news.example.cn/a/1.html", body=html.encode("utf-8")))


@pytest.mark.parametrize(
    ("title_tag", "want"),
    [
        # caijing: headline, column, channel, site and domain
        (
            "2024年4月全国CPI同比上涨0.3% 食品价格下降2.7%_数据_宏观频道首页_财经网 - CAIJING.COM.CN",
            "2024年4月全国CPI同比上涨0.3% 食品价格下降2.7%",
        ),
        # people.com.cn: `--` separators and a trailing space
        (
            "在新时代中部地区崛起中争先出彩（推动高质量发展·权威发布）--经济·科技--人民网 ",
            "在新时代中部地区崛起中争先出彩（推动高质量发展·权威发布）",
        ),
        ("工商部门初定SKII广告属于虚假宣传-搜狐财经", "工商部门初定SKII广告属于虚假宣传"),
        # a single dash inside a headline is the headline's own (sohu 2003)
        ("对比试车—测试昌河北斗星、爱迪尔(图)", "对比试车—测试昌河北斗星、爱迪尔(图)"),
        # site and column names only: no headline at all
        ("北医新闻网_(新闻)", ""),
        ("天水在线--张川新闻", ""),
    ],
)
def test_title_tag_loses_site_and_column_names(title_tag: str, want: str) -> None:
    assert split_title_tag(title_tag)[0] == want


@pytest.mark.parametrize(
    ("printed", "reference", "level"),
    [
        ("维护全人类共同利益需联手抵制保护主义", "\n维护全人类共同利益需联手抵制保护主义\n", 2),
        ("娱乐圈受黑社会控制？ 明星挨打事件回顾(图)", "娱乐圈受黑社会控制? 明星挨打事件回顾(图)", 2),  # NFKC
        ("政能亮丨“稳经济”需要跑出“加速度”", "政能亮丨“稳经济”需要跑出“加速度”凤凰网评论", 1),
        ("相关阅读", "维护全人类共同利益需联手抵制保护主义", 0),
        ("天水在线", "天水在线--张川新闻", 0),  # less than half of the reference
    ],
)
def test_agreement_between_printed_line_and_title_tag(printed: str, reference: str, level: int) -> None:
    assert agreement(key(printed), key(reference)) == level


@pytest.mark.parametrize(
    ("head", "body", "title"),
    [
        # cnr: an <h1> printed twice, <title> with the site name
        (
            "<title>中央军委主席习近平签署命令 发布《军队装备试验鉴定规定》_央广网</title>",
            "<h1>中央军委主席习近平签署命令 发布《军队装备试验鉴定规定》</h1>",
            "中央军委主席习近平签署命令 发布《军队装备试验鉴定规定》",
        ),
        # xinhua: spaces between clauses, a <title> broken over source lines
        (
            "<title>\n            李强在新疆调研时强调 彰显特色优势 提高开放水平 "
            "在高质量发展中增进民生福祉促进长治久安-新华网\n"
            "        </title>",
            "<h1>李强在新疆调研时强调 彰显特色优势 提高开放水平 在高质量发展中增进民生福祉促进长治久安 </h1>",
            "李强在新疆调研时强调 彰显特色优势 提高开放水平 在高质量发展中增进民生福祉促进长治久安",
        ),
        # netease 2004: ASCII quotes and a space, in an <h1> with no class
        (
            '<title>简单道理捅破"飞人"神话 耐克鞋的气垫"伤机"_商业频道</title>',
            '<h1>简单道理捅破"飞人"神话 耐克鞋的气垫"伤机"</h1>',
            '简单道理捅破"飞人"神话 耐克鞋的气垫"伤机"',
        ),
    ],
)
def test_space_between_headline_clauses_is_kept(head: str, body: str, title: str) -> None:
    art = _parse(head, f"{body}<div>{_BODY}</div>")
    assert art.title == title
    assert art.raw_title is not None and " " in art.raw_title


def test_kicker_keeps_its_space_in_title_kicker_and_raw_title() -> None:
    art = _parse(
        "<title>【不忘初心 牢记使命】某某县召开会议 部署秋冬季防火工作_某某网</title>",
        f"<h1>【不忘初心 牢记使命】某某县召开会议 部署秋冬季防火工作</h1><div>{_BODY}</div>",
    )
    assert (art.title, art.kicker) == ("某某县召开会议 部署秋冬季防火工作", "不忘初心 牢记使命")
    assert art.raw_title == "【不忘初心 牢记使命】某某县召开会议 部署秋冬季防火工作"


@pytest.mark.parametrize(
    ("head", "body", "title"),
    [
        # southcn: a logo <h1> first, the headline in h2#article_title
        (
            "<title>美联储维持联邦基金利率目标区间不变 年内预将再加息_南方网</title>",
            '<h1>党务政务网站</h1><div class="m-article"><h2 id="article_title">'
            "美联储维持联邦基金利率目标区间不变 年内预将再加息</h2>",
            "美联储维持联邦基金利率目标区间不变 年内预将再加息",
        ),
        # gmw: a menu <h1> before the headline's <h1>, sidebar <h2>s after
        (
            "<title>\n维护全人类共同利益需联手抵制保护主义\n_光明网</title>",
            '<h1>全部导航</h1><h1 class="u-title">\n            '
            "维护全人类共同利益需联手抵制保护主义\n        </h1>"
            "<h2>相关阅读</h2>",
            "维护全人类共同利益需联手抵制保护主义",
        ),
        # sohu 2003: old table layout, the headline in a centred cell's <strong>
        (
            "<title>对比试车—测试昌河北斗星、爱迪尔(图)</title>",
            '<table><tr><td class="c14" align="center"><strong>对比试车—测试昌河北斗星、爱迪尔(图)</strong>'
            "</td></tr></table>",
            "对比试车—测试昌河北斗星、爱迪尔",
        ),
        # yahoo 2005: the headline in a bare <b>, a related link with the same words elsewhere
        (
            "<title>多数夫妻生活有名无实 日本无性婚姻问题严重(图)--雅虎新闻</title>",
            '<ul><li><a href="/1.html">多数夫妻生活有名无实 日本无性婚姻问题严重</a></li></ul>'
            "<table><tr><td><b>多数夫妻生活有名无实 日本无性婚姻问题严重(图)</b></td></tr></table>",
            "多数夫妻生活有名无实 日本无性婚姻问题严重",
        ),
    ],
)
def test_the_printed_headline_not_a_logo_menu_or_sidebar_heading(head: str, body: str, title: str) -> None:
    assert _parse(head, f"{body}<div>{_BODY}</div>").title == title


@pytest.mark.parametrize(
    ("head", "body", "title"),
    [
        # bjmu 2005: <title> names only the site; the headline is a title-classed cell
        (
            "<title>北医新闻网_(新闻)</title>",
            '<div>首页&gt;&gt;人物聚焦&gt;&gt;2005人物</div><table><tr align="center">'
            '<td class="bt_title">李简——新外科运动向我们走来</td></tr></table>',
            "李简——新外科运动向我们走来",
        ),
        # qianlong 2005: no <title> at all; the headline is a div.Heading above the date line
        (
            "",
            "<div>汽车&nbsp;&gt;&gt;&nbsp;车坛动态&nbsp;&gt;&gt;&nbsp;业界新闻</div>"
            '<div class="Heading">\n        广汽回应现代合资内幕 全面合作项目即将展开\n      </div>'
            "<div>http://www.qianlong.com/ 　\n        2005-07-18 13:03:17</div>",
            "广汽回应现代合资内幕 全面合作项目即将展开",
        ),
        # no <title>, no heading element: the line printed above the date/source line
        (
            "",
            "<div>新浪首页 &gt; 房产 &gt; 地产新闻 &gt; 正文</div>"
            "<div>拿出10万元投资房产 小两口尝试以钱生钱(图)</div>"
            "<div>http://house.sina.com.cn 2005年03月31日03:18 北京娱乐信报</div>",
            "拿出10万元投资房产 小两口尝试以钱生钱",
        ),
    ],
)
def test_headline_in_an_unexpected_element_falls_back(head: str, body: str, title: str) -> None:
    assert _parse(head, f"{body}<div>{_BODY}</div>").title == title


def test_breadcrumb_and_meta_markup_are_never_the_title() -> None:
    art = _parse(
        '<meta property="og:title" content="<div>——新外科运动向我们走来</div>">',
        '<div class="title">您的位置：首页 &gt; 时政新闻 &gt;</div>'
        '<h2 class="title">城市有轨电车之困：一边争相上马，一边接连叫停</h2>'
        f"<div>2024-05-09 08:10 来源：新浪新闻</div><div>{_BODY}</div>",
    )
    assert art.title == "城市有轨电车之困：一边争相上马，一边接连叫停"


@pytest.mark.parametrize(
    ("body", "title", "subtitle"),
    [
        # a subtitle on its own line inside the headline element
        (
            "<h1>积极因素不断增多 “质升量稳”动能增强<br>——前4个月我国外贸向好态势进一步巩固</h1>",
            "积极因素不断增多 “质升量稳”动能增强",
            "前4个月我国外贸向好态势进一步巩固",
        ),
        # glued on inline after the headline text
        (
            "<h1>北医新闻网人物聚焦：李简<span>——新外科运动向我们走来</span></h1>",
            "北医新闻网人物聚焦：李简",
            "新外科运动向我们走来",
        ),
        # in its own element right under the headline, named so by the CMS
        (
            '<h1>积极因素不断增多 “质升量稳”动能增强</h1><h2 class="subtitle">'
            "前4个月我国外贸向好态势进一步巩固</h2>",
            "积极因素不断增多 “质升量稳”动能增强",
            "前4个月我国外贸向好态势进一步巩固",
        ),
    ],
)
def test_subtitle_goes_to_its_own_field(body: str, title: str, subtitle: str) -> None:
    art = _parse("<title>标题_某某网</title>", f"{body}<div>{_BODY}</div>")
    assert (art.title, art.subtitle) == (title, subtitle)
    assert subtitle not in art.body


def test_kicker_element_above_the_headline() -> None:
    art = _parse(
        "",
        '<div class="yinti">新春走基层</div><h1>张家川县：民族团结进步创建“八进”活动暖人心</h1>'
        f"<div>{_BODY}</div>",
    )
    assert (art.kicker, art.title) == ("新春走基层", "张家川县：民族团结进步创建“八进”活动暖人心")


def test_headline_wrapped_over_two_lines_joins_as_printed() -> None:
    art = _parse(
        "<title>天水在线--张川新闻</title>",
        f"<h1>张家川县召开民族团结进步创建活动<br>“六进”试点工作会</h1><div>{_BODY}</div>",
    )
    assert art.title == "张家川县召开民族团结进步创建活动“六进”试点工作会"


# A county portal titles every page with its own name: the headline must come from the page.
SITE_ONLY = "<title>某某县人民政府门户网站</title>"


@pytest.mark.parametrize(
    ("body", "title"),
    [
        # qq: a promo <h1> first, the headline's <h1> nearest the body
        (
            '<h1 class="title">全新首页 焕新登场</h1><div class="content-article">'
            "<h1>经济日报评论员：再驳“中国新能源产能过剩论”</h1>"
            '<p class="media-meta"><span>2024-05-13 06:50</span><span>经济日报</span></p></div>',
            "经济日报评论员：再驳“中国新能源产能过剩论”",
        ),
        # sina: the channel's logo is an <h1> too
        (
            '<h1 class="channel-logo">新闻中心</h1>'
            '<h1 class="main-title">城市有轨电车之困：一边争相上马，一边接连叫停</h1>'
            '<div class="date-source">2024年05月10日 09:02 中国新闻周刊</div>',
            "城市有轨电车之困：一边争相上马，一边接连叫停",
        ),
        # youth.cn: the headline and the meta line in one title block (div.page_bt > p.pbt)
        (
            '<div class="page_bt"><p class="pbt">'
            "我国首届养老专业本科生迎来毕业季 “银发浪潮”到来，年轻人可大展拳脚</p>"
            '<div class="page_title">发稿时间：2024-05-13 06:03:00 来源：中国青年报</div></div>',
            "我国首届养老专业本科生迎来毕业季 “银发浪潮”到来，年轻人可大展拳脚",
        ),
        # sina 2005: no heading markup; the meta line runs over two lines (domain, date and paper)
        (
            "<div>新浪首页 &gt; 房产 &gt; 地产新闻 &gt; 正文</div><table><tr><th class=f24><font>"
            "拿出10万元投资房产 小两口尝试以钱生钱(图)</font></th></tr></table>"
            "<div>http://house.sina.com.cn</div><div>2005年03月31日03:18 北京娱乐信报</div>",
            "拿出10万元投资房产 小两口尝试以钱生钱",
        ),
        # sohu 2003: the toolbar's crumbs between the meta line and the body
        (
            '<table><tr><td class="c14" align="center"><strong>对比试车—测试昌河北斗星、爱迪尔(图)</strong>'
            "</td></tr><tr><td>AUTO.SOHU.COM 2003年11月12日16:36 金羊网—新快报</td></tr>"
            "<tr><td>页面功能 【<a>我来说两句</a>】【<a>推荐</a>】【字体：<a>大</a> <a>中</a> <a>小</a>】"
            "【<a>打印</a>】 【<a>关闭</a>】</td></tr></table>",
            "对比试车—测试昌河北斗星、爱迪尔",
        ),
    ],
)
def test_headline_when_the_title_tag_names_only_the_site(body: str, title: str) -> None:
    assert _parse(SITE_ONLY, f"{body}<div>{_BODY}</div>").title == title


def test_headline_under_a_menu_inside_the_body_block() -> None:
    # yahoo 2005: the block that holds the story starts with the channel menu, then the headline
    block = (
        "<center><div>雅虎 - 财经 - 新闻 - 科技 - 旅游 - 汽车 - 电邮</div>"
        "<div>输入代号查询(可同时多个)：</div>"
        "<div><b>2004中国十大科技骗局 老中医绝食49天居首</b></div><div>2005年01月06日 10:15更新</div>"
        f"{_BODY}</center>"
    )
    art = _parse(SITE_ONLY, block)
    assert art.title == "2004中国十大科技骗局 老中医绝食49天居首"
    assert "雅虎" not in art.body
