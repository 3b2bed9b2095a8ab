"""Who must use a second factor, and how log-in attempts are identified.

Every account that can reach the Wagtail admin or personal data must verify a TOTP device
(or a recovery code) once per session: superusers, ``is_staff`` accounts and anyone with the
``wagtailadmin.access_admin`` permission (every staff role in people.accounts.roles grants it).
Learners have none of these and are never asked.
"""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

# The rules live beside the user model (people is the lowest layer; its API auth needs them).


def axes_username(request, credentials) -> str:
    """The account a log-in attempt is for: the normalised mobile number.

    Our phone log-in form and Wagtail's admin log-in post ``username``; the API token endpoint
    authenticates with ``phone``. "138 0000 0001" and "+8613800000001" count as one account.
    """
    from core.identity import MobileError, validate_mobile

    raw = ""
    if credentials:
        raw = credentials.get("username") or credentials.get("phone") or ""
    if not raw and request is not None:
        raw = request.POST.get("username", "") if request.method == "POST" else ""
    raw = str(raw)[:64]
    try:
        return validate_mobile(raw)
    except MobileError:
        return raw.strip()


LOCKOUT_MESSAGE = (
    "登录失败次数过多，账号已暂时锁定。请 {minutes} 分钟后再试，或联系区司法局管理员解锁。"
)


def cooloff_minutes() -> int:
    cool_off = getattr(settings, "AXES_COOLOFF_TIME", None)
    if cool_off is None:
        return 0
    return max(1, int(cool_off.total_seconds() // 60)) if hasattr(cool_off, "seconds") else 60


def lockout_response(request, original_response=None, credentials=None):
    """A Chinese lock-out page (HTTP 429), or JSON for the API."""
    message = LOCKOUT_MESSAGE.format(minutes=cooloff_minutes())
    if request.path.startswith("/api/") or request.headers.get("x-requested-with") == (
        "XMLHttpRequest"
    ):
        return JsonResponse({"detail": message, "locked": True}, status=429)
    return render(
        request,
        "account/locked_out.html",
        {"message": message, "cooloff_minutes": cooloff_minutes()},
        status=429,
    )
