"""The demo district: size, quota mix, linked demo accounts, idempotent."""

import io

import pytest

from people.accounts.demo import load_accounts
from people.quota.selectors import quota_tree
from people.roster import demo as demo_district
from people.roster.models import Person, StaffScope, TrainingRecord, Unit
from people.roster.selectors import person_for_user, unit_town, visible_persons

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        m.__name__: sorted(m.objects.values_list("pk", flat=True))
        for m in (Unit, Person, TrainingRecord, StaffScope)
    } | {"person_rows": list(Person.objects.order_by("pk").values_list())[:50]}


def test_demo_district_shape_accounts_and_idempotence():
    users = load_accounts("Demo-pass-2026!")
    out = io.StringIO()
    demo_district.load(stdout=out, password="x")
    assert "8 个镇" in out.getvalue()
    assert Unit.objects.filter(kind="town").count() == 8
    assert Unit.objects.filter(kind="village").count() == 130
    assert 1400 <= Unit.objects.filter(kind="group").count() <= 1600
    assert Unit.objects.filter(kind="department").count() >= 5
    assert 2700 <= Person.objects.count() <= 3300

    tree = quota_tree(year=2026)
    villages = [r for r in tree.rows.values() if r.kind == "village"]
    assert any(v.met and v.backbone > v.backbone_target for v in villages)  # over quota
    assert any(not v.met for v in villages)  # short

    first_town = Unit.objects.filter(kind="town").order_by("sort_order", "code").first()
    assert StaffScope.objects.get(user=users["13800000002"]).unit == first_town
    cadre = person_for_user(users["13800000004"])
    assert cadre.category == "cadre" and unit_town(cadre.unit) == first_town
    assert cadre.unit.code == "511112100201"  # the roster template's example village
    servant = person_for_user(users["13800000005"])
    assert servant.category == "civil_servant" and servant.unit.kind == "department"
    staff = users["13800000002"]
    assert staff.has_perm("people.change_person")
    assert visible_persons(staff).count() < Person.objects.count()

    before = snapshot()
    demo_district.load(stdout=io.StringIO(), password="x")
    assert snapshot() == before
