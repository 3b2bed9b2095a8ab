"""谁执法谁普法: department staff file their own list and report only; the district reviews."""

import io

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from openpyxl import load_workbook

from campaigns.duty.models import DutyList, DutyReport, DutyReview
from campaigns.duty.services import criteria_ensure, duty_list_save, duty_report_save
from people.accounts.roles import DEPARTMENT_STAFF, DISTRICT_ADMIN, ensure_roles
from people.roster.models import StaffScope

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def people(units, make_user):
    ensure_roles()
    staff = make_user(phone="13900000021", display_name="司法局联络员")
    staff.groups.add(Group.objects.get(name=DEPARTMENT_STAFF))
    StaffScope.objects.create(user=staff, unit=units["justice"])
    other = make_user(phone="13900000022", display_name="市场监管局联络员")
    other.groups.add(Group.objects.get(name=DEPARTMENT_STAFF))
    StaffScope.objects.create(user=other, unit=units["market"])
    district = make_user(phone="13900000023", display_name="区司法局管理员", is_staff=True)
    district.groups.add(Group.objects.get(name=DISTRICT_ADMIN))
    learner = make_user(phone="13900000024", display_name="学员")
    criteria_ensure()
    return {**units, "staff": staff, "other": other, "admin": district, "learner": learner}


def _list_data(**extra):
    return {
        "other_laws": "中华人民共和国人民调解法\n法律援助法",
        "audiences": ["public", "cadres"],
        "duties": "在执法过程中向当事人释法说理。",
        "activities": "3|人民调解进村|村民\n12|宪法宣传周集中宣传|社会公众",
        **extra,
    }


def test_staff_file_their_own_list_and_report(client, people):
    client.force_login(people["staff"])
    dept = people["justice"]
    url = f"/campaigns/duty/{YEAR}/{dept.pk}/list/"
    assert client.get(url).status_code == 200
    response = client.post(url, _list_data())
    assert response.status_code == 302
    duty_list = DutyList.objects.get(department=dept, year=YEAR)
    assert [a.title for a in duty_list.activities.all()] == ["人民调解进村", "宪法宣传周集中宣传"]
    assert duty_list.audience_names == ["社会公众", "村（社区）干部"]

    report_url = f"/campaigns/duty/{YEAR}/{dept.pk}/report/"
    client.post(
        report_url, {"summary": "全年开展普法活动。", "activities_held": 12, "people_reached": 3400}
    )
    assert DutyReport.objects.get(department=dept).status == "draft"
    client.post(
        report_url,
        {
            "summary": "全年开展普法活动12场。",
            "activities_held": 12,
            "people_reached": 3400,
            "submit": "1",
        },
    )
    report = DutyReport.objects.get(department=dept)
    assert report.status == "submitted" and report.submitted_by == people["staff"]
    html = client.get(f"/campaigns/duty/{YEAR}/{dept.pk}/").content.decode()
    assert "全年开展普法活动12场" in html and "人民调解进村" in html


def test_bad_activity_lines_write_nothing(client, people):
    client.force_login(people["staff"])
    dept = people["justice"]
    response = client.post(
        f"/campaigns/duty/{YEAR}/{dept.pk}/list/", _list_data(activities="13|不存在的月份\n乱写")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "第1行" in html and "第2行" in html
    assert not DutyList.objects.exists()


def test_staff_cannot_see_or_edit_another_department(client, people):
    duty_list_save(
        department=people["market"],
        year=YEAR,
        user=people["other"],
        other_laws="食品安全法",
        activities=[{"month": 5, "title": "食品安全进市场", "audience": ""}],
    )
    client.force_login(people["staff"])
    market = people["market"].pk
    for path in ("", "list/", "report/", "review/"):
        assert client.get(f"/campaigns/duty/{YEAR}/{market}/{path}").status_code in (403, 404)
    response = client.post(f"/campaigns/duty/{YEAR}/{market}/list/", _list_data())
    assert response.status_code == 404
    assert DutyList.objects.get(department=people["market"]).other_laws == "食品安全法"
    index = client.get(f"/campaigns/duty/{YEAR}/").content.decode()
    assert "区司法局" in index and "区市场监管局" not in index


def test_export_is_scoped_to_the_users_department(client, people):
    client.force_login(people["staff"])
    response = client.get(f"/campaigns/duty/{YEAR}/summary.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["区司法局"]


def test_learners_have_no_access(client, people):
    client.force_login(people["learner"])
    assert client.get(f"/campaigns/duty/{YEAR}/").status_code == 403
    assert client.get(f"/campaigns/duty/{YEAR}/summary.xlsx").status_code == 403
    assert client.get(f"/campaigns/duty/{YEAR}/{people['justice'].pk}/").status_code == 404
    client.logout()
    assert client.get(f"/campaigns/duty/{YEAR}/").status_code == 302  # to log in


def test_district_reviews_with_scores_and_exports_every_department(client, people):
    report = duty_report_save(
        department=people["justice"],
        year=YEAR,
        user=people["staff"],
        summary="全年开展普法活动。",
        activities_held=12,
        people_reached=3400,
        submit=True,
    )
    criteria = criteria_ensure()
    client.force_login(people["admin"])
    url = f"/campaigns/duty/{YEAR}/{people['justice'].pk}/review/"
    scores = {f"score_{c.pk}": c.max_score - 2 for c in criteria}
    bad = {**scores, f"score_{criteria[0].pk}": criteria[0].max_score + 5, "comment": "好"}
    assert client.post(url, bad).status_code == 200
    assert not DutyReview.objects.exists()
    response = client.post(url, {**scores, "comment": "清单落实到位，建议增加线上宣传。"})
    assert response.status_code == 302
    review = DutyReview.objects.get(report=report)
    assert review.total == sum(c.max_score - 2 for c in criteria)
    report.refresh_from_db()
    assert report.status == "reviewed"

    sheet = load_workbook(
        io.BytesIO(client.get(f"/campaigns/duty/{YEAR}/summary.xlsx").content)
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "部门" and "总分" in rows[0]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"区司法局", "区市场监管局"}
    assert by_name["区司法局"][rows[0].index("总分")] == float(review.total)
    assert by_name["区市场监管局"][3] == "未填写"

    # department staff can no longer change a reviewed report, and cannot review
    client.force_login(people["staff"])
    client.post(
        f"/campaigns/duty/{YEAR}/{people['justice'].pk}/report/",
        {"summary": "改了", "activities_held": 1, "people_reached": 1, "submit": "1"},
    )
    report.refresh_from_db()
    assert report.summary == "全年开展普法活动。"
    assert client.post(url, {**scores, "comment": "自评满分"}).status_code == 403


def test_review_of_a_draft_is_refused(people):
    from django.core.exceptions import ValidationError

    from campaigns.duty.services import duty_review_save

    report = duty_report_save(
        department=people["justice"], year=YEAR, user=people["staff"], summary="草稿"
    )
    with pytest.raises(ValidationError, match="尚未提交"):
        duty_review_save(report=report, reviewer=people["admin"], scores={}, comment="x")


def test_formula_like_text_is_not_a_formula_in_the_export(client, people):
    people["justice"].name = '=HYPERLINK("http://x")'
    people["justice"].save()
    client.force_login(people["admin"])
    sheet = load_workbook(
        io.BytesIO(client.get(f"/campaigns/duty/{YEAR}/summary.xlsx").content)
    ).active
    values = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://x")' in values
