"""Audit log (审计日志): who changed what and when, in Wagtail's log entries.

Every app calls ``audit_log(instance, action, user=..., data=...)`` after a change that must be
accountable: roster entries, training records, quotas, exam keys, regrades, scores, duty-report
reviews, exports of personal data, account unlocks. Entries are Wagtail ``ModelLogEntry`` rows,
listed (filterable by action, user, date, type; exportable to .xlsx/.csv) in the admin's
报告 → 站点历史 (Wagtail's "Site history" report, /admin/reports/site-history/).

``data`` must never contain ID card or mobile numbers; pass ids and masked values.
"""

from __future__ import annotations

from wagtail.log_actions import registry
from wagtail.models import ModelLogEntry

# action -> Chinese label shown in the report and its filter.
ACTIONS = {
    "mingbai.roster.create": "名册：新增人员",
    "mingbai.roster.edit": "名册：修改人员",
    "mingbai.roster.delete": "名册：删除人员",
    "mingbai.roster.import": "名册：导入",
    "mingbai.training_record.create": "培养记录：新增",
    "mingbai.training_record.revoke": "培养记录：撤销",
    "mingbai.quota.edit": "名额：修改目标",
    "mingbai.exam.key_edit": "考试：修改答案",
    "mingbai.exam.regrade": "考试：重新评分",
    "mingbai.exam.score_edit": "考试：修改成绩",
    "mingbai.exam.score": "考试：交卷评分",
    "mingbai.duty_report.review": "履职报告：评议",
    "mingbai.personal_data.export": "个人信息：导出",
    "mingbai.account.unlock": "账号：解锁",
    "mingbai.account.2fa_reset": "账号：重置两步验证",
}


def register_actions(actions) -> None:
    """The ``register_log_actions`` hook body (called from core.wagtail_hooks)."""
    for action, label in ACTIONS.items():
        actions.register_action(action, label, label)


def audit_log(instance, action: str, user=None, data: dict | None = None):
    """Write one audit entry for ``instance`` (any model instance); returns the entry.

    Models that Wagtail does not already log (no snippet/viewset) are logged as
    ``ModelLogEntry`` too, so every entry shows in the same report.
    """
    _log_model(instance)
    return registry.log(instance=instance, action=action, user=user, data=data or {})


def _log_model(instance):
    """The log entry model for ``instance``'s type (``ModelLogEntry`` if Wagtail has none)."""
    if registry.get_log_model_for_instance(instance) is None:
        registry.register_model(type(instance), ModelLogEntry)
    return registry.get_log_model_for_instance(instance)


def audit_entry(instance, action: str, user=None, data: dict | None = None):
    """An audit entry built and checked but not saved: ``audit_save`` writes it later.

    For writes that hold a lock others wait for (an exam submission on SQLite): the entry is
    prepared before the transaction and saved inside it with one INSERT."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from wagtail.log_actions import get_active_log_context

    model = _log_model(instance)
    context = get_active_log_context()
    entry = model(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        label=model.objects.get_instance_title(instance),
        action=action,
        timestamp=timezone.now(),
        data=data or {},
        user=user or context.user,
        uuid=context.uuid,
        object_id=str(instance.pk),
    )
    # The content type and user are objects in hand, not ids to look up; the action is checked.
    entry.full_clean(exclude=["content_type", "user", "revision"])
    return entry


def audit_save(*entries) -> None:
    """Write entries from ``audit_entry`` (one INSERT)."""
    if entries:
        type(entries[0]).objects.bulk_create(entries)
