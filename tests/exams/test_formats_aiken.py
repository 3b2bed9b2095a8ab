"""Aiken question import and export (single choice only)."""

import pytest

from exams.formats import (
    FormatError,
    QuestionData,
    export_questions,
    read_questions,
    write_questions,
)
from exams.formats.aiken import write_aiken
from exams.formats.table import EXAMPLES

AIKEN_SAMPLE = """国家宪法日是每年的哪一天？
A. 12月4日
B. 3月15日
C) 10月1日
ANSWER: A

离婚冷静期为多少日？
（依据民法典）
A、十日
B．三十日
answer：b
"""


def test_import_aiken_sample():
    q1, q2 = read_questions(AIKEN_SAMPLE.encode(), "aiken")
    assert (q1.type, q1.stem, q1.answer, q1.source_line) == (
        "single",
        "国家宪法日是每年的哪一天？",
        ["A"],
        1,
    )
    assert q1.options == [("A", "12月4日"), ("B", "3月15日"), ("C", "10月1日")]
    assert (q2.stem, q2.options, q2.answer) == (
        "离婚冷静期为多少日？\n（依据民法典）",
        [("A", "十日"), ("B", "三十日")],
        ["B"],
    )
    assert q2.source_line == 7


def test_gb18030_aiken():
    data = "宪法是？\nA. 根本法\nB. 普通法\nANSWER: A\n".encode("gb18030")
    assert read_questions(data, "aiken")[0].options[0] == ("A", "根本法")


def test_round_trip_single_choice():
    questions = [
        EXAMPLES[0],
        QuestionData("single", "两行\n题干", [("A", "甲\n乙"), ("B", "丙")], ["B"]),
    ]
    back = read_questions(write_questions(questions, "aiken"), "aiken")
    assert [q.fingerprint() for q in back] == [q.fingerprint() for q in questions]


def test_export_skips_and_reports_other_types():
    result = write_aiken(EXAMPLES)
    assert [(s.index, s.question.type) for s in result.skipped] == [
        (2, "multiple"),
        (3, "truefalse"),
        (4, "fill"),
    ]
    assert result.skipped[0].reason == "Aiken格式只支持单选题，已跳过"
    assert result.data.decode().count("ANSWER:") == 1

    # Through the package API: export_questions reports, write_questions refuses by default.
    mixed = [EXAMPLES[2], EXAMPLES[0]]
    exported = export_questions(mixed, "aiken")
    assert [s.index for s in exported.skipped] == [1]
    with pytest.raises(FormatError) as exc_info:
        write_questions(mixed, "aiken")
    assert [str(e) for e in exc_info.value.errors] == ["第1题: Aiken格式只支持单选题，已跳过"]
    assert write_questions(mixed, "aiken", skip_unsupported=True) == exported.data


BAD_AIKEN = """题一
A. 甲
B. 乙
C. 丙
ANSWER: E

题二
A. 甲
B. 乙
ANSWER: AB

题三
A. 甲
C. 乙
D. 丙
ANSWER: A

题四
A. 甲
B. 乙
题五没有上一题的答案
A. 甲
B. 乙
ANSWER: B

ANSWER: A

题七只有题干
ANSWER: A

题八
A. 甲
B. 甲
ANSWER: A

题八
A. 甲
B. 甲
ANSWER: A

题十
A. 甲
"""


def test_every_bad_question_is_reported_with_its_line():
    with pytest.raises(FormatError) as exc_info:
        read_questions(BAD_AIKEN.encode(), "aiken")
    assert [str(e) for e in exc_info.value.errors] == [
        "第1行: 答案“E”不在选项中",
        "第10行: 答案“AB”无效：Aiken格式只支持单选题，答案应为一个字母",
        "第14行: 选项“C”顺序错误，应为“B”",
        "第18行: 选项后缺少“ANSWER: 字母”行",
        "第26行: ANSWER行之前缺少题干",
        "第28行: 缺少选项（应为“A. 选项”格式）",
        "第36行: 与第31行的题目重复",
        "第41行: 缺少“ANSWER: 字母”行",
    ]
