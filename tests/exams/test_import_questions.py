"""import_questions: all-or-nothing, citations checked against the law library, no duplicates."""

import pytest
from django.core.management import CommandError, call_command

from exams.formats import QuestionData, write_questions
from exams.formats.table import HEADERS
from exams.models import Question

pytestmark = pytest.mark.django_db


def csv_file(tmp_path, rows, name="bank.csv"):
    lines = [",".join(HEADERS)] + [",".join(r) for r in rows]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def row(qtype, stem, options, answer, citation="", tags="民法典"):
    opts = (list(options) + [""] * 6)[:6]
    return [qtype, stem, *opts, answer, "解析", "中", tags, citation]


GOOD = [
    row("单选", "男方法定婚龄是多少周岁？", ["20", "22", "18"], "B", "民法典第1047条"),
    row(
        "多选",
        "婚姻法的基本原则有？",
        ["婚姻自由", "一夫一妻", "男女平等"],
        "ABC",
        "民法典第1041条",
    ),
    row("判断", "离婚冷静期为三十日。", ["正确", "错误"], "正确", "民法典第1077条"),
]


def test_import_links_articles_and_is_idempotent(tmp_path, laws, capsys):
    path = csv_file(tmp_path, GOOD)
    call_command("import_questions", str(path))
    assert Question.objects.count() == 3
    q = Question.objects.get(type="single")
    assert [a.number for a in q.articles.all()] == [1047]
    assert q.citations == ["民法典第1047条"]
    assert [t.name for t in q.tags.all()] == ["民法典"]
    call_command("import_questions", str(path))
    assert Question.objects.count() == 3
    assert "3道题库中已存在" in capsys.readouterr().out


def test_dry_run_writes_nothing(tmp_path, laws):
    call_command("import_questions", str(csv_file(tmp_path, GOOD)), "--dry-run")
    assert not Question.objects.exists()


def test_bad_rows_are_all_reported_and_nothing_is_written(tmp_path, laws, capsys):
    rows = GOOD + [
        row("单选", "引用了不存在的法条", ["甲", "乙"], "A", "民法典第9999条"),
        row("单选", "答案不在选项中", ["甲", "乙"], "E"),
        row("单选", "法条写错了", ["甲", "乙"], "A", "随便写写"),
    ]
    with pytest.raises(CommandError, match="3处错误"):
        call_command("import_questions", str(csv_file(tmp_path, rows)))
    err = capsys.readouterr().err
    assert "第5行" in err and "民法典第9999条" in err and "不存在" in err
    assert "第6行" in err and "答案“E”不在选项中" in err
    assert "第7行" in err and "格式不正确" in err
    assert not Question.objects.exists()


def test_every_interchange_format_round_trips(tmp_path, laws):
    questions = [
        QuestionData(
            "single",
            "宪法规定一切权力属于谁？",
            [("A", "人民"), ("B", "政府")],
            ["A"],
            citations=["宪法第2条"],
        ),
        QuestionData(
            "truefalse", "年满十八周岁的公民有选举权。", [("A", "正确"), ("B", "错误")], ["A"]
        ),
    ]
    for fmt, ext in (("xlsx", "xlsx"), ("moodle-xml", "xml"), ("gift", "gift"), ("aiken", "aiken")):
        path = tmp_path / f"bank.{ext}"
        data = questions if fmt != "aiken" else questions[:1]
        path.write_bytes(write_questions(data, fmt, skip_unsupported=True))
        call_command("import_questions", str(path))
    assert Question.objects.count() == 2


def test_export_command(tmp_path, laws):
    call_command("import_questions", str(csv_file(tmp_path, GOOD)))
    out = tmp_path / "out.xlsx"
    call_command("export_questions", str(out))
    Question.objects.all().delete()
    call_command("import_questions", str(out))
    assert Question.objects.count() == 3


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError):
        call_command("import_questions", str(tmp_path / "nope.csv"))
