"""Scoping through HTTP: a town user cannot read another town's people by URL, export or admin."""

import csv
import io
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from people.accounts.roles import DISTRICT_ADMIN, TOWN_STAFF, ensure_roles
from people.roster.models import StaffScope
from tests.people.tree import person, small_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user):
    t = small_tree()
    groups = ensure_roles()
    p1 = person(t["g1"], name="甲一", level="backbone")
    p3 = person(t["g3"], name="丙三", level="ordinary")
    town_user = make_user(phone="13900000201", is_staff=True)
    town_user.groups.add(groups[TOWN_STAFF])
    StaffScope.objects.create(user=town_user, unit=t["t1"])
    district_user = make_user(phone="13900000202", is_staff=True)
    district_user.groups.add(Group.objects.get(name=DISTRICT_ADMIN))
    learner = make_user(phone="13900000203")
    return {
        "t": t,
        "p1": p1,
        "p3": p3,
        "town": town_user,
        "district": district_user,
        "learner": learner,
    }


def test_admin_listing_and_export_show_only_the_town(client, world):
    client.force_login(world["town"])
    response = client.get(reverse("people_person:index"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "甲一" in body and "丙三" not in body
    assert world["p1"].id_masked in body
    response = client.get(reverse("people_person:index") + "?export=csv")
    assert response.status_code == 200
    text = (
        b"".join(response.streaming_content).decode("utf-8-sig")
        if response.streaming
        else response.content.decode("utf-8-sig")
    )
    assert "甲一" in text and "丙三" not in text
    assert world["p1"].id_masked in text


@pytest.mark.parametrize(
    "view", ["edit", "inspect", "delete", "history", "usage", "remove", "decision"]
)
def test_admin_other_towns_person_by_url_is_not_found(client, world, view):
    client.force_login(world["town"])
    url = reverse(f"people_person:{view}", args=[world["p3"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "x", "occurred_on": "2025-01-01"}).status_code in (403, 404)
    world["p3"].refresh_from_db()
    assert world["p3"].status == "active"


def test_admin_own_town_person_can_be_edited_and_removed(client, world):
    client.force_login(world["town"])
    p1 = world["p1"]
    assert client.get(reverse("people_person:edit", args=[p1.pk])).status_code == 200
    response = client.post(
        reverse("people_person:remove", args=[p1.pk]),
        {"occurred_on": "2025-10-01", "reason": "外出务工"},
    )
    assert response.status_code == 302
    p1.refresh_from_db()
    assert (p1.status, p1.removed_on) == ("removed", date(2025, 10, 1))


def test_admin_create_person_only_in_own_units(client, world):
    from core.identity import make_test_id_number
    from people.roster.models import Person

    client.force_login(world["town"])
    url = reverse("people_person:add")
    data = {
        "name": "新人",
        "id_number": make_test_id_number(seq=321),
        "gender": "",
        "mobile": "13912345678",
        "unit": world["t"]["g3"].pk,  # another town's group: not a valid choice
        "category": "public",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and not Person.objects.filter(name="新人").exists()
    data["unit"] = world["t"]["g2"].pk
    response = client.post(url, data)
    assert response.status_code == 302
    created = Person.objects.get(name="新人")
    assert created.unit_id == world["t"]["g2"].pk and created.mobile == "13912345678"


def test_admin_units_and_records_are_scoped(client, world):
    client.force_login(world["town"])
    body = client.get(reverse("people_unit:index")).content.decode()
    assert "一村" in body and "三村" not in body
    assert client.get(reverse("people_unit:edit", args=[world["t"]["v3"].pk])).status_code == 404
    body = client.get(reverse("people_trainingrecord:index")).content.decode()
    assert "甲一" in body and "丙三" not in body
    record = world["p3"].training_records.get()
    assert client.get(reverse("people_trainingrecord:inspect", args=[record.pk])).status_code == 404
    # Quota settings and scopes are for district admins only.
    assert client.get(reverse("people_quotatarget:index")).status_code in (302, 403)
    assert client.get(reverse("people_staffscope:index")).status_code in (302, 403)


def test_dashboard_scoped_to_the_town(client, world):
    client.force_login(world["town"])
    response = client.get(reverse("quota_dashboard") + "?year=2025")
    assert response.status_code == 200
    body = response.content.decode()
    assert "一镇" in body and "一村" in body and "三村" not in body
    for code in ("T2", "V3", "G3", "D", "DEP1"):
        url = reverse("quota_dashboard_unit", args=[code])
        assert client.get(url).status_code == 404, code
    assert client.get(reverse("quota_dashboard_unit", args=["V1"])).status_code == 200
    assert client.get(reverse("quota_export_csv") + "?unit=T2").status_code == 404
    assert client.get(reverse("quota_export_xlsx") + "?unit=V3").status_code == 404
    text = client.get(reverse("quota_export_csv") + "?year=2025").content.decode("utf-8-sig")
    codes = [row[0] for row in csv.reader(io.StringIO(text))][1:]
    assert codes == ["T1", "V1", "V2"]


def test_dashboard_needs_a_scope(client, world):
    assert client.get(reverse("quota_dashboard")).status_code == 302  # log in first
    client.force_login(world["learner"])
    assert client.get(reverse("quota_dashboard")).status_code == 403
    assert client.get(reverse("quota_export_csv")).status_code == 403


def test_district_admin_sees_every_town(client, world):
    client.force_login(world["district"])
    body = client.get(reverse("quota_dashboard") + "?year=2025").content.decode()
    assert "梧桐桥区" in body and "一镇" in body and "二镇" in body
    assert client.get(reverse("people_person:edit", args=[world["p3"].pk])).status_code == 200


def test_admin_search_stays_in_scope(client, world):
    client.force_login(world["town"])
    body = client.get(reverse("people_person:index") + "?q=丙").content.decode()
    assert "丙三" not in body
    body = client.get(reverse("people_person:index") + "?q=甲").content.decode()
    assert "甲一" in body
