"""Writes for the roster: persons, status history, training records, units, quotas.

Re-exported by people.roster.services. Every function is transactional, validates its input and
raises ValidationError with a Chinese message; with ``actor`` given, it also checks the
actor's scope (PermissionDenied outside it).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Min, Q
from django.utils import timezone

from core.audit import audit_log
from core.identity import IdNumberError, MobileError, validate_id_number, validate_mobile
from people.roster.crypto import candidate_digests, protect_id
from people.roster.models import (
    CATEGORY_CHOICES,
    LEVEL_CHOICES,
    TRAINED_LEVELS,
    Person,
    PersonEvent,
    TrainingRecord,
    Unit,
)
from people.roster.selectors import can_see_person, can_see_unit, sees_everything

PERSON_UNIT_KINDS = ("village", "group", "department")
_SOURCES = {"exam", "decision", "import"}


def _check_unit_scope(actor, unit: Unit) -> None:
    if actor is not None and not can_see_unit(actor, unit):
        raise PermissionDenied("无权操作该单位")


def _check_person_scope(actor, person: Person) -> None:
    if actor is not None and not can_see_person(actor, person):
        raise PermissionDenied("无权操作该人员")


def _as_date(value) -> date:
    if isinstance(value, date):
        return value
    raise ValidationError("日期无效")


# --------------------------------------------------------------------------- derived fields


def person_recompute(person: Person, *, save: bool = True) -> Person:
    """Derive level, status, trained_on, backbone_on and removed_on from records and events."""
    dates = TrainingRecord.objects.filter(person=person).aggregate(
        trained=Min("occurred_on"), backbone=Min("occurred_on", filter=Q(level="backbone"))
    )
    last_status = (
        PersonEvent.objects.filter(person=person, kind__in=("removed", "restored"))
        .order_by("-occurred_on", "-pk")
        .first()
    )
    person.trained_on = dates["trained"]
    person.backbone_on = dates["backbone"]
    if last_status is not None and last_status.kind == "removed":
        person.status, person.removed_on = "removed", last_status.occurred_on
    else:
        person.status, person.removed_on = "active", None
    if person.backbone_on:
        person.level = "backbone"
    elif person.trained_on:
        person.level = "ordinary"
    elif person.level not in ("", "candidate"):
        person.level = ""
    if save and person.pk:
        Person.objects.filter(pk=person.pk).update(
            trained_on=person.trained_on,
            backbone_on=person.backbone_on,
            status=person.status,
            removed_on=person.removed_on,
            level=person.level,
        )
    return person


def people_recompute_all(*, batch_size: int = 2000) -> int:
    """Rebuild every person's derived fields exactly from records and events; returns changes."""
    changed = 0
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        with transaction.atomic():
            for person in Person.objects.filter(pk__in=ids[start : start + batch_size]):
                before = (
                    person.level,
                    person.status,
                    person.trained_on,
                    person.backbone_on,
                    person.removed_on,
                )
                person_recompute(person, save=False)
                after = (
                    person.level,
                    person.status,
                    person.trained_on,
                    person.backbone_on,
                    person.removed_on,
                )
                if before != after:
                    person_recompute(person)
                    changed += 1
    return changed


# --------------------------------------------------------------------------- training records


def training_record_create(
    *,
    person: Person,
    level: str,
    source: str,
    occurred_on: date,
    reason: str,
    recorded_by=None,
    reference: str = "",
) -> TrainingRecord:
    """Record that a person is a trained 法律明白人 (普通 or 骨干) — the only way to count.

    Idempotent: with a ``reference`` (e.g. ``attempt:42``) on (person, source, reference);
    without one on (person, source, level, occurred_on).
    """
    if level not in dict(TRAINED_LEVELS):
        raise ValidationError("认定等级应为“普通”或“骨干”")
    if source not in _SOURCES:
        raise ValidationError("认定来源无效")
    occurred_on = _as_date(occurred_on)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("认定依据/原因不能为空")
    reference = (reference or "").strip()
    if reference:
        lookup = {"person": person, "source": source, "reference": reference}
    else:
        lookup = {"person": person, "source": source, "reference": "", "level": level}
        lookup["occurred_on"] = occurred_on
    existing = TrainingRecord.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            record = TrainingRecord.objects.create(
                person=person,
                level=level,
                source=source,
                occurred_on=occurred_on,
                reason=reason[:200],
                reference=reference,
                recorded_by=recorded_by,
            )
            person_recompute(person)
            audit_log(
                record,
                "mingbai.training_record.create",
                user=recorded_by,
                data={"person": person.pk, "level": level, "source": source},
            )
    except IntegrityError:  # a concurrent call created it first
        return TrainingRecord.objects.get(**lookup)
    return record


