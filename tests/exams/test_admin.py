"""The question bank, papers and exams in the Wagtail admin; import page, regrade, reports."""

from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from exams.models import Attempt, Exam, Paper, Question, QuestionTag, Regrade
from exams.services import answer_save, attempt_start, attempt_submit
from tests.exams.conftest import key_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_bank_list_search_and_filters(admin_client, bank):
    Question.objects.filter(pk=bank[0].pk).update(needs_review=True)
    url = reverse("wagtailsnippets_exams_question:list")
    assert admin_client.get(url).status_code == 200
    html = admin_client.get(url, {"q": "多选题3"}).content.decode()
    assert "多选题3" in html and "单选题1" not in html
    html = admin_client.get(url, {"type": "truefalse"}).content.decode()
    assert "判断题0" in html and "单选题0" not in html
    html = admin_client.get(url, {"needs_review": "true"}).content.decode()
    assert "单选题0" in html and "单选题1：" not in html


def test_add_question_in_admin_checks_citations(admin_client, laws):
    url = reverse("wagtailsnippets_exams_question:add")
    data = {
        "type": "single",
        "difficulty": "2",
        "stem": "结婚的法定年龄，男不得早于几周岁？",
        "option_a": "20",
        "option_b": "22",
        "answer_text": "B",
        "explanation": "民法典第1047条",
        "tags_text": "民法典、婚姻家庭",
        "citations_text": "民法典第9999条",
        "is_active": "on",
    }
    resp = admin_client.post(url, data)
    assert resp.status_code == 200 and "在法律库中不存在" in resp.content.decode()
    assert not Question.objects.exists()
    data["citations_text"] = "民法典第1047条"
    resp = admin_client.post(url, data)
    assert resp.status_code == 302, resp.content.decode()[:3000]
    q = Question.objects.get()
    assert q.options == [["A", "20"], ["B", "22"]] and q.answer == ["B"]
    assert sorted(t.name for t in q.tags.all()) == ["婚姻家庭", "民法典"]
    assert [a.number for a in q.articles.all()] == [1047]
    # The same question again is refused.
    resp = admin_client.post(url, data)
    assert "已有相同的试题" in resp.content.decode()


def paper_post(tag, count):
    return nested_form_data(
        {
            "title": "新试卷",
            "mode": "random",
            "shuffle_questions": "on",
            "shuffle_options": "on",
            "fixed_points": "2",
            "rules": inline_formset(
                [
                    {
                        "type": "single",
                        "tag": str(tag.pk),
                        "difficulty": "",
                        "count": str(count),
                        "points": "2",
                    }
                ]
            ),
            "items": inline_formset([]),
        }
    )


def test_a_rule_the_bank_cannot_satisfy_is_rejected_on_save(admin_client, bank):
    tag = QuestionTag.objects.get(name="民法典")
    url = reverse("wagtailsnippets_exams_paper:add")
    resp = admin_client.post(url, paper_post(tag, 21))
    assert resp.status_code == 200
    assert "只有20道" in resp.content.decode()
    assert not Paper.objects.exists()
    resp = admin_client.post(url, paper_post(tag, 20))
    assert resp.status_code == 302
    assert Paper.objects.get().rules.get().count == 20


def test_exam_with_an_unsatisfiable_paper_is_rejected(admin_client, paper, units):
    rule = paper.rules.first()
    rule.count = 500
    rule.save()
    now = timezone.localtime()
    data = {
        "title": "年度考试",
        "purpose": "annual",
        "paper": str(paper.pk),
        "units": [str(units["dept"].pk)],
        "categories": ["civil_servant"],
        "opens_at": now.strftime("%Y-%m-%d %H:%M"),
        "closes_at": (now + timedelta(days=3)).strftime("%Y-%m-%d %H:%M"),
        "time_limit_minutes": "90",
        "attempts_allowed": "3",
        "grace_seconds": "60",
        "scoring": "best",
        "pass_mark": "60",
        "bands": '[{"name": "优秀", "min": 90}, {"name": "合格", "min": 60}]',
        "show_answers": "on",
        "is_published": "on",
    }
    url = reverse("wagtailsnippets_exams_exam:add")
    resp = admin_client.post(url, data)
    assert resp.status_code == 200 and "无法组卷" in resp.content.decode()
    rule.count = 5
    rule.save()
    resp = admin_client.post(url, data)
    assert resp.status_code == 302, resp.content.decode()[:2000]
    exam = Exam.objects.get()
    assert exam.categories == ["civil_servant"] and list(exam.units.all()) == [units["dept"]]


