"""Metadata lines out of the body and into fields: every credit, source, caption and copyright
string of SITES.md §6.1/§6.2 (as normalization hands them over: simplified, letters folded)."""

from __future__ import annotations

import pytest

from parsers.bylines import extract_metadata, is_placeholder, parse_credit, split_names
from parsers.normalize import normalize_article
from parsers.records import Article

# (line, expected fields) -- each line is removed from the body entirely
CREDIT_LINES = [
    ("(天水在线编辑:李俊锋)", {"editors": ["李俊锋"]}),
    ("(天水在线编辑:陶静)", {"editors": ["陶静"]}),
    ("责任编辑:王旭伟", {"editors": ["王旭伟"]}),
    ("编辑:王雪梅", {"editors": ["王雪梅"]}),
    ("编辑: 辛小强", {"editors": ["辛小强"]}),
    ("【编辑:刘阳禾】", {"editors": ["刘阳禾"]}),
    ("[ 责编:邢彬 ]", {"editors": ["邢彬"]}),
    ("(责任编辑:张云文)", {"editors": ["张云文"]}),
    ("（责任编辑：张云文）", {"editors": ["张云文"]}),
    ("(编辑:陈建国 责编:周勇 终审:刘期胜)", {"editors": ["陈建国", "周勇", "刘期胜"]}),
    (
        "(撰稿:董春辉 编辑:李馨雨(见习) 审核:郭剑宗 赵军宝)",
        {"authors": ["董春辉"], "editors": ["李馨雨", "郭剑宗", "赵军宝"]},
    ),
    ("转载:康翠霞", {"reposters": ["康翠霞"]}),
    ("来源:张家川县融媒体中心", {"source": "张家川县融媒体中心"}),
    ("来源: 天天天水网", {"source": "天天天水网"}),
    ("来源:中国甘肃网-兰州晚报 编辑:王彤", {"source": "中国甘肃网-兰州晚报", "editors": ["王彤"]}),
    ("来源: 天天天水网    编辑: 辛小强", {"source": "天天天水网", "editors": ["辛小强"]}),
    ("(来源: 张家川县融媒体中心 转载:康翠霞)", {"source": "张家川县融媒体中心", "reposters": ["康翠霞"]}),
    ("(新闻来源:张家川县融媒体中心 转载:马文洁)", {"source": "张家川县融媒体中心", "reposters": ["马文洁"]}),
    ("(记者 赵建卿)", {"authors": ["赵建卿"]}),
    ("(记者:唐仲良)", {"authors": ["唐仲良"]}),
    ("●天天天水网记者 杨璟", {"authors": ["杨璟"]}),
    ("新天水记者孙镇", {"authors": ["孙镇"]}),
    ("□记者张凯 【本报讯】", {"authors": ["张凯"]}),
    ("(记者 吕娜 通讯员 周佩兰)", {"authors": ["吕娜"], "contributors": ["周佩兰"]}),
    ("云南网通讯员 代洪", {"contributors": ["代洪"], "source": "云南网"}),
    (
        "(秦安县民族团结进步创建工作领导小组办公室供稿)",
        {"contributors": ["秦安县民族团结进步创建工作领导小组办公室"]},
    ),
    ("(供稿天水市秦州区卫生健康局 孙涛)", {"contributors": ["天水市秦州区卫生健康局", "孙涛"]}),
    ("（通讯员：李婷 阿依古丽·吐尔逊）", {"contributors": ["李婷", "阿依古丽·吐尔逊"]}),
    ("昭通日报记者 陈宝霞 通讯员 李文涛", {"authors": ["陈宝霞"], "contributors": ["李文涛"]}),
    ("原标题:深入推进民族团结进步示范创建", {"original_title": "深入推进民族团结进步示范创建"}),
]


@pytest.mark.parametrize(("line", "fields"), CREDIT_LINES)
def test_credit_lines_move_to_fields(line: str, fields: dict) -> None:
    kept, meta = extract_metadata(["正文第一段。", line])
    assert kept == ["正文第一段。"]
    got = {
        "authors": meta.authors,
        "editors": meta.editors,
        "contributors": meta.contributors,
        "reposters": meta.reposters,
        "source": meta.source or (meta.orgs[0] if meta.orgs else None),
        "original_title": meta.original_title,
    }
    for name, want in fields.items():
        assert got[name] == want, name


