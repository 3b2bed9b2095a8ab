"""Unlock accounts locked by django-axes and reset a staff member's two-factor devices."""

from __future__ import annotations

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core import signing
from django.db.models import Max, Sum
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin.auth import permission_denied

from core.audit import audit_log
from core.identity import MobileError, mask_mobile, validate_mobile

UNLOCK_SALT = "mingbai.security.unlock"


def can_manage(user) -> bool:
    User = get_user_model()
    return user.is_active and user.has_perm(f"{User._meta.app_label}.change_user")


def locked_accounts() -> list[dict]:
    """Accounts with at least AXES_FAILURE_LIMIT recorded failures (masked for display)."""
    rows = (
        AccessAttempt.objects.values("username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )
    return [
        {
            "ref": signing.dumps(r["username"], salt=UNLOCK_SALT),
            "masked": mask_mobile(r["username"] or ""),
            "failures": r["failures"],
            "last": r["last"],
        }
        for r in rows
    ]


def account_unlock(*, phone: str, by) -> int:
    """Clear the failed log-ins of one account (every address); returns attempts removed."""
    count = reset(username=phone)
    user = get_user_model().objects.filter(phone=phone).first()
    if user is not None:
        audit_log(user, "mingbai.account.unlock", user=by, data={"attempts": count})
    return count


def two_factor_reset(*, phone: str, by) -> bool:
    """Remove a user's TOTP and recovery devices: they set up again at the next log-in."""
    user = get_user_model().objects.filter(phone=phone).first()
    if user is None:
        return False
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_log(user, "mingbai.account.2fa_reset", user=by)
    return True


def accounts(request):
    if not can_manage(request.user):
        return permission_denied(request)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if request.POST.get("ref"):  # a row of the list: the number is never in the page
                phone = signing.loads(request.POST["ref"], salt=UNLOCK_SALT, max_age=3600)
            else:
                phone = validate_mobile(request.POST.get("phone", ""))
        except signing.BadSignature:
            messages.error(request, "页面已过期，请刷新后再试。")
            return redirect("security_accounts")
        except MobileError as exc:
            messages.error(request, str(exc))
            return redirect("security_accounts")
        if action == "unlock":
            account_unlock(phone=phone, by=request.user)
            messages.success(request, f"已解锁 {mask_mobile(phone)}。")
        elif action == "reset_2fa":
            if two_factor_reset(phone=phone, by=request.user):
                messages.success(
                    request, f"已重置 {mask_mobile(phone)} 的两步验证，下次登录时重新设置。"
                )
            else:
                messages.error(request, "没有这个手机号的账号。")
        return redirect("security_accounts")
    return TemplateResponse(
        request,
        "security/admin_accounts.html",
        {
            "locked": locked_accounts(),
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
    )
