"""Moodle XML question import and export."""

import pytest

from exams.formats import FormatError, QuestionData, read_questions, write_questions
from exams.formats.moodle_xml import html_to_text
from exams.formats.table import EXAMPLES

MOODLE_SAMPLE = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category">
    <category><text>$course$/top/民法典/婚姻家庭</text></category>
  </question>
  <question type="multichoice">
    <name><text>冷静期</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>离婚冷静期为<strong>多少</strong>日？&nbsp;</p><p>（单选）</p>]]></text>
    </questiontext>
    <generalfeedback format="html"><text><![CDATA[<p>见第1077条 &amp; 解释</p>]]></text></generalfeedback>
    <single>true</single>
    <answer fraction="0" format="html"><text>十日</text></answer>
    <answer fraction="100" format="html"><text><![CDATA[<p>三十日</p>]]></text>
      <feedback><text>对</text></feedback></answer>
    <answer fraction="-25" format="html"><text>六十日</text></answer>
    <tags><tag><text>热点</text></tag><tag><text>难度:难</text></tag>
      <tag><text>法条:民法典第1077条</text></tag></tags>
  </question>
  <question type="multichoice">
    <name><text>多选</text></name>
    <questiontext format="plain_text"><text>下列属于公民基本义务的有？</text></questiontext>
    <single>false</single>
    <answer fraction="50"><text>依法纳税</text></answer>
    <answer fraction="-100"><text>宗教信仰</text></answer>
    <answer fraction="50"><text>依法服兵役</text></answer>
  </question>
  <question type="truefalse">
    <name><text>判断</text></name>
    <questiontext format="moodle_auto_format"><text>宪法是根本法。</text></questiontext>
    <answer fraction="0"><text>true</text></answer>
    <answer fraction="100"><text>false</text></answer>
  </question>
  <question type="shortanswer">
    <name><text>填空</text></name>
    <questiontext format="html"><text>&lt;p&gt;成年年龄是____周岁。&lt;/p&gt;</text></questiontext>
    <answer fraction="100"><text>十八</text></answer>
    <answer fraction="100"><text>18</text></answer>
    <answer fraction="50"><text>十八岁</text></answer>
  </question>
</quiz>
"""


def test_import_moodle_sample():
    single, multi, tf, fill = read_questions(MOODLE_SAMPLE.encode(), "moodle-xml")
    assert single.type == "single"
    assert single.stem == "离婚冷静期为多少日？\n（单选）"
    assert single.options == [("A", "十日"), ("B", "三十日"), ("C", "六十日")]
    assert single.answer == ["B"]
    assert single.explanation == "见第1077条 & 解释"
    assert single.tags == ["热点", "婚姻家庭"]
    assert (single.difficulty, single.citations) == (3, ["民法典第1077条"])
    assert single.source_line == 6
    assert (multi.type, multi.answer, multi.difficulty) == ("multiple", ["A", "C"], 2)
    assert (tf.type, tf.options, tf.answer) == ("truefalse", [("A", "正确"), ("B", "错误")], ["B"])
    assert (fill.type, fill.stem, fill.answer) == ("fill", "成年年龄是____周岁。", ["十八", "18"])
    assert fill.tags == ["婚姻家庭"]


def test_round_trip_all_types():
    questions = [
        *EXAMPLES,
        QuestionData(
            "single",
            "a < b && c > d，<script>不是标签</script>\n第二行",
            [("A", "<p>甲</p>"), ("B", "乙 & 丙"), ("C", "]]> 丁")],
            ["C"],
            explanation="多行\n解析",
            tags=["a/b"],
        ),
    ]
    data = write_questions(questions, "moodle-xml")
    assert data.startswith(b"<?xml")
    back = read_questions(data)
    assert [q.fingerprint() for q in back] == [q.fingerprint() for q in questions]
    assert [(q.tags, q.citations, q.difficulty, q.explanation) for q in back] == [
        (q.tags, q.citations, q.difficulty, q.explanation) for q in questions
    ]
    assert back[-1].stem == questions[-1].stem


def test_multi_answer_fractions_on_export():
    data = write_questions([EXAMPLES[1]], "moodle-xml").decode()
    assert data.count('fraction="33.33333"') == 3 and 'fraction="-100"' in data
    assert "<single>false</single>" in data


BAD_XML = """<?xml version="1.0"?>
<quiz>
  <question type="essay">
    <questiontext><text>论述题</text></questiontext>
  </question>
  <question type="multichoice">
    <questiontext><text>没有满分答案</text></questiontext>
    <answer fraction="50"><text>甲</text></answer>
    <answer fraction="50"><text>乙</text></answer>
  </question>
  <question type="multichoice">
    <questiontext><text></text></questiontext>
    <single>false</single>
    <answer fraction="100"><text>甲</text></answer>
    <answer fraction="0"><text>乙</text></answer>
  </question>
  <question type="multichoice">
    <questiontext><text>分数错误</text></questiontext>
    <answer fraction="abc"><text>甲</text></answer>
    <answer fraction="100"><text>乙</text></answer>
  </question>
  <question type="multichoice"><questiontext><text>七个选项</text></questiontext>
    <answer fraction="100"><text>1</text></answer><answer><text>2</text></answer>
    <answer><text>3</text></answer><answer><text>4</text></answer>
    <answer><text>5</text></answer><answer><text>6</text></answer><answer><text>7</text></answer>
  </question>
  <question type="shortanswer">
    <questiontext><text>填空</text></questiontext>
    <answer fraction="100"><text>答</text></answer>
    <tags><tag><text>难度:极难</text></tag></tags>
  </question>
</quiz>
"""


def test_every_bad_question_is_reported_with_its_line():
    with pytest.raises(FormatError) as exc_info:
        read_questions(BAD_XML.encode(), "moodle-xml")
    assert [str(e) for e in exc_info.value.errors] == [
        "第3行: 不支持的题型“essay”（支持multichoice、truefalse、shortanswer）",
        "第6行: 缺少答案",
        "第11行: 题干为空",
        "第11行: 多选题至少需要两个正确答案",
        "第17行: 答案分值“abc”无效",
        "第22行: 选项超过6个（最多A–F）",
        "第27行: 难度“极难”无效，应为易/中/难或1/2/3",
    ]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<quiz><question type="truefalse"><questiontext><text>&lol9;</text></questiontext></question></quiz>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<quiz><question type="truefalse"><questiontext><text>&xxe;</text></questiontext></question></quiz>
"""


@pytest.mark.parametrize(("xml", "line"), [(BILLION_LAUGHS, 3), (EXTERNAL_ENTITY, 2)])
def test_entity_attacks_are_rejected(xml, line):
    with pytest.raises(FormatError) as exc_info:
        read_questions(xml.encode(), "moodle-xml")
    assert [str(e) for e in exc_info.value.errors] == [
        f"第{line}行: XML文件包含实体定义或外部引用，出于安全原因已拒绝"
    ]


def test_malformed_xml_and_wrong_root():
    with pytest.raises(FormatError) as exc_info:
        read_questions(b"<quiz>\n<question>\n</quiz>\n", "moodle-xml")
    assert str(exc_info.value).startswith("第3行: XML格式错误")
    with pytest.raises(FormatError, match="根元素应为<quiz>"):
        read_questions(b"<html></html>", "moodle-xml")


def test_html_to_text():
    markup = "<div>甲<br/>乙</div>\n<p>  丙&lt;丁&gt;  </p><style>p{}</style><img alt='图'>"
    assert html_to_text(markup) == "甲\n乙\n丙<丁>\n图"