CAPTIONS = [
    ("新滩中学民族团结文体艺术节活动。供图", "新滩中学民族团结文体艺术节活动。供图"),
    ("新华社记者 范培珅 摄", "新华社记者 范培珅 摄"),
    ("徐雪莹 摄", "徐雪莹 摄"),
    ("石榴云/新疆日报记者周鹏摄", "石榴云/新疆日报记者周鹏摄"),
    ("(专家评审 天水在线摄于2006年5月27日)", "专家评审 天水在线摄于2006年5月27日"),
    ("(资料图片)", "资料图片"),
    ("(相关资料图)", "相关资料图"),
    ("(畅想图)", "畅想图"),
    ("图为张家川县城全景。", "图为张家川县城全景。"),
    ("上图：群众观看文艺演出", "上图：群众观看文艺演出"),
    ("(天水在线无人机航拍甘谷古坡草原)", "天水在线无人机航拍甘谷古坡草原"),
    ("本网记者 任磊 宋芳科 摄影报道", "本网记者 任磊 宋芳科 摄影报道"),
    (
        "宣讲员在乌鲁却勒镇托万克吾斯塘村为群众宣讲惠民政策。阿依古丽·吐尔逊 摄",
        "宣讲员在乌鲁却勒镇托万克吾斯塘村为群众宣讲惠民政策。阿依古丽·吐尔逊 摄",
    ),
    # sina 2005 (credit after a slash) and yahoo 2005 (资料图： opening the caption)
    (
        "拿出10万元来做房产投资，一来以钱生钱，二来为今后养老留条后路 蔡雪婧/摄",
        "拿出10万元来做房产投资，一来以钱生钱，二来为今后养老留条后路 蔡雪婧/摄",
    ),
    ("资料图：无性婚姻能走多远？", "资料图：无性婚姻能走多远？"),
    # sina: the photo's credit under it, alone or after the caption
    ("图片来源：城市轨道交通2023年度统计和分析报告", "图片来源：城市轨道交通2023年度统计和分析报告"),
    ("天水有轨电车 图片来源：天水融媒", "天水有轨电车 图片来源：天水融媒"),
]


@pytest.mark.parametrize(("line", "caption"), CAPTIONS)
def test_captions_move_to_images(line: str, caption: str) -> None:
    kept, meta = extract_metadata(["正文第一段。", line])
    assert kept == ["正文第一段。"]
    assert meta.captions == [caption]


def test_markdown_image_line() -> None:
    kept, meta = extract_metadata(["![](/Files261/BeyondPic/2021-9/29/2109.jpg)", "正文。"])
    assert kept == ["正文。"]
    assert meta.image_srcs == ["/Files261/BeyondPic/2021-9/29/2109.jpg"]


BOILERPLATE = [
    "投稿网址:https://tmcn.xjmty.com/awtxmcn",
    "声明:未经允许 不得转载,转载须注明来源、原标题、著作者名,不得变更核心内容。",
    "(版权作品,未经授权严禁转载。转载须注明来源、原标题、著作者名,不得变更核心内容。)",
    "版权声明 为加强原创内容保护,甘肃媒体版权保护中心……",
    "版权声明:凡注有稿件来源为“中国甘肃网”的稿件,均为中国甘肃网独家版权所有",
    "转载请注明:http://www.example.com/",
    "特别声明:以上内容(如有图片或视频亦包括在内)为自媒体平台“网易号”用户上传并发布,本平台仅提供信息存储服务。",
    "本新闻共4页,当前在第01页 01020304",
    "【放大字体】 【缩小字体】",
    "1 2 3 共3页",
    "您所在的位置:首页>>新闻中心>>天水新闻>>张川>>正文",
    "您当前的位置:云南网 >> 云南频道 >> 昭通 >> 正文",
    "当前位置首页 >> 新闻中心>>天水新闻>>要闻",
    "您当前的位置 : 中国甘肃网 >> 兰州",
    "下一页 尾页",
    "浏览次数:31",
    '<blockquote id="pl83f"><p id="pl83f"></p></blockquote>',
    "超碰欧美性爱集合|国产日韩欧美一区二区|某某网站|某某视频",
    "保靖县| 积石山| 永康市| 临夏县|",
    "打印本页",
    "深化民族团结进步创建工作?近期,昭通市绥江县坚持以铸牢中华民族共同体意识为主线,今天小编就来说说关于深化民族团结进步创建工作?下面更多详细答案一起来看看吧!",
    "清明既是节气也是节日,以下内容大家不妨参考一二希望能帮到您!",
]


