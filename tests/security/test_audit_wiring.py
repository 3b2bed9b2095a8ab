"""Audit log wiring (issue 8, item 4): the write services record who changed what and when as
Wagtail log entries (core.audit.audit_log), without ID card or mobile numbers in the data."""

import json
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import ModelLogEntry

from people.quota.models import QuotaOverride, QuotaTarget
from people.roster.models import Person, RosterImport, TrainingRecord, Unit
from tests.security.helpers import make_exam_run, make_roster

pytestmark = pytest.mark.django_db


def entries(action, instance=None):
    qs = ModelLogEntry.objects.filter(action=action)
    if instance is not None:
        model = ContentType.objects.get_for_model(instance)
        qs = qs.filter(object_id=str(instance.pk), content_type=model)
    return list(qs)


def assert_no_personal_numbers(entry, *secrets):
    text = json.dumps(entry.data, ensure_ascii=False) + str(entry.label)
    for secret in secrets:
        assert secret not in text


def test_person_create_update_move_remove_restore_are_logged(admin_user):
    persons, ids = make_roster(n=1, actor=admin_user)
    person = persons[0]
    (created,) = entries("mingbai.roster.create", person)
    assert created.user_id == admin_user.pk
    assert created.data["unit"] == person.unit_id
    assert_no_personal_numbers(created, ids[0], "13712340000")

    from people.roster.services import person_move, person_remove, person_restore, person_update

    person_update(person=person, actor=admin_user, name="新名字", mobile="13812345678")
    (edit,) = entries("mingbai.roster.edit", person)
    assert sorted(edit.data["fields"]) == ["mobile", "name"]
    assert_no_personal_numbers(edit, "13812345678", "13712340000")

    person_update(person=person, actor=admin_user, name="新名字")  # no change, no entry
    assert len(entries("mingbai.roster.edit", person)) == 1

    other = Unit.objects.create(
        kind="village", code="SV2", name="安全二村", parent=person.unit.parent
    )
    person_move(person=person, unit=other, occurred_on=date.today(), actor=admin_user)
    moved = entries("mingbai.roster.edit", person)
    assert len(moved) == 2
    assert any(e.data.get("to_unit") == other.pk for e in moved)

    person_remove(person=person, occurred_on=date.today(), reason="迁出", actor=admin_user)
    (removed,) = entries("mingbai.roster.delete", person)
    assert removed.user_id == admin_user.pk and removed.data["reason"] == "迁出"

    person_restore(person=person, occurred_on=date.today(), reason="回迁", actor=admin_user)
    assert len(entries("mingbai.roster.edit", person)) == 3


def test_training_record_create_is_logged_once(admin_user):
    from people.roster.services import training_decision_record

    persons, _ = make_roster(n=1)
    kwargs = dict(person=persons[0], level="ordinary", occurred_on=date.today(), reason="会议认定")
    record = training_decision_record(actor=admin_user, **kwargs)
    training_decision_record(actor=admin_user, **kwargs)  # idempotent: no second record or entry
    (entry,) = entries("mingbai.training_record.create")
    assert entry.object_id == str(record.pk)
    assert entry.user_id == admin_user.pk
    assert entry.data == {"person": persons[0].pk, "level": "ordinary", "source": "decision"}
    assert TrainingRecord.objects.count() == 1


def test_quota_target_and_override_are_logged(admin_user):
    from people.quota.services import quota_override_set, quota_target_set

    persons, _ = make_roster(n=1)
    quota_target_set(year=2026, village_backbone=2, group_trained=3, actor=admin_user)
    target = QuotaTarget.objects.get(year=2026)
    (entry,) = entries("mingbai.quota.edit", target)
    assert entry.user_id == admin_user.pk and entry.data["village_backbone"] == 2

    village = persons[0].unit
    quota_override_set(year=2026, unit=village, target=4, reason="人口多", actor=admin_user)
    override = QuotaOverride.objects.get(year=2026, unit=village)
    (entry,) = entries("mingbai.quota.edit", override)
    assert entry.data == {"year": 2026, "unit": village.pk, "target": 4}
    assert ModelLogEntry.objects.filter(action="mingbai.quota.edit").count() == 2


