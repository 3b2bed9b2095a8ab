"""LawRefBook markdown parser (learning.laws.lawtext.markdown)."""

import re
import time
from pathlib import Path

import pytest

from learning.laws.lawtext.markdown import (
    LawParseError,
    parse_heading,
    parse_law_file,
    parse_law_folder,
    parse_law_text,
)
from learning.laws.services import default_law_texts_path

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def texts() -> Path:
    """The LawRefBook texts the project ships (or $MINGBAI_LAW_TEXTS)."""
    path = default_law_texts_path()
    assert path.is_dir(), f"law texts not found at {path}"
    return path


# Article counts per file, from the official texts.
COUNTS = {
    "宪法/宪法.md": 143,
    "宪法/宪法修正案（1988年）.md": 2,  # 第一条–第二条
    "宪法/宪法修正案（1993年）.md": 9,  # 第三条–第十一条
    "宪法/宪法修正案（1999年）.md": 6,  # 第十二条–第十七条
    "宪法/宪法修正案（2004年）.md": 14,  # 第十八条–第三十一条
    "宪法/宪法修正案（2018年）.md": 21,  # 第三十二条–第五十二条 (+5 quoted articles)
    "宪法相关法/村民委员会组织法(2018-12-29).md": 41,
    "民法典/总则.md": 204,
    "民法典/物权编.md": 258,
    "民法典/合同编.md": 526,
    "民法典/人格权编.md": 51,
    "民法典/婚姻家庭编.md": 79,
    "民法典/继承编.md": 45,
    "民法典/侵权责任编.md": 95,
    "民法典/附则.md": 2,
    "民法商法/农村土地承包法(2018-12-29).md": 70,
    "社会法/反家庭暴力法(2015-12-27).md": 38,
    "社会法/反电信网络诈骗法(2022-09-02).md": 50,
    "社会法/未成年人保护法(2024-04-26).md": 132,
    "社会法/退役军人保障法(2020-11-11).md": 85,
    "经济法/乡村振兴促进法(2021-04-29).md": 74,
    "经济法/野生动物保护法(2022-12-30).md": 64,
    "行政法/个人信息保护法(2021-08-20).md": 74,
    "行政法/法律援助法(2021-08-20).md": 71,
    "行政法/社区矫正法(2019-12-28).md": 63,
    "诉讼与非诉讼程序法/人民调解法(2010-08-28).md": 35,
}
GREP = re.compile(r"^第[一二三四五六七八九十百千零]+条(之[一二三四五六七八九十]+)?[ \u3000\u2002]")


def test_every_file_is_listed(texts):
    found = {
        p.relative_to(texts).as_posix()
        for p in texts.rglob("*.md")
        if p.name not in ("_index.md", "README.md")
    }
    assert found == set(COUNTS)


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_article_count_per_file(texts, name):
    law = parse_law_file(texts / name)
    assert len(law.articles) == COUNTS[name]
    first = law.articles[0].number
    assert [a.number for a in law.articles] == list(range(first, first + COUNTS[name]))
    assert all(
        a.paragraphs and all(p.strip() == p and p for p in a.paragraphs) for a in law.articles
    )
    grepped = sum(1 for line in (texts / name).read_text("utf-8").splitlines() if GREP.match(line))
    assert grepped == COUNTS[name] + (5 if "2018年" in name else 0)


def test_whole_folder_fast_and_grouped(texts):
    started = time.perf_counter()
    laws = parse_law_folder(texts)
    assert time.perf_counter() - started < 2.0
    titles = [law.short_title for law in laws]
    assert len(titles) == len(set(titles)) == 19
    assert titles.count("民法典") == 1
    assert sum(len(law.articles) for law in laws) == sum(COUNTS.values())