@pytest.mark.parametrize("line", BOILERPLATE)
def test_boilerplate_lines_dropped(line: str) -> None:
    kept, meta = extract_metadata(["正文第一段。", line])
    assert kept == ["正文第一段。"]
    assert meta.removed == [line]


def test_bare_copyright_label_takes_the_next_paragraph() -> None:
    body = [
        "正文。",
        "责任编辑:王旭伟",
        "版权声明:",
        '凡文章来源为"兰州新闻网"的稿件,均为兰州新闻网独家版权所有,未经许可不得转载或镜像。',
    ]
    kept, meta = extract_metadata(body)
    assert kept == ["正文。"]
    assert meta.editors == ["王旭伟"]
    assert len(meta.removed) == 3


ATTACHED = [
    # credits printed inside a paragraph stay in its text; the names go to fields as well
    # credit closing the last paragraph (seed 004)
    (
        "为天水市爭创全国民族团结进步示范市做出秦安贡献。(秦安县民族团结进步创建工作领导小组办公室供稿)",
        {"contributors": ["秦安县民族团结进步创建工作领导小组办公室"]},
    ),
    ("(记者 赵建卿)本报讯 近日,全市召开会议。", {"authors": ["赵建卿"]}),
    ("天天天水网讯【通讯员陈明 岳玲】近日,秦州区召开会议。", {"contributors": ["陈明", "岳玲"]}),
    ("本报讯[新天水·天水日报通讯员张宾]近日,麦积区开展活动。", {"contributors": ["张宾"]}),
    ("中国甘肃网5月25日讯 据兰州晚报报道(记者仲玉琦)近日,兰州市举行活动。", {"authors": ["仲玉琦"]}),
    # people.com.cn (北京青年报 story) and toutiao (新华社 story) open their first paragraph so
    ("本报讯（记者叶婉）近日，“心成长”青少年心理健康服务项目在北京市青年宫正式启动。", {"authors": ["叶婉"]}),
    ("会议要求各单位抓好落实。(完)", {}),
]


@pytest.mark.parametrize(("para", "fields"), ATTACHED)
def test_credits_inside_a_paragraph_stay_and_are_read(para: str, fields: dict) -> None:
    kept, meta = extract_metadata([para])
    assert kept == [para]
    for name, want in fields.items():
        assert getattr(meta, name) == want
    assert meta.removed == []


@pytest.mark.parametrize(
    ("line", "fields"),
    [
        ("（记者 王五）", {"authors": ["王五"]}),
        (
            "(秦安县民族团结进步创建工作领导小组办公室供稿)",
            {"contributors": ["秦安县民族团结进步创建工作领导小组办公室"]},
        ),
        ("(完)", {}),
    ],
)
def test_a_line_that_is_only_a_credit_goes(line: str, fields: dict) -> None:
    kept, meta = extract_metadata(["正文第一段。", line])
    assert kept == ["正文第一段。"]
    for name, want in fields.items():
        assert getattr(meta, name) == want


BODY = [
    "张家川县开展创建全国民族团结进步示范县工作以来,严格按照创建工作总要求。",
    "示范村(社区)76个、示范企业7个。",
    "抓组织领导 促高位推进",
    "记者手记",  # a heading, not a reporter named 手记
    "记者了解到,全县已建成示范点。",
    "编辑部主任张三介绍了情况。",
    "一、坚持学思践悟,打牢思想基础。",
    "新华社兰州3月21日电 题:……",
    "秦州区融媒体中心8月8日讯 近日,秦州区召开会议。",
    "《张家川县民族团结进步创建工作规划纲要(2016-2020年)的通知》",
    "统一战线工作(民族宗教工作)领导小组",
    "五月的天水,进行拍摄",
    "坚持同根促认同,构筑中华民族共有精神家园。",
    "(图)",
    "图书馆开放时间延长至晚上九点,方便群众借阅。",
]


@pytest.mark.parametrize("para", BODY)
def test_body_lines_stay(para: str) -> None:
    kept, meta = extract_metadata([para])
    assert kept == [para]
    assert meta.removed == []


