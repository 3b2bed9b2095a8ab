"""GIFT question import and export."""

import pytest

from exams.formats import FormatError, QuestionData, read_questions, write_questions
from exams.formats.gift import escape
from exams.formats.table import EXAMPLES

GIFT_SAMPLE = r"""// 明白题库导出
$CATEGORY: $course$/top/宪法

// [tag:宪法宣传周] [tag:难度:难] [tag:法条:宪法第1条]
::Q1:: 国家宪法日是每年的哪一天？{
  =12月4日#正确
  ~3月15日#错误
  ~10月1日
  ####2014年设立。
}

::Q2:: 下列属于公民基本义务的有？{
  ~%50%依法纳税
  ~%-100%宗教信仰
  ~%50%依法服兵役
}

宪法是国家的根本法。{T}

村规民约可以违反法律。{FALSE####不得违反。}

我国的根本大法是{=宪法 =中华人民共和国宪法}。

::转义::比值 1\:2 \{不是答案块\} 用 \~ \= \# 和 \\ 表示\n换行{=a\=b ~c\#d}
"""


def test_import_gift_sample():
    q1, q2, tf1, tf2, fill, escaped = read_questions(GIFT_SAMPLE.encode(), "gift")
    assert (q1.type, q1.stem, q1.answer) == ("single", "国家宪法日是每年的哪一天？", ["A"])
    assert q1.options == [("A", "12月4日"), ("B", "3月15日"), ("C", "10月1日")]
    assert q1.explanation == "2014年设立。"
    assert (q1.tags, q1.difficulty, q1.citations) == (["宪法宣传周", "宪法"], 3, ["宪法第1条"])
    assert q1.source_line == 5
    assert (q2.type, q2.answer, q2.tags) == ("multiple", ["A", "C"], ["宪法"])
    assert (tf1.type, tf1.answer, tf1.source_line) == ("truefalse", ["A"], 18)
    assert (tf2.answer, tf2.explanation) == (["B"], "不得违反。")
    assert (fill.type, fill.stem) == ("fill", "我国的根本大法是_____。")
    assert fill.answer == ["宪法", "中华人民共和国宪法"]
    assert escaped.stem == "比值 1:2 {不是答案块} 用 ~ = # 和 \\ 表示\n换行"
    assert escaped.options == [("A", "a=b"), ("B", "c#d")]


def test_round_trip_all_types():
    questions = [
        *EXAMPLES,
        QuestionData(
            "single",
            "特殊字符 ~ = # { } : \\ //\n第二行",
            [("A", "=甲"), ("B", "~乙{}"), ("C", "丙#")],
            ["B"],
            explanation="解析 #### 不是分隔",
            difficulty=3,
            tags=["a]b"],
        ),
        QuestionData("fill", "填空{}：____", [], ["a=b", "c~d"]),
    ]
    data = write_questions(questions, "gift")
    back = read_questions(data, "gift")
    assert [q.fingerprint() for q in back] == [q.fingerprint() for q in questions]
    assert [(q.difficulty, q.citations, q.explanation) for q in back] == [
        (q.difficulty, q.citations, q.explanation) for q in questions
    ]
    assert back[-2].tags == ["a]b"]
    assert back[-2].stem == questions[-2].stem


def test_multiple_choice_weights_on_export():
    text = write_questions([EXAMPLES[1]], "gift").decode()
    assert text.count("~%33.33333%") == 3 and "~%-100%依照法律纳税" in text


def test_escape():
    assert escape("a:b\\c\nd{e}") == "a\\:b\\\\c\\nd\\{e\\}"


BAD_GIFT = """// 第1行是注释
没有答案块的说明文字

::标题没结束{T}

问答题{}

数值题{#3:1}

配对题{=甲 -> 乙 =丙 -> 丁}

未闭合的答案块{=甲 ~乙

单选{~甲 ~乙}

选项太多{=1 ~2 ~3 ~4 ~5 ~6 ~7}

// [tag:难度:超难]
题干{T}

宪法是国家的根本法。{T}

宪法是国家的根本法。{TRUE}

前缀 文字 {=甲 ~乙} 后缀 {=丙}
"""


def test_every_bad_question_is_reported_with_its_line():
    with pytest.raises(FormatError) as exc_info:
        read_questions(BAD_GIFT.encode(), "gift")
    assert [str(e) for e in exc_info.value.errors] == [
        "第2行: 缺少答案块“{…}”（不支持说明类题目）",
        "第4行: 标题缺少结尾的“::”",
        "第6行: 不支持问答题（空答案块）",
        "第8行: 不支持数值题",
        "第10行: 不支持配对题",
        "第12行: 答案块缺少结尾的“}”",
        "第14行: 缺少答案",
        "第16行: 选项超过6个（最多A–F）",
        "第19行: 难度“超难”无效，应为易/中/难或1/2/3",
        "第23行: 与第21行的题目重复",
        "第25行: 一道题只能有一个答案块",
    ]


def test_gb18030_gift():
    data = "宪法是国家的根本法。{T}\n".encode("gb18030")
    (q,) = read_questions(data, "gift")
    assert q.stem == "宪法是国家的根本法。"


def test_html_prefix_is_stripped():
    (q,) = read_questions("[html]<p>甲 &amp; 乙</p>{=丙 ~丁}".encode(), "gift")
    assert q.stem == "甲 & 乙"


def test_moodle_leniencies():
    text = "写法一{宪法}\n\n写法二{甲 ~乙 =丙}\n\n写法三{T#错了#对了####总评#### 末尾}\n"
    fill, single, tf = read_questions(text.encode(), "gift")
    assert (fill.type, fill.answer) == ("fill", ["宪法"])
    assert (single.options, single.answer) == ([("A", "甲"), ("B", "乙"), ("C", "丙")], ["C"])
    assert (tf.answer, tf.explanation) == (["A"], "末尾")
