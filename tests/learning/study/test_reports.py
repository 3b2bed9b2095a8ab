"""Study reports for administrators: scoping, figures, .xlsx export (学时统计)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client

from learning.study.models import StudyDay, StudyYearTotal
from learning.study.services import study_rollup
from people.accounts.roles import TOWN_STAFF, ensure_roles
from people.roster.models import StaffScope, Unit
from tests.learning.study.conftest import make_learner


@pytest.fixture
def district(village, make_user):
    town1 = village.parent
    town2 = Unit(kind="town", code="ST2", name="二镇", parent=town1.parent)
    town2.save()
    village2 = Unit(kind="village", code="SV2", name="二村", parent=town2)
    village2.save()
    a_user, a = make_learner(make_user, village, phone="13900000301", name="甲")
    b_user, b = make_learner(make_user, village2, phone="13900000302", name="乙")
    StudyDay.objects.create(person=a, day=dt.date(2026, 3, 1), credited_ms=125 * 60_000)
    StudyDay.objects.create(person=b, day=dt.date(2026, 3, 1), credited_ms=10 * 60_000)
    study_rollup(year=2026)
    return {"town1": town1, "town2": town2, "a": a, "b": b}


def test_admin_sees_every_town_and_exports_xlsx(course_tree, district, admin_user):
    client = Client()
    client.force_login(admin_user)
    r = client.get("/admin/study/report/?year=2026&by=town")
    html = r.content.decode()
    assert r.status_code == 200
    assert "一镇" in html and "二镇" in html and "甲" in html and "乙" in html
    x = client.get("/admin/study/report/?year=2026&by=town&format=xlsx")
    assert x["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(x.content))
    rows = list(book["汇总"].iter_rows(values_only=True))
    assert rows[1][:3] == ("镇（街道）", "学员数", "平均积分")
    by_town = {row[0]: row for row in rows[2:]}
    assert by_town["一镇"][1] == 1 and by_town["一镇"][2] == 125
    assert by_town["二镇"][2] == 10
    behind = [row[0] for row in book["进度落后"].iter_rows(min_row=2, values_only=True)]
    assert set(behind) <= {"甲", "乙"}


def test_town_staff_see_their_town_only(course_tree, district, make_user):
    staff = make_user(phone="13900000310")
    staff.groups.add(ensure_roles()[TOWN_STAFF])
    StaffScope.objects.create(user=staff, unit=district["town2"])
    client = Client()
    client.force_login(staff)
    r = client.get("/admin/study/report/?year=2026")
    assert r.status_code == 200
    html = r.content.decode()
    assert "二镇" in html and "乙" in html
    assert "一镇" not in html and "甲" not in html


def test_learners_cannot_see_reports(course_tree, district):
    client = Client()
    client.force_login(district["a"].user)
    r = client.get("/admin/study/report/")
    assert r.status_code in (302, 403)


def test_rollup_button(course_tree, district, admin_user):
    StudyDay.objects.filter(person=district["b"]).update(credited_ms=20 * 60_000)
    client = Client()
    client.force_login(admin_user)
    r = client.post("/admin/study/report/?year=2026&by=town")
    assert r.status_code == 302
    assert StudyYearTotal.objects.get(person=district["b"]).points == 20