def test_import_page_and_exports(admin_client, laws, tmp_path):
    from exams.formats.table import template_csv

    url = reverse("exams_question_import")
    assert admin_client.get(url).status_code == 200
    bad = "题型,题干,选项A,选项B,答案,法条\n单选,甲？,对,错,A,民法典第1条\n单选,乙？,对,错,C,\n".encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    resp = admin_client.post(url, {"file": SimpleUploadedFile("b.csv", bad)})
    html = resp.content.decode()
    assert "未写入任何试题" in html and "第2行" in html and "第3行" in html
    assert not Question.objects.exists()
    good = "题型,题干,选项A,选项B,答案,法条\n单选,甲？,对,错,A,民法典第1047条\n".encode()
    resp = admin_client.post(url, {"file": SimpleUploadedFile("g.csv", good)})
    assert "已导入1道新试题" in resp.content.decode()
    for fmt in ("xlsx", "csv", "moodle-xml", "gift", "aiken"):
        resp = admin_client.get(reverse("exams_question_export"), {"format": fmt})
        assert resp.status_code == 200 and len(resp.content) > 20
    assert (
        admin_client.get(reverse("exams_question_template", args=["csv"])).content == template_csv()
    )


def test_regrade_dry_run_then_apply_with_audit(admin_client, units, make_person, exam):
    person = make_person(units["village"])
    attempt = attempt_start(exam=exam, user=person.user)
    keys = key_answers(attempt)
    # Answer everything right except one single-choice question answered with the wrong key.
    target_id = next(e["id"] for e in attempt.paper["questions"] if e["type"] == "single")
    entry = next(e for e in attempt.paper["questions"] if e["id"] == target_id)
    wrong_shown = next(o["key"] for o in entry["options"] if o["key"] not in keys[target_id])
    keys[target_id] = [wrong_shown]
    for i, (qid, key) in enumerate(keys.items(), 1):
        answer_save(attempt=attempt, question_id=qid, answer=key, seq=i)
    attempt_submit(attempt=attempt)
    attempt.refresh_from_db()
    assert attempt.score == 90
    new_key = entry["map"][wrong_shown]
    question = Question.objects.get(pk=target_id)
    url = reverse("exams_question_regrade", args=[target_id])
    # Editing the key directly is refused once somebody has answered.
    edit = admin_client.get(reverse("wagtailsnippets_exams_question:edit", args=[target_id]))
    assert edit.status_code == 200
    preview = admin_client.post(url, {"answer": new_key}).content.decode()
    assert "1份答卷" in preview and "90.0" in preview and "100" in preview
    question.refresh_from_db()
    assert question.answer == ["A"]
    resp = admin_client.post(url, {"answer": new_key, "apply": "1"})
    assert resp.status_code == 302
    attempt.refresh_from_db()
    question.refresh_from_db()
    assert question.answer == [new_key] and attempt.score == 100 and attempt.band == "优秀"
    record = Regrade.objects.get()
    assert record.old_answer == ["A"] and record.changes[0]["attempt"] == attempt.pk
    assert ModelLogEntry.objects.filter(action="exams.regrade", object_id=str(target_id)).exists()


