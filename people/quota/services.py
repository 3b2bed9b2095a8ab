"""Writes of quota targets (名额目标): district admins set a year's targets and overrides."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.audit import audit_log
from people.quota.models import QuotaOverride, QuotaTarget
from people.roster.models import Unit
from people.roster.selectors import sees_everything


@transaction.atomic
def quota_target_set(*, year: int, village_backbone: int, group_trained: int, actor=None):
    """Set a year's targets (district admins only)."""
    if actor is not None and not sees_everything(actor):
        raise PermissionDenied("只有区司法局管理员可以设置名额目标")
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": "年度无效"})
    if village_backbone < 0 or group_trained < 0:
        raise ValidationError("目标人数不能为负数")
    target, _ = QuotaTarget.objects.update_or_create(
        year=year,
        defaults={"village_backbone": village_backbone, "group_trained": group_trained},
    )
    audit_log(
        target,
        "mingbai.quota.edit",
        user=actor,
        data={
            "year": int(year),
            "village_backbone": village_backbone,
            "group_trained": group_trained,
        },
    )
    return target


@transaction.atomic
def quota_override_set(*, year: int, unit: Unit, target: int, reason: str = "", actor=None):
    """Override the target of one village (backbone) or group (trained) for a year."""
    if actor is not None and not sees_everything(actor):
        raise PermissionDenied("只有区司法局管理员可以调整名额")
    if unit.kind not in ("village", "group"):
        raise ValidationError({"unit": "只能为村（社区）或村民小组（楼栋）调整名额"})
    if target < 0:
        raise ValidationError({"target": "目标人数不能为负数"})
    override, _ = QuotaOverride.objects.update_or_create(
        year=year, unit=unit, defaults={"target": target, "reason": reason[:200]}
    )
    audit_log(
        override,
        "mingbai.quota.edit",
        user=actor,
        data={"year": int(year), "unit": unit.pk, "target": target},
    )
    return override