def test_farm_placeholder_gives_original_title_and_repeated_title_goes() -> None:
    title = "深化民族团结进步创建工作"
    body = [
        "深化民族团结进步创建工作(深入推进民族团结进步示范创建)1",
        "深化民族团结进步创建工作",
        "近期,昭通市绥江县坚持以铸牢中华民族共同体意识为主线。",
    ]
    kept, meta = extract_metadata(body, title)
    assert kept == ["近期,昭通市绥江县坚持以铸牢中华民族共同体意识为主线。"]
    assert meta.original_title == "深入推进民族团结进步示范创建"


def test_split_names() -> None:
    assert split_names("吕娜、周佩兰") == ["吕娜", "周佩兰"]
    assert split_names("郭剑宗 赵军宝") == ["郭剑宗", "赵军宝"]
    assert split_names("李馨雨(见习)") == ["李馨雨"]
    assert split_names("任磊，宋芳科") == ["任磊", "宋芳科"]


def test_parse_credit_rejects_sentences() -> None:
    assert parse_credit("来源于群众的智慧,是我们的法宝。") is None
    assert parse_credit("记者了解到,全县已建成示范点。") is None


def test_date_lines() -> None:
    kept, meta = extract_metadata(["2024.11.17", "正文。", "更新时间:2025-03-31 13:17:35"])
    assert kept == ["正文。"]
    assert [(before, d.role) for before, d in meta.dates] == [(0, "unlabelled"), (1, "updated")]
    # the date that signs a notice is part of it
    notice = ["各乡镇:", "现将有关事项通知如下。", "张家川县人民政府", "2024年11月17日"]
    assert extract_metadata(notice)[0] == notice


CREDIT_LINES = [
    # credit lines of national and commercial portals (real-page corpus), as (line, field, values)
    ("作者 王之言 高孜然", "authors", ["王之言", "高孜然"]),  # ifeng: a space instead of a colon
    ("编辑 周褶褶 ｜ 排版 魏蔚", "editors", ["周褶褶", "魏蔚"]),  # ifeng: labels split by a bar
    ("总监制：邹 明", "editors", ["邹明"]),  # ifeng commentary: a name spaced out to line up
    ("监 制：高明勇", "editors", ["高明勇"]),  # … and a label spaced out
    ("审 读：崔向升", "editors", ["崔向升"]),
    ("文丨政能亮特约评论员 韩涵", "authors", ["韩涵"]),  # the role before the name
    ("文/栗思", "authors", ["栗思"]),  # netease account article
    ("新京报记者 彭冲 山东冠县报道", "authors", ["彭冲"]),  # sohu account (新京报 story): the place after
    ("本报记者罗科苏盈发自北京", "authors", ["罗科苏盈"]),  # netease 2005 (第一财经日报 story)
    ("【编辑:刘欢】", "editors", ["刘欢"]),
    ("来源 | 综合抖音黑板报、南方都市报", "source", "综合抖音黑板报、南方都市报"),  # qq
    ("文章来源：千龙网", "source", "千龙网"),  # yahoo 2005
    ("《光明日报》（2024年05月20日 03版）", "source", "光明日报"),  # gmw: the print edition
    ("《 人民日报 》（ 2024年05月10日   04 版）", "source", "人民日报"),  # people.cn spaces it out
    ("转自《北京科技报》", "source", "北京科技报"),  # yahoo 2005: a reprint
    # sohu account: the writer's long affiliation before the name, in one parenthesised line
    (
        "（本文来源：经济日报 作者：中国国际经济交流中心世界经济研究部部长，"
        "“一带一路”研究部部长、研究员徐占忱）",
        "authors",
        ["徐占忱"],
    ),
]


@pytest.mark.parametrize(("line", "name", "want"), CREDIT_LINES)
def test_standalone_credit_lines_go_into_fields(line: str, name: str, want: object) -> None:
    kept, meta = extract_metadata(["正文第一段。", line])
    assert kept == ["正文第一段。"]
    assert getattr(meta, name) == want


@pytest.mark.parametrize(
    "line",
    [
        "作者认为这是一件好事，值得推广。",  # 作者 as a word
        "文明城市创建 提升群众获得感",  # 文 as a character of a word
        "本网记者 任磊 宋芳科 摄影报道",  # a photo credit: a caption, not a writer (see captions)
        "我要评论区里的留言很多，网友纷纷点赞。",
    ],
)
def test_sentences_that_look_like_credits_are_not_moved(line: str) -> None:
    kept, meta = extract_metadata([line, "正文第二段。"])
    assert meta.authors == [] and meta.editors == [] and meta.source is None
    assert kept[0] == line or (line not in kept and meta.captions)


