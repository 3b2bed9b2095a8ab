"""Quota dashboard page: drill-down, colours, chart, exports, bounded queries."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from people.accounts.roles import DISTRICT_ADMIN, ensure_roles
from people.roster.models import Unit
from tests.people.tree import person, small_tree, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    ensure_roles()
    from django.contrib.auth.models import Group

    user = make_user(phone="13900000401", is_staff=True)
    user.groups.add(Group.objects.get(name=DISTRICT_ADMIN))
    client.force_login(user)
    return client


def test_drill_down_from_district_to_groups(admin_client):
    t = small_tree()
    for _ in range(5):
        person(t["v2"], level="backbone")
    person(t["g1"], name="组员", level="ordinary")
    body = admin_client.get(reverse("quota_dashboard") + "?year=2025").content.decode()
    assert "梧桐桥区" in body and "<svg" in body and "各镇完成情况" in body
    assert reverse("quota_dashboard_unit", args=["T1"]) in body
    assert "未达标的村（社区）" in body and "三村" in body
    body = admin_client.get(
        reverse("quota_dashboard_unit", args=["T1"]) + "?year=2025"
    ).content.decode()
    assert "各村（社区）完成情况" in body and "quota-row--ok" in body  # 二村 meets its quota
    body = admin_client.get(
        reverse("quota_dashboard_unit", args=["V1"]) + "?year=2025"
    ).content.decode()
    assert "一组" in body and "二组" in body and "梧桐桥区" in body  # breadcrumb
    assert admin_client.get(reverse("quota_dashboard_unit", args=["G1"])).status_code == 200
    assert admin_client.get(reverse("quota_dashboard_unit", args=["NOPE"])).status_code == 404
    assert admin_client.get(reverse("quota_dashboard") + "?year=abc").status_code == 404


def test_exports(admin_client):
    t = small_tree()
    person(t["g1"], level="backbone")
    response = admin_client.get(reverse("quota_export_xlsx") + "?unit=T1&year=2025")
    assert response["Content-Disposition"].endswith('.xlsx"')
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("单位编码", "单位名称", "类型")
    assert [r[0] for r in rows[1:]] == ["T1", "V1", "V2"]
    v1 = rows[2]
    assert v1[3:6] == (1, 1, 5) and v1[-1] == "未达标"
    text = admin_client.get(reverse("quota_export_csv") + "?year=2025").content.decode("utf-8-sig")
    assert text.splitlines()[1].startswith("D,梧桐桥区,区,1,1,")


def test_dashboard_query_count_does_not_grow_with_units(
    admin_client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    t = small_tree()
    urls = [
        reverse("quota_dashboard") + "?year=2025",
        reverse("quota_dashboard_unit", args=["T2"]) + "?year=2025",
        reverse("quota_dashboard_unit", args=["V3"]) + "?year=2025",
    ]
    admin_client.get(urls[0])  # first request creates the site settings rows

    def counts():
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert admin_client.get(url).status_code == 200
            found.append(len(ctx.captured_queries))
        return found

    small = counts()
    for v in range(30):
        village = unit("village", f"VX{v}", f"新村{v}", t["t2"])
        for g in range(3):
            grp = unit("group", f"VX{v}-{g}", f"组{g}", village)
            if g == 0:
                person(grp, level="ordinary")
    for g in range(40):
        unit("group", f"V3-{g}", f"加组{g}", t["v3"])
    assert Unit.objects.count() > 160
    assert counts() == small
    with django_assert_max_num_queries(30):
        admin_client.get(urls[0])