def test_civil_code_is_one_law(texts):
    (code,) = parse_law_folder(texts / "民法典")
    assert code.title == "中华人民共和国民法典"
    assert code.part_title is None
    assert [a.number for a in code.articles] == list(range(1, 1261))
    assert code.version_date == "2020-05-28"
    assert code.effective_date == "2021-01-01"
    parts = [s for s in code.sections if s.parent is None]
    assert [s.label for s in parts] == [
        "第一编 总则",
        "第二编 物权",
        "第三编 合同",
        "第四编 人格权",
        "第五编 婚姻家庭",
        "第六编 继承",
        "第七编 侵权责任",
        "附则",
    ]
    assert [s.position for s in parts] == list(range(8))
    art = code.articles[1042]
    assert art.label == "第一千零四十三条"
    assert art.paragraphs[0] == "家庭应当树立优良家风，弘扬家庭美德，重视家庭文明建设。"
    assert len(art.paragraphs) == 2
    chain = []
    index = art.section
    while index is not None:
        chain.append(code.sections[index].label)
        index = code.sections[index].parent
    assert chain == ["第一章 一般规定", "第五编 婚姻家庭"]
    # 物权编: 编 > 分编 > 章 > 节
    art = code.articles[208]  # 第二百零九条, 不动产登记
    sec = code.sections[art.section]
    assert (sec.kind, sec.label) == ("节", "第一节 不动产登记")
    chapter = code.sections[sec.parent]
    sub = code.sections[chapter.parent]
    assert (chapter.kind, sub.kind, sub.label) == ("章", "分编", "第一分编 通则")
    assert code.sections[sub.parent].label == "第二编 物权"
    # 附则 has an empty "##" heading; its articles sit in the part itself
    assert code.sections[code.articles[-1].section].label == "附则"
    assert {s.kind for s in code.sections} == {"编", "分编", "章", "节"}


def test_constitution(texts):
    law = parse_law_file(texts / "宪法/宪法.md")
    assert law.title == "中华人民共和国宪法"
    assert len(law.articles) == 143
    assert len(law.preamble) == 13
    assert law.preamble[0].startswith("中国是世界上历史最悠久的国家之一")
    assert law.preamble[-1].startswith("本宪法以法律的形式确认了")
    assert not any("FORCE BREAK" in p or "<!--" in p for p in law.preamble)
    assert law.articles[0].section == 0
    assert [s.label for s in law.sections if s.kind == "章"] == [
        "第一章 总纲",
        "第二章 公民的基本权利和义务",
        "第三章 国家机构",
        "第四章 国旗、国歌、国徽、首都",
    ]
    seventh = next(s for s in law.sections if s.label == "第七节 监察委员会")
    assert law.sections[seventh.parent].label == "第三章 国家机构"
    assert seventh.position == 6
    assert len(law.dates) == 7
    assert law.version_date == "2018-03-11"
    assert law.effective_date is None  # its 施行 line is the 1982 text's
    assert law.category == "宪法"


def test_amendments(texts):
    laws = {law.short_title: law for law in parse_law_folder(texts / "宪法")}
    assert sorted(laws) == [
        "宪法",
        "宪法修正案（1988年）",
        "宪法修正案（1993年）",
        "宪法修正案（1999年）",
        "宪法修正案（2004年）",
        "宪法修正案（2018年）",
    ]
    numbers = [a.number for t, law in sorted(laws.items()) if t != "宪法" for a in law.articles]
    assert numbers == list(range(1, 53))
    y2018 = laws["宪法修正案（2018年）"]
    assert y2018.is_amendment and not laws["宪法"].is_amendment
    last = y2018.articles[-1]
    assert last.label == "第五十二条"
    assert "第七节 监察委员会" in last.paragraphs
    assert any(p.startswith("第一百二十三条 中华人民共和国各级监察委员会") for p in last.paragraphs)
    assert last.paragraphs[-1].startswith("第七节相应改为第八节")
    assert laws["宪法修正案（1993年）"].effective_date == "1993-03-29"


def test_dates_and_headings(texts):
    law = parse_law_file(texts / "社会法/未成年人保护法(2024-04-26).md")
    assert law.version_date == "2024-04-26"
    assert law.dates[0].startswith("1991年9月4日")
    assert law.preamble == []  # a zero-width space line is ignored
    assert law.sections[0].label == "第一章 总则"  # "总 则"
    assert law.category == "社会法"
    assert parse_heading("第一章\u2002\u2002基本规定") == ("章", 1, "基本规定", "第一章 基本规定")
    assert parse_heading("第三分编 准 合 同") == ("分编", 3, "准合同", "第三分编 准合同")
    assert parse_heading("附 则") == ("", None, "附则", "附则")
    assert parse_heading("第3章总则") == ("章", 3, "总则", "第三章 总则")
    assert parse_heading("第十章") == ("章", 10, "", "第十章")


SIMPLE = """# 中华人民共和国示例法

2020年1月1日 通过

2020年6月1日 施行

<!-- INFO END -->

## 第一章　总　则

第一条　为了示例，制定本法。

**第二条** 第一款。

<!-- FORCE BREAK -->

（一）第一项；

（二）第二项。

第二条之一 新增的条文。

## 第二章 附则

### 第一节 一般规定

第三条
本法自公布之日起施行。
"""