@transaction.atomic
def training_decision_record(
    *, person: Person, level: str, occurred_on: date, reason: str, actor
) -> TrainingRecord:
    """An administrator's recorded decision (管理员认定), within the actor's scope."""
    _check_person_scope(actor, person)
    return training_record_create(
        person=person,
        level=level,
        source="decision",
        occurred_on=occurred_on,
        reason=reason,
        recorded_by=actor,
    )


# --------------------------------------------------------------------------- persons


def _clean_person_fields(
    *, name: str, id_number: str, unit: Unit, category: str, gender: str, mobile: str
) -> dict:
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = "姓名不能为空"
    elif len(name) > 50:
        errors["name"] = "姓名不能超过50个字"
    try:
        id_number = validate_id_number(id_number)
    except IdNumberError as exc:
        errors["id_number"] = str(exc)
    if mobile:
        try:
            mobile = validate_mobile(mobile)
        except MobileError as exc:
            errors["mobile"] = str(exc)
    if category not in dict(CATEGORY_CHOICES):
        errors["category"] = "类别无效"
    if unit is None or unit.kind not in PERSON_UNIT_KINDS:
        errors["unit"] = "人员须属于村（社区）、村民小组（楼栋）或区级部门"
    if gender and gender not in ("M", "F"):
        errors["gender"] = "性别应为男或女"
    if errors:
        raise ValidationError(errors)
    if not gender:
        gender = "M" if int(id_number[16]) % 2 else "F"
    return {
        "name": name,
        "id_number": id_number,
        "mobile": mobile or "",
        "gender": gender,
        "category": category,
    }


@transaction.atomic
def person_create(
    *,
    name: str,
    id_number: str,
    unit: Unit,
    category: str,
    gender: str = "",
    mobile: str = "",
    candidate: bool = False,
    user=None,
    actor=None,
    occurred_on: date | None = None,
) -> Person:
    """Add a person to the roster (登记). Trained levels only come from training records."""
    _check_unit_scope(actor, unit)
    data = _clean_person_fields(
        name=name, id_number=id_number, unit=unit, category=category, gender=gender, mobile=mobile
    )
    if Person.objects.filter(id_digest__in=candidate_digests(data["id_number"])).exists():
        raise ValidationError({"id_number": "该身份证号已在名单中"})
    person = Person.objects.create(
        name=data["name"],
        gender=data["gender"],
        mobile=data["mobile"],
        unit=unit,
        category=data["category"],
        level="candidate" if candidate else "",
        user=user,
        **protect_id(data["id_number"]),
    )
    PersonEvent.objects.create(
        person=person,
        kind="joined",
        occurred_on=occurred_on or timezone.localdate(),
        unit=unit,
        level=person.level,
        recorded_by=actor,
    )
    audit_log(
        person,
        "mingbai.roster.create",
        user=actor,
        data={"unit": unit.pk, "category": person.category},
    )
    return person


