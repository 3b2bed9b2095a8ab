"""Bad input tried for real: hostile and random files end in a clear error, never a crash.

Importers: the roster reader (people.roster.roster_file), question files in every format
(exams.formats, and the all-or-nothing questions_import service), law markdown
(learning.laws.lawtext). Runtime is kept modest with max_examples.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.spreadsheets import SpreadsheetError
from exams.formats import FORMATS, FormatError, parse_questions, read_questions
from learning.laws.lawtext.markdown import LawParseError, parse_law_text
from people.roster.roster_file import read_roster, validate_row
from tests.security.hostile import (
    BILLION_LAUGHS,
    XXE,
    hostile_roster_files,
    lying_zip_bomb_xlsx,
    zip_bomb_xlsx,
)

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def roster_outcome(data: bytes, filename: str):
    """'error: <message>' or the list of (row, errors) — never another exception."""
    try:
        rows = list(read_roster(data, filename))
    except SpreadsheetError as exc:
        message = str(exc)
        assert message and not message.isascii(), message  # a Chinese message for the user
        return f"error: {message}"
    return [validate_row(r)[1] for r in rows]


@pytest.mark.parametrize("case", sorted(hostile_roster_files()))
def test_hostile_roster_files(case):
    filename, data = hostile_roster_files()[case]
    outcome = roster_outcome(data, filename)
    assert "root:x:0" not in str(outcome)  # no external entity was read
    assert "lollollol" not in str(outcome)  # no entity was expanded
    if case in ("zip bomb", "lying zip bomb", "billion laughs", "xxe", "damaged zip", "empty"):
        assert isinstance(outcome, str), case


def test_roster_formulas_are_not_data():
    filename, data = hostile_roster_files()["formulas"]
    outcome = roster_outcome(data, filename)
    assert isinstance(outcome, str) or outcome[0], "a formula row must not pass validation"


@FUZZ
@given(data=st.binary(max_size=4096), ext=st.sampled_from(["csv", "xlsx", "txt", ""]))
def test_random_bytes_roster(data, ext):
    roster_outcome(data, f"f.{ext}" if ext else "f")


@FUZZ
@given(
    rows=st.lists(st.lists(st.text(max_size=40), min_size=0, max_size=9), min_size=0, max_size=8)
)
def test_random_csv_cells_roster(rows):
    text = "姓名,性别,身份证号,手机号,单位编码,类别,等级\n" + "\n".join(
        ",".join('"' + c.replace('"', '""') + '"' for c in r) for r in rows
    )
    roster_outcome(text.encode("utf-8", "surrogatepass"), "名册.csv")


HOSTILE_QUESTION_FILES = {
    "zip bomb": ("q.xlsx", zip_bomb_xlsx()),
    "lying zip bomb": ("q.xlsx", lying_zip_bomb_xlsx()),
    "billion laughs xml": ("q.xml", (BILLION_LAUGHS + "<quiz>&lol9;</quiz>").encode()),
    "xxe xml": ("q.xml", (XXE + "<quiz><question>&xxe;</question></quiz>").encode()),
    "gift garbage": ("q.gift", b"::\x00::{=~}" * 1000),
    "aiken gbk": ("q.txt", "题目？\nA. 对\nB. 错\nANSWER: C\n".encode("gbk")),
    "csv formula": ("q.csv", b'=cmd|" /C calc"!A0,single\n'),
    "huge line": ("q.txt", b"A" * 3_000_000),
    "utf-16 csv": ("q.csv", "题干,类型\n".encode("utf-16")),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_QUESTION_FILES))
def test_hostile_question_files(case):
    filename, data = HOSTILE_QUESTION_FILES[case]
    result = parse_questions(data, filename=filename)  # never raises
    text = str(result.errors) + str(result.questions)
    assert "root:x:0" not in text and "lollollol" not in text
    with pytest.raises(FormatError):
        read_questions(data)


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(HOSTILE_QUESTION_FILES))
def test_hostile_question_import_writes_nothing(case):
    from exams.models import Question
    from exams.services import questions_import

    filename, data = HOSTILE_QUESTION_FILES[case]
    result = questions_import(source=data, filename=filename)
    assert result.errors
    assert all(e.message for e in result.errors)
    assert Question.objects.count() == 0


@FUZZ
@given(data=st.binary(max_size=4096), fmt=st.sampled_from(FORMATS))
def test_random_bytes_every_question_format(data, fmt):
    result = parse_questions(data, fmt=fmt)
    for error in result.errors:
        assert error.message


@FUZZ
@given(text=st.text(max_size=2000))
def test_random_text_every_question_format(text):
    for fmt in ("csv", "gift", "aiken", "moodle-xml"):
        parse_questions(text.encode("utf-8", "surrogatepass"), fmt=fmt)


LAW_LINES = st.sampled_from(
    [
        "# 中华人民共和国测试法",
        "## 第一章 总则",
        "### 第一节 一般规定",
        "第一条 为了测试，制定本法。",
        "第二条之一 补充条款。",
        "第九十九万条 超大条号。",
        "<!-- INFO END -->",
        "2020年1月1日",
        "",
        "第条 无数字",
        "# ",
        "##",
    ]
)


@FUZZ
@given(lines=st.lists(st.one_of(LAW_LINES, st.text(max_size=60)), max_size=40))
def test_random_law_markdown(lines):
    try:
        parse_law_text("\n".join(lines))
    except LawParseError as exc:
        assert str(exc)