@pytest.mark.parametrize(
    "line",
    [
        "Play Video",  # xinhuanet's video player (video.js control text)
        "0:00",
        "/2:54",
        "00:00/00:00",  # cnr's audio bar
        "第1页/共1页<< 上一页 | 下一页 >>",  # yahoo 2005 pager
        "上一页 1 2 3 下一页",
        "发表评论",  # yahoo 2005
        "关注公众号：人民网财经",  # people.cn promo
        "责任编辑：",  # sohu: the CMS left the editor empty
    ],
)
def test_page_chrome_lines_go(line: str) -> None:
    kept, _ = extract_metadata(["正文第一段。", line, "正文第二段。"])
    assert kept == ["正文第一段。", "正文第二段。"]


@pytest.mark.parametrize(
    ("last", "kept_last"),
    [
        # sohu account articles end their last paragraph with the link back to sohu
        ("…研究员徐占忱）返回搜狐，查看更多", "…研究员徐占忱）"),
        ("新京报记者 彭冲 山东冠县报道返回搜狐，查看更多", None),
        ("本文转自县融媒体中心微信公众号。返回首页，查看更多", "本文转自县融媒体中心微信公众号。"),
    ],
)
def test_a_portals_back_link_is_cut_from_the_last_paragraph(last: str, kept_last: str | None) -> None:
    kept, _ = extract_metadata(["正文第一段。", last])
    assert kept[-1] == (kept_last or "正文第一段。")


@pytest.mark.parametrize("label", ["【短视频文化现象观察】", "【新春走基层】"])
def test_column_label_opening_the_body_is_a_flag(label: str) -> None:
    kept, meta = extract_metadata([label, "正文第一段。", "正文第二段。"])
    assert kept == ["正文第一段。", "正文第二段。"]
    assert f"column:{label[1:-1]}" in meta.flags


@pytest.mark.parametrize(
    ("paragraphs", "authors", "kept_last"),
    [
        # bjmu 2005: the writer's name alone on the last line goes
        (
            ["正文第一段。", "到头来，一位自甘穷酸的外科医生。", "（袁源）"],
            ["袁源"],
            "到头来，一位自甘穷酸的外科医生。",
        ),
        # gmw, netease 2005: the name closes the last paragraph, which keeps it as printed
        (["正文第一段。", "实现“多赢”“共赢”。（钟才文）"], ["钟才文"], "实现“多赢”“共赢”。（钟才文）"),
        (["正文第一段。", "难道不都是利益再分配的过程吗？”（姚峰 上海报道）"], ["姚峰"], None),
        # not writers: an end mark, a serial note, an account name
        (["正文第一段。", "外贸增长将持续焕发新活力。（完）"], [], None),
        (["正文第一段。", "敬请关注。（未完待续）"], [], None),
        (["正文第一段。", "诚挚的问候。（sd退役军人之家）"], [], None),
    ],
)
def test_writer_named_in_parentheses_at_the_end(paragraphs: list[str], authors: list[str], kept_last) -> None:
    kept, meta = extract_metadata(paragraphs)
    assert meta.authors == authors
    assert kept[-1] == (kept_last or paragraphs[-1])


@pytest.mark.parametrize(
    ("value", "filler"),
    [
        ("未知", True),  # DedeCMS `来源:未知` (the default of an empty source field)
        ("admin", True),  # DedeCMS `作者:admin`, `(责任编辑：admin)`
        ("佚名", True),  # PowerEasy `作者：佚名`
        ("网络", True),  # farms' `来源：网络`
        ("本站原创", False),  # PowerEasy `文章来源：本站原创`: the site's own story, as printed
        ("县应急管理局", False),
        ("王五", False),
    ],
)
def test_a_credit_fields_filler_is_not_a_name(value: str, filler: bool) -> None:
    assert is_placeholder(value) is filler


def test_filler_credits_stay_out_of_the_fields() -> None:
    art = Article(
        url="http://www.example.cn/a/xinwen/2023/0915/1234.html",
        site="generic",
        parser_version=1,
        title="陇西县中药材产业园二期项目开工建设",
        paragraphs=("据了解，项目计划于2025年底建成投产。", "(责任编辑：admin)"),
        source="未知",
        authors=("admin",),
    )
    out = normalize_article(art)
    assert (out.source, out.authors, out.editors) == (None, (), ())
    assert "source_unknown" in out.flags
    assert out.paragraphs == ("据了解，项目计划于2025年底建成投产。",)
