"""Reads for people: who a user is on the roster, and what they may see (管辖范围).

Scoping rules: superusers, the 区司法局管理员 group and anyone scoped to the district unit see
everything; otherwise a user sees the units of their StaffScope rows — a town with every
village and group in it, a village with its groups, or a single department/group — and the
persons in those units. Nobody else sees any unit. Views, exports, the API and the admin all
go through ``visible_units`` / ``visible_persons``.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from people.accounts.roles import DISTRICT_ADMIN
from people.roster.models import Person, StaffScope, Unit

QUOTA_KINDS = ("district", "town", "village", "group")


def person_for_user(user) -> Person | None:
    """The roster entry linked to an account, or None (anonymous users included)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.select_related("unit").filter(user_id=user.pk).first()


def _scope_units(user) -> list[Unit]:
    cache = getattr(user, "_people_scope_units", None)
    if cache is None:
        cache = [s.unit for s in StaffScope.objects.filter(user_id=user.pk).select_related("unit")]
        user._people_scope_units = cache
    return cache


def sees_everything(user) -> bool:
    """District-wide access: superuser, district admin role, or scoped to the district unit."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if any(unit.kind == "district" for unit in _scope_units(user)):
        return True
    cached = getattr(user, "_people_is_district_admin", None)
    if cached is None:
        cached = user.groups.filter(name=DISTRICT_ADMIN).exists()
        user._people_is_district_admin = cached
    return cached


def _unit_q(user, prefix: str = "") -> Q | None:
    """A Q over Unit fields (with ``prefix``) for the user's scope; None means everything."""
    if sees_everything(user):
        return None
    q = Q(pk__in=[])
    for unit in _scope_units(user) if getattr(user, "is_authenticated", False) else []:
        if unit.kind == "town":
            q |= Q(**{f"{prefix}town_id": unit.pk})
        elif unit.kind == "village":
            q |= Q(**{f"{prefix}village_id": unit.pk})
        else:
            q |= Q(**{f"{prefix}pk": unit.pk})
    return q


def visible_units(user) -> QuerySet[Unit]:
    """Units the user may see and change."""
    q = _unit_q(user)
    units = Unit.objects.all()
    return units if q is None else units.filter(q)


def visible_persons(user) -> QuerySet[Person]:
    """Persons (removed ones included) in the units the user may see."""
    q = _unit_q(user, prefix="unit__")
    persons = Person.objects.all()
    return persons if q is None else persons.filter(q)


def can_see_unit(user, unit: Unit) -> bool:
    return visible_units(user).filter(pk=unit.pk).exists()


def can_see_person(user, person: Person) -> bool:
    return visible_persons(user).filter(pk=person.pk).exists()


def scope_root_units(user) -> list[Unit]:
    """The top units of the user's view: the district (or towns) for district users, else scopes."""
    if sees_everything(user):
        district = Unit.objects.filter(kind="district").order_by("pk").first()
        return [district] if district else []
    return list(_scope_units(user)) if getattr(user, "is_authenticated", False) else []


def unit_town(unit: Unit | None) -> Unit | None:
    """The town (镇) a unit sits in (the unit itself for a town), or None."""
    if unit is None or unit.town_id is None:
        return None
    if unit.town_id == unit.pk:
        return unit
    return Unit.objects.filter(pk=unit.town_id).first()


def unit_village(unit: Unit | None) -> Unit | None:
    """The village / community a unit sits in (the unit itself for a village), or None."""
    if unit is None or unit.village_id is None:
        return None
    if unit.village_id == unit.pk:
        return unit
    return Unit.objects.filter(pk=unit.village_id).first()


def unit_department(unit: Unit | None) -> Unit | None:
    """The district department (区级部门) a unit is or belongs to, or None."""
    seen = 0
    while unit is not None and seen < 20:
        if unit.kind == "department":
            return unit
        unit = unit.parent
        seen += 1
    return None


def unit_by_code(code: str) -> Unit | None:
    return Unit.objects.filter(code=code).first()


def departments() -> QuerySet[Unit]:
    return Unit.objects.filter(kind="department")


def person_find_by_id_number(id_number: str) -> Person | None:
    """Look a person up by ID number through its keyed digest (any configured key)."""
    from people.roster.crypto import candidate_digests

    return Person.objects.filter(id_digest__in=candidate_digests(id_number)).first()


def scope_queryset(queryset, user, prefix: str = ""):
    """Filter any queryset by the user's unit scope; ``prefix`` leads from it to a Unit's
    fields (``""`` for Unit, ``"unit__"`` for Person, ``"person__unit__"`` for records)."""
    q = _unit_q(user, prefix)
    return queryset if q is None else queryset.filter(q)