@transaction.atomic
def person_update(
    *, person: Person, actor=None, name=None, mobile=None, category=None, candidate=None
) -> Person:
    """Change a person's name, mobile, category or candidate mark."""
    _check_person_scope(actor, person)
    before = {f: getattr(person, f) for f in ("name", "mobile", "category", "level")}
    if name is not None:
        name = name.strip()
        if not name or len(name) > 50:
            raise ValidationError({"name": "姓名不能为空且不能超过50个字"})
        person.name = name
    if mobile is not None:
        try:
            person.mobile = validate_mobile(mobile) if mobile else ""
        except MobileError as exc:
            raise ValidationError({"mobile": str(exc)}) from exc
    if category is not None:
        if category not in dict(CATEGORY_CHOICES):
            raise ValidationError({"category": "类别无效"})
        person.category = category
    if candidate is not None and person.level in ("", "candidate"):
        person.level = "candidate" if candidate else ""
    person.save()
    changed = [f for f, value in before.items() if getattr(person, f) != value]
    if changed:  # field names only: never the mobile number itself
        audit_log(person, "mingbai.roster.edit", user=actor, data={"fields": changed})
    return person


@transaction.atomic
def person_move(
    *, person: Person, unit: Unit, occurred_on: date, actor=None, reason: str = ""
) -> Person:
    """Move a person to another unit (调动); records and history go with them."""
    _check_person_scope(actor, person)
    _check_unit_scope(actor, unit)
    if unit.kind not in PERSON_UNIT_KINDS:
        raise ValidationError({"unit": "人员须属于村（社区）、村民小组（楼栋）或区级部门"})
    if unit.pk == person.unit_id:
        return person
    old_unit_id = person.unit_id
    person.unit = unit
    person.save(update_fields=["unit", "updated_at"])
    PersonEvent.objects.create(
        person=person,
        kind="moved",
        occurred_on=_as_date(occurred_on),
        unit=unit,
        reason=reason[:200],
        recorded_by=actor,
    )
    audit_log(
        person,
        "mingbai.roster.edit",
        user=actor,
        data={"fields": ["unit"], "from_unit": old_unit_id, "to_unit": unit.pk},
    )
    return person


@transaction.atomic
def person_remove(*, person: Person, occurred_on: date, reason: str, actor=None) -> Person:
    """清退: the person stops counting from ``occurred_on``; a reason is required."""
    _check_person_scope(actor, person)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "清退原因不能为空"})
    if person.status == "removed":
        raise ValidationError("该人员已清退")
    PersonEvent.objects.create(
        person=person,
        kind="removed",
        occurred_on=_as_date(occurred_on),
        unit_id=person.unit_id,
        reason=reason[:200],
        recorded_by=actor,
    )
    audit_log(
        person,
        "mingbai.roster.delete",
        user=actor,
        data={"occurred_on": str(_as_date(occurred_on)), "reason": reason[:200]},
    )
    return person_recompute(person)


@transaction.atomic
def person_restore(*, person: Person, occurred_on: date, reason: str, actor=None) -> Person:
    """Undo a removal (恢复) from ``occurred_on``."""
    _check_person_scope(actor, person)
    if person.status != "removed":
        raise ValidationError("该人员未被清退")
    PersonEvent.objects.create(
        person=person,
        kind="restored",
        occurred_on=_as_date(occurred_on),
        unit_id=person.unit_id,
        reason=(reason or "")[:200],
        recorded_by=actor,
    )
    audit_log(
        person,
        "mingbai.roster.edit",
        user=actor,
        data={"fields": ["status"], "restored_on": str(_as_date(occurred_on))},
    )
    return person_recompute(person)


# --------------------------------------------------------------------------- units


@transaction.atomic
def unit_save(*, unit: Unit, actor=None) -> Unit:
    """Create, rename or move a unit; its people and history stay with it."""
    if unit.parent_id:
        _check_unit_scope(actor, unit.parent)
    elif actor is not None and not sees_everything(actor):
        raise PermissionDenied("无权操作该单位")
    allowed_parent = {
        "district": (None,),
        "town": ("district",),
        "department": ("district", "department"),
        "village": ("town",),
        "group": ("village",),
    }
    parent_kind = unit.parent.kind if unit.parent_id else None
    if parent_kind not in allowed_parent.get(unit.kind, ()):
        raise ValidationError({"parent": "上级单位类型不符合组织架构（区→镇→村（社区）→村民小组）"})
    unit.full_clean()
    unit.save()
    return unit


LEVEL_LABELS = dict(LEVEL_CHOICES)