def test_report_by_department_and_town(admin_client, units, make_person, make_exam):
    exam = make_exam(units=[units["district"]])
    sat = make_person(units["village"], name="参考人")
    make_person(units["other_village"], name="未考人")
    make_person(units["dept"], name="部门人", category="civil_servant")
    attempt = attempt_start(exam=exam, user=sat.user)
    for i, (qid, key) in enumerate(key_answers(attempt).items(), 1):
        answer_save(attempt=attempt, question_id=qid, answer=key, seq=i)
    attempt_submit(attempt=attempt)
    url = reverse("exams_report", args=[exam.pk])
    html = admin_client.get(url).content.decode()
    assert "应考 3 人，参考 1 人" in html
    assert "一号镇" in html and "二号镇" in html and "区司法局" in html
    assert "<svg" in html and "未考人" in html
    resp = admin_client.get(url, {"download": "xlsx"})
    wb = openpyxl.load_workbook(__import__("io").BytesIO(resp.content))
    assert wb.sheetnames == ["按部门", "按镇", "成绩", "未参考", "切屏记录"]
    towns = {r[0]: r for r in wb["按镇"].iter_rows(min_row=2, values_only=True)}
    assert towns["一号镇"][1:6] == (1, 1, 100.0, 1, 100.0)
    assert towns["二号镇"][1:4] == (1, 0, 0.0)


def test_focus_losses_are_listed_for_review_in_scope(admin_client, units, make_person, make_exam):
    """Leaving the exam page is logged (never fails the attempt) and reviewed in the report;
    a town's staff see only their own town's takers."""
    from django.test import Client

    from exams.models import FocusEvent
    from people.roster.models import StaffScope

    client = Client()  # the takers' phones (admin_client stays the administrator's)
    exam = make_exam(units=[units["district"]])
    mine = make_person(units["village"], name="切屏考生")
    other = make_person(units["other_village"], name="外镇考生")
    for person, blurs in ((mine, 2), (other, 1)):
        attempt = attempt_start(exam=exam, user=person.user)
        client.force_login(person.user)
        for _ in range(blurs):
            resp = client.post(
                f"/api/v1/attempts/{attempt.pk}/focus/",
                data='{"kind": "blur"}',
                content_type="application/json",
            )
            assert resp.status_code == 204
        attempt.refresh_from_db()
        assert attempt.state == "open"  # logged, never auto-failed
    assert FocusEvent.objects.count() == 3
    url = reverse("exams_report", args=[exam.pk])
    html = admin_client.get(url).content.decode()
    assert "切屏记录（2份答卷）" in html and "2次" in html and "外镇考生" in html
    wb = openpyxl.load_workbook(
        __import__("io").BytesIO(admin_client.get(url, {"download": "xlsx"}).content)
    )
    rows = list(wb["切屏记录"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[3]) for r in rows] == [("切屏考生", 2), ("外镇考生", 1)]
    from django.contrib.auth.models import Permission

    staff = make_person(units["town"], name="镇干部").user
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_exam"),
    )
    StaffScope.objects.create(user=staff, unit=units["town"])
    client.force_login(staff)
    scoped = client.get(url)
    assert scoped.status_code == 200, scoped.status_code
    scoped_html = scoped.content.decode()
    assert "切屏考生" in scoped_html and "外镇考生" not in scoped_html


def test_large_report_export_runs_as_a_task(
    admin_client, units, make_person, make_exam, settings, tmp_path, monkeypatch
):
    from exams.admin import views as admin_views

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(admin_views, "LARGE_REPORT", 0)
    exam = make_exam()
    make_person(units["village"])
    resp = admin_client.get(reverse("exams_report", args=[exam.pk]), {"download": "xlsx"})
    assert resp.status_code == 302
    done = admin_client.get(resp["Location"])
    assert done.status_code == 200
    assert done["Content-Disposition"].startswith("attachment")


def test_staff_without_permission_cannot_open_admin_pages(client, make_user, exam):
    from django.contrib.auth.models import Permission

    user = make_user(phone="13900000077", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(reverse("exams_question_import")).status_code in (302, 403)
    assert client.get(reverse("exams_report", args=[exam.pk])).status_code in (302, 403)
    assert Attempt.objects.count() == 0
