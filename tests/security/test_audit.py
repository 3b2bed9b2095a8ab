"""Audit log: core.audit.audit_log writes Wagtail log entries, listed, filtered and exported
in the admin's site-history report (报告 → 站点历史)."""

import io

import pytest
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from core.audit import ACTIONS, audit_log
from tests.security.helpers import make_roster

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/site-history/"
RESULTS = "/admin/reports/site-history/results/"  # the table only, without the filter form


@pytest.fixture
def entries(admin_user, make_user):
    persons, _ = make_roster(n=2)
    clerk = make_user(phone="13912348001", display_name="录入员", is_staff=True)
    audit_log(persons[0], "mingbai.roster.edit", user=admin_user, data={"field": "unit"})
    audit_log(persons[1], "mingbai.quota.edit", user=clerk, data={"target": 5})
    audit_log(persons[1], "mingbai.personal_data.export", user=clerk, data={"rows": 2})
    return persons, clerk


def test_audit_log_writes_model_log_entries(entries, admin_user):
    persons, _ = entries
    entry = ModelLogEntry.objects.get(action="mingbai.roster.edit")
    assert entry.object_id == str(persons[0].pk)
    assert entry.user_id == admin_user.pk
    assert entry.data == {"field": "unit"}
    assert entry.label == str(persons[0])


def test_every_action_has_a_chinese_label(client, admin_user, entries):
    from wagtail.log_actions import registry

    for action, label in ACTIONS.items():
        assert str(registry.get_action_label(action)) == label


def test_report_filters_by_action_and_date(client, admin_user, entries):
    client.force_login(admin_user)
    assert client.get(REPORT).status_code == 200
    page = client.get(RESULTS, {"action": "mingbai.roster.edit"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "名册：修改人员" in html and "名额：修改目标" not in html
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    by_date = client.get(RESULTS, {"timestamp_from": today, "timestamp_to": today})
    assert "个人信息：导出" in by_date.content.decode()
    last_year = client.get(RESULTS, {"timestamp_from": "2000-01-01", "timestamp_to": "2000-12-31"})
    assert "个人信息：导出" not in last_year.content.decode()


def test_report_exports_xlsx(client, admin_user, entries):
    client.force_login(admin_user)
    response = client.get(REPORT, {"export": "xlsx"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(body)).active
    actions = {row[3] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert {"名册：修改人员", "名额：修改目标", "个人信息：导出"} <= actions


def test_learners_cannot_see_the_log(client, make_user, entries):
    learner = make_user(phone="13912348002")
    client.force_login(learner)
    response = client.get(REPORT)
    assert response.status_code in (302, 403)


def test_exports_need_permission_and_are_audited(client, admin_user, make_user):
    persons, ids = make_roster(n=3)
    learner = make_user(phone="13912348003")
    client.force_login(learner)
    denied = client.get("/admin/people/persons/", {"export": "xlsx"})
    assert denied.status_code in (302, 403)
    assert not ModelLogEntry.objects.filter(action="mingbai.personal_data.export").exists()
    client.force_login(admin_user)
    response = client.get("/admin/people/persons/", {"export": "xlsx"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(body)).active
    cells = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row)
    assert persons[0].id_masked in cells
    assert not any(i in cells for i in ids)  # masked ID numbers only
    entry = ModelLogEntry.objects.get(action="mingbai.personal_data.export")
    assert entry.user_id == admin_user.pk
    assert entry.data["path"] == "/admin/people/persons/"