def test_roster_import_job_logs_one_entry_with_counts(admin_user):
    from core.identity import make_test_id_number
    from people.roster.tasks import roster_import_run
    from tests.people.tree import small_tree

    small_tree()
    id1 = make_test_id_number("511102", date(1971, 2, 3), 11)
    id2 = make_test_id_number("511102", date(1982, 4, 5), 22)
    text = (
        "姓名,性别,身份证号,手机号,单位编码,类别,法律明白人等级\n"
        f"张三,男,{id1},13800138000,G1,群众,\n"
        f"李四,女,{id2},,V2,群众,\n"
    )
    job = RosterImport.objects.create(
        filename="r.csv", content=text.encode(), dry_run=False, created_by=admin_user
    )
    assert roster_import_run(job.pk) == "done"
    assert roster_import_run(job.pk) == "done"  # a finished job is left alone: still one entry
    (entry,) = entries("mingbai.roster.import", job)
    assert entry.user_id == admin_user.pk
    assert entry.data == {"rows": 2, "created": 2, "updated": 0, "unchanged": 0}
    assert_no_personal_numbers(entry, id1, id2, "13800138000")
    assert Person.objects.count() == 2
    assert not entries("mingbai.roster.create")  # bulk import: one entry per job


def test_roster_import_preview_writes_no_entry(admin_user):
    from people.roster.tasks import roster_import_run
    from tests.people.tree import small_tree

    small_tree()
    job = RosterImport.objects.create(
        filename="r.csv", content="姓名\n".encode(), dry_run=True, created_by=admin_user
    )
    roster_import_run(job.pk)
    assert not entries("mingbai.roster.import")


def test_each_submitted_attempt_logs_its_score(make_user):
    users = [make_user(phone=f"1390000{i:04d}", display_name=f"考生{i}") for i in range(2)]
    exam, attempts = make_exam_run(users)
    logged = entries("mingbai.exam.score")
    assert sorted(int(e.object_id) for e in logged) == sorted(a.pk for a in attempts)
    by_attempt = {int(e.object_id): e for e in logged}
    for attempt, user in zip(attempts, users, strict=True):
        entry = by_attempt[attempt.pk]
        assert entry.user_id == user.pk
        assert entry.data["exam"] == exam.pk
        assert entry.data["score"] == str(attempt.score)
        assert_no_personal_numbers(entry, user.phone)

    from exams.services import attempt_submit

    attempt_submit(attempt=attempts[0])  # a second submit changes nothing and logs nothing
    assert len(entries("mingbai.exam.score")) == 2


def test_regrade_is_logged(admin_user, make_user):
    from exams.models import Question
    from exams.services import regrade_apply

    users = [make_user(phone="13900001001", display_name="考生")]
    exam, attempts = make_exam_run(users)
    qid = attempts[0].paper["questions"][0]["id"]
    question = Question.objects.get(pk=qid)
    new = ["B"] if question.answer != ["B"] else ["A"]
    if question.type == "multiple":
        new = ["A", "B"] if sorted(question.answer) != ["A", "B"] else ["A", "C"]
    regrade_apply(question=question, new_answer=new, user=admin_user)
    (entry,) = entries("exams.regrade", question)
    assert entry.user_id == admin_user.pk and entry.data["new_answer"] == new


def test_question_key_edit_in_the_admin_is_logged(admin_client, admin_user):
    from exams.models import Question
    from tests.exams.conftest import make_bank

    make_bank()
    question = Question.objects.filter(type="single").first()
    form_class = Question.snippet_viewset.get_edit_handler().get_form_class()
    form = form_class(instance=question, for_user=admin_user)
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(value, list | tuple):
            data[name] = list(value)
        else:
            data[name] = value
    data["answer_text"] = "B" if question.answer != ["B"] else "A"
    url = f"/admin/snippets/exams/question/edit/{question.pk}/"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    question.refresh_from_db()
    assert question.answer == [data["answer_text"]]
    (entry,) = entries("mingbai.exam.key_edit", question)
    assert entry.user_id == admin_user.pk
    assert entry.data["new_answer"] == [data["answer_text"]]


def test_duty_report_review_is_logged(make_user):
    from campaigns.duty.services import criteria_ensure, duty_report_save, duty_review_save
    from people.accounts.roles import DISTRICT_ADMIN, ensure_roles

    ensure_roles()
    district = Unit.objects.create(kind="district", code="AD", name="审计区")
    dept = Unit.objects.create(kind="department", code="AD-1", name="区司法局", parent=district)
    staff = make_user(phone="13900002001", display_name="联络员")
    reviewer = make_user(phone="13900002002", display_name="管理员", is_staff=True)
    reviewer.groups.add(Group.objects.get(name=DISTRICT_ADMIN))
    year = timezone.localdate().year
    report = duty_report_save(
        department=dept, year=year, user=staff, summary="全年普法。", submit=True
    )
    criteria = criteria_ensure()
    scores = {c.pk: c.max_score for c in criteria}
    review = duty_review_save(report=report, reviewer=reviewer, scores=scores, comment="很好")
    (entry,) = entries("mingbai.duty_report.review", report)
    assert entry.user_id == reviewer.pk
    assert entry.data["review"] == review.pk
    assert entry.data["scores"] == {str(c.pk): f"{c.max_score}.0" for c in criteria}