def test_small_text():
    law = parse_law_text(SIMPLE, source="示例法.md")
    assert law.title == "中华人民共和国示例法" and law.short_title == "示例法"
    assert law.dates == ["2020年1月1日 通过", "2020年6月1日 施行"]
    assert (law.version_date, law.effective_date) == ("2020-01-01", "2020-06-01")
    assert [(a.number, a.suffix, a.label) for a in law.articles] == [
        (1, 0, "第一条"),
        (2, 0, "第二条"),
        (2, 1, "第二条之一"),
        (3, 0, "第三条"),
    ]
    assert law.articles[1].paragraphs == ["第一款。", "（一）第一项；", "（二）第二项。"]
    assert law.articles[1].text == "第一款。\n（一）第一项；\n（二）第二项。"
    assert law.articles[3].paragraphs == ["本法自公布之日起施行。"]
    assert [(s.label, s.level, s.parent, s.position) for s in law.sections] == [
        ("第一章 总则", 2, None, 0),
        ("第二章 附则", 2, None, 1),
        ("第一节 一般规定", 3, 1, 0),
    ]
    assert [a.section for a in law.articles] == [0, 0, 0, 2]
    assert law.articles[2].line == 21


def test_no_info_end_and_multiline_comment():
    text = "# 某法\n\n2001年2月3日 通过\n\n<!--\n注释\n-->\n序言段落。\n\n第一条 内容。\n"
    law = parse_law_text(text)
    assert law.dates == ["2001年2月3日 通过"]
    assert law.preamble == ["序言段落。"]
    assert law.articles[0].line == 10
    assert law.effective_date is None


def test_article_references_are_not_headings():
    law = parse_law_text("# 某法\n\n第一条 内容。\n\n第三条规定的情形除外。\n")
    assert len(law.articles) == 1
    assert law.articles[0].paragraphs == ["内容。", "第三条规定的情形除外。"]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "缺少标题"),
        ("第一条 没有标题。\n", 1, "缺少标题"),
        ("\n\n正文\n# 某法\n", 3, "缺少标题"),
        ("# 某法\n\n第二条 甲。\n\n第一条 乙。\n", 5, "顺序错误"),
        ("# 某法\n\n第一条 甲。\n\n第一条 乙。\n", 5, "重复"),
        ("# 某法\n\n第一条 甲。\n\n第三条 乙。\n", 5, "不连续"),
        ("# 某法\n\n第一条之一 甲。\n\n第一条 乙。\n", 5, "顺序错误"),
        ("# 某法\n\n第一条 甲。\n\n第二条之二 乙。\n", 5, "不连续"),
        ("# 某法\n\n第一条 甲。\n\n第十十条 乙。\n", 5, "条文序号无法识别"),
        ("# 某法\n\n## 第一百十章 某章\n", 3, "标题序号无法识别"),
        ("# 某法\n\n## 第零章 某章\n", 3, "标题序号无法识别"),
        ("# 某法\n\n## 第一章 总则\n\n游离的段落。\n", 5, "不属于任何条文"),
        ("# 某法\n\n第一条 甲。\n\n第二条\n\n## 第二章\n", 5, "没有内容"),
    ],
)
def test_malformed(text, line, message):
    with pytest.raises(LawParseError) as info:
        parse_law_text(text, source="坏.md")
    err = info.value
    assert (err.file, err.line) == ("坏.md", line)
    assert message in err.message
    assert str(err).startswith(f"坏.md:{line}: ")


def test_folder_skips_index_and_merges_parts(tmp_path):
    code = tmp_path / "某法典"
    code.mkdir()
    (code / "_index.md").write_text("---\nbookCollapseSection: true\n---", encoding="utf-8")
    (tmp_path / "README.md").write_text("# Law texts\n\nnotes\n", encoding="utf-8")
    (code / "乙编.md").write_text("# 某法典\n\n# 乙编\n\n第三条 丙。\n", encoding="utf-8")
    (code / "总则.md").write_text(
        "# 某法典\n\n# 总则\n\n第一条 甲。\n\n第二条 乙。\n", encoding="utf-8"
    )
    (law,) = parse_law_folder(tmp_path)
    assert [a.number for a in law.articles] == [1, 2, 3]
    assert [s.label for s in law.sections] == ["第一编 总则", "第二编 乙"]
    assert [a.section for a in law.articles] == [0, 0, 1]
    assert law.category == "某法典"

    (code / "乙编.md").write_text("# 某法典\n\n# 乙编\n\n第四条 丙。\n", encoding="utf-8")
    with pytest.raises(LawParseError, match="不连续"):
        parse_law_folder(tmp_path)
    (code / "乙编.md").write_text("# 某法典\n\n第三条 丙。\n", encoding="utf-8")
    with pytest.raises(LawParseError, match="没有分编标题"):
        parse_law_folder(tmp_path)
