"""Organisation tree, encrypted ID numbers, scoping selectors and training records."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from core.identity import make_test_id_number
from people.accounts.roles import DISTRICT_ADMIN, ensure_roles
from people.roster import selectors
from people.roster.crypto import decrypt_id
from people.roster.models import Person, PersonEvent, StaffScope, TrainingRecord
from people.roster.services import (
    person_create,
    person_move,
    person_remove,
    training_record_create,
    unit_save,
)
from tests.people.tree import person, small_tree, unit

pytestmark = pytest.mark.django_db


def test_units_carry_their_town_and_village():
    t = small_tree()
    assert t["g1"].town_id == t["t1"].pk and t["g1"].village_id == t["v1"].pk
    assert t["v1"].town_id == t["t1"].pk and t["v1"].village_id == t["v1"].pk
    assert t["t1"].town_id == t["t1"].pk and t["t1"].village_id is None
    assert selectors.unit_town(t["g1"]) == t["t1"]
    assert selectors.unit_town(t["dept"]) is None
    assert selectors.unit_department(t["dept"]) == t["dept"]
    assert selectors.unit_department(t["g1"]) is None


def test_moving_a_village_carries_its_groups_and_people():
    t = small_tree()
    p = person(t["g1"], level="backbone")
    v1 = t["v1"]
    v1.parent = t["t2"]
    v1.name = "一村（更名）"
    unit_save(unit=v1)
    t["g1"].refresh_from_db()
    assert t["g1"].town_id == t["t2"].pk
    p.refresh_from_db()
    assert p.unit_id == t["g1"].pk and p.training_records.count() == 1


def test_unit_parent_kind_is_checked():
    t = small_tree()
    bad = type(t["g1"])(kind="group", code="GX", name="错组", parent=t["t1"])
    with pytest.raises(ValidationError):
        unit_save(unit=bad)


def test_id_number_is_not_readable_in_the_database():
    t = small_tree()
    id_number = make_test_id_number("511102", date(1980, 5, 6), 17)
    p = person_create(name="王五", id_number=id_number, unit=t["v1"], category="public")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_person WHERE id = %s", [p.pk])
        row = cursor.fetchone()
    assert not any(id_number in str(value) for value in row)
    assert any(id_number[:14] in str(value) for value in row) is False
    assert decrypt_id(p.id_cipher) == id_number
    assert p.id_masked == id_number[:4] + "*" * 10 + id_number[-4:]
    assert p.gender == "M"
    assert selectors.person_find_by_id_number(id_number.lower()) == p
    with pytest.raises(ValidationError) as exc:
        person_create(name="重复", id_number=id_number, unit=t["v2"], category="public")
    assert "已在名单中" in str(exc.value)


def test_person_create_rejects_bad_input_and_writes_nothing():
    t = small_tree()
    bad_id = make_test_id_number()[:-1] + ("0" if make_test_id_number()[-1] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        person_create(name="", id_number=bad_id, unit=t["t1"], category="x", mobile="123")
    assert set(exc.value.message_dict) == {"name", "id_number", "unit", "category", "mobile"}
    assert Person.objects.count() == 0


def test_training_record_create_is_idempotent_and_sets_level():
    t = small_tree()
    p = person(t["g1"])
    assert p.level == "" and p.trained_on is None
    kwargs = dict(person=p, level="ordinary", source="exam", occurred_on=date(2025, 6, 1))
    r1 = training_record_create(**kwargs, reason="考核通过", reference="attempt:1")
    r2 = training_record_create(**kwargs, reason="考核通过", reference="attempt:1")
    assert r1 == r2 and TrainingRecord.objects.count() == 1
    p.refresh_from_db()
    assert (p.level, p.trained_on, p.backbone_on) == ("ordinary", date(2025, 6, 1), None)
    training_record_create(
        person=p, level="backbone", source="decision", occurred_on=date(2025, 9, 1), reason="认定"
    )
    p.refresh_from_db()
    assert (p.level, p.backbone_on) == ("backbone", date(2025, 9, 1))
    with pytest.raises(ValidationError):
        training_record_create(
            person=p, level="candidate", source="exam", occurred_on=date(2025, 1, 1), reason="x"
        )
    with pytest.raises(ValidationError):
        training_record_create(
            person=p, level="ordinary", source="decision", occurred_on=date(2025, 1, 1), reason=""
        )


def test_removal_needs_a_reason_and_is_in_the_history():
    t = small_tree()
    p = person(t["g1"], level="ordinary")
    with pytest.raises(ValidationError):
        person_remove(person=p, occurred_on=date(2025, 7, 1), reason=" ")
    person_remove(person=p, occurred_on=date(2025, 7, 1), reason="迁出本村")
    p.refresh_from_db()
    assert (p.status, p.removed_on) == ("removed", date(2025, 7, 1))
    event = PersonEvent.objects.get(person=p, kind="removed")
    assert event.reason == "迁出本村"


def test_person_for_user(make_user):
    t = small_tree()
    user = make_user(phone="13900000101")
    assert selectors.person_for_user(user) is None
    p = person(t["v1"], user=user)
    assert selectors.person_for_user(user) == p


def test_visible_units_and_persons_by_scope(make_user):
    t = small_tree()
    ensure_roles()
    p1, p3 = person(t["g1"]), person(t["g3"])
    town_user = make_user(phone="13900000102", is_staff=True)
    StaffScope.objects.create(user=town_user, unit=t["t1"])
    village_user = make_user(phone="13900000103", is_staff=True)
    StaffScope.objects.create(user=village_user, unit=t["v3"])
    district_user = make_user(phone="13900000104", is_staff=True)
    from django.contrib.auth.models import Group

    district_user.groups.add(Group.objects.get(name=DISTRICT_ADMIN))
    nobody = make_user(phone="13900000105")

    codes = lambda u: set(selectors.visible_units(u).values_list("code", flat=True))  # noqa: E731
    assert codes(town_user) == {"T1", "V1", "V2", "G1", "G2"}
    assert codes(village_user) == {"V3", "G3"}
    assert codes(district_user) == {u.code for u in t.values()}
    assert codes(nobody) == set()
    assert list(selectors.visible_persons(town_user)) == [p1]
    assert list(selectors.visible_persons(village_user)) == [p3]
    assert selectors.visible_persons(nobody).count() == 0
    assert selectors.visible_persons(district_user).count() == 2


def test_services_enforce_scope(make_user):
    t = small_tree()
    p3 = person(t["g3"])
    town_user = make_user(phone="13900000106", is_staff=True)
    StaffScope.objects.create(user=town_user, unit=t["t1"])
    with pytest.raises(PermissionDenied):
        person_remove(person=p3, occurred_on=date(2025, 1, 2), reason="x", actor=town_user)
    with pytest.raises(PermissionDenied):
        person_create(
            name="越权",
            id_number=make_test_id_number(seq=555),
            unit=t["v3"],
            category="public",
            actor=town_user,
        )
    p1 = person(t["g1"])
    with pytest.raises(PermissionDenied):
        person_move(person=p1, unit=t["v3"], occurred_on=date(2025, 1, 2), actor=town_user)
    person_move(person=p1, unit=t["v2"], occurred_on=date(2025, 1, 2), actor=town_user)
    assert unit("village", "V9", parent=t["t1"]).town_id == t["t1"].pk
