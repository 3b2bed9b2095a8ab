"""Staff session rules (idle expiry, two-factor) and the per-area Content-Security-Policy."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect

from core.security.staff import session_requires_2fa, two_factor_enforced

LAST_SEEN_KEY = "mingbai_last_seen"
# Rewriting the session on every request is wasteful; the idle clock moves in these steps.
LAST_SEEN_RESOLUTION = 60

# Paths an unverified staff member may still use: the 2FA pages themselves, log-out, assets.
TWO_FACTOR_EXEMPT_PREFIXES = (
    "/account/2fa/",
    "/account/logout/",
    "/admin/logout/",
    "/static/",
    "/favicon.ico",
    "/robots.txt",
)


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


class StaffSessionMiddleware:
    """After AuthenticationMiddleware and OTPMiddleware.

    1. Staff sessions end after MINGBAI_STAFF_IDLE_TIMEOUT seconds without a request
       (learners keep SESSION_COOKIE_AGE).
    2. With MINGBAI_REQUIRE_2FA, staff who have not verified a second factor in this session
       are sent to /account/2fa/ (set-up if they have no device yet) before anything else;
       API calls get 403. Staff bearer tokens are refused too: staff use the verified session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self._check(request)
        if response is not None:
            return response
        response = self.get_response(request)
        if _is_spreadsheet_download(request, response):
            _audit_export(request, response)
        return response

    def _check(self, request):
        # A learner's API request (heartbeats, exam saves) is decided from the session alone,
        # without loading the user and their permissions; pages always ask afresh.
        if hasattr(request, "session") and session_requires_2fa(
            request, fresh=not _is_api(request)
        ):
            user = request.user
            expired = self._idle_expired(request)
            if expired is not None:
                return expired
            if two_factor_enforced() and not self._verified(user):
                return self._require_second_factor(request, user)
            return None
        elif two_factor_enforced() and _is_api(request):
            return self._refuse_staff_bearer(request)
        return None

    # --- idle expiry ------------------------------------------------------------------------
    def _idle_expired(self, request):
        timeout = getattr(settings, "MINGBAI_STAFF_IDLE_TIMEOUT", None)
        if not timeout:
            return None
        now = int(time.time())
        last_seen = request.session.get(LAST_SEEN_KEY)
        if last_seen is not None and now - int(last_seen) > timeout:
            logout(request)
            if _is_api(request):
                return JsonResponse({"detail": "登录已超时，请重新登录。"}, status=401)
            messages.info(
                request,
                f"您已超过 {timeout // 60} 分钟没有操作，为保护数据已自动退出，请重新登录。",
            )
            login_url = (
                "/admin/login/" if request.path_info.startswith("/admin/") else "/account/login/"
            )
            return redirect(f"{login_url}?{urlencode({'next': request.get_full_path()})}")
        if last_seen is None or now - int(last_seen) >= LAST_SEEN_RESOLUTION:
            request.session[LAST_SEEN_KEY] = now
        return None

    # --- two-factor -------------------------------------------------------------------------
    @staticmethod
    def _verified(user) -> bool:
        is_verified = getattr(user, "is_verified", None)
        return bool(is_verified and is_verified())

    def _require_second_factor(self, request, user):
        if request.path_info.startswith(TWO_FACTOR_EXEMPT_PREFIXES):
            return None
        if _is_api(request):
            return JsonResponse({"detail": "管理人员需先完成两步验证。"}, status=403)
        from django_otp import user_has_device

        target = "security_2fa_verify" if user_has_device(user) else "security_2fa_setup"
        from django.urls import reverse

        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse(target)}?{query}")

    @staticmethod
    def _refuse_staff_bearer(request):
        header = request.headers.get("authorization", "")
        if not header.lower().startswith("bearer "):
            return None
        from people.accounts.api_auth import token_is_staff

        if token_is_staff(header[7:].strip()):
            return JsonResponse(
                {"detail": "管理人员不能使用接口令牌，请在网页登录并完成两步验证。"}, status=403
            )
        return None


EXPORT_TYPES = ("text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml")


def _is_spreadsheet_download(request, response) -> bool:
    """A .csv/.xlsx attachment served to a logged-in user (roster, reports, logs, ...)."""
    if response.status_code != 200 or request.method != "GET":
        return False
    if "attachment" not in response.get("Content-Disposition", ""):
        return False
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if "template" in request.path_info or request.path_info.startswith("/documents/"):
        return False  # blank import templates and uploaded documents hold no roster data
    return response.get("Content-Type", "").startswith(EXPORT_TYPES)


def _audit_export(request, response) -> None:
    """Every export of data is written to the audit log (个人信息：导出), against the user."""
    from core.audit import audit_log

    audit_log(
        request.user._wrapped if hasattr(request.user, "_wrapped") else request.user,
        "mingbai.personal_data.export",
        user=request.user,
        data={
            "path": request.path_info,
            "query": request.META.get("QUERY_STRING", "")[:500],
            "file": response.get("Content-Disposition", "")[:200],
        },
    )


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp with two policies.

    The public site (everything outside /admin/) gets CONTENT_SECURITY_POLICY: scripts only
    from our own origin, no inline scripts. Wagtail's admin ships inline <script> blocks
    (inline panels, date widgets) and its own page-preview iframe, so /admin/ gets
    MINGBAI_ADMIN_CSP, which allows inline scripts there only. Admin pages are reached by
    authenticated, two-factor-verified staff, never cached and never embed user HTML outside
    Wagtail's sanitised rich text.
    """

    # A JSON response is never rendered as a page; it gets a fixed deny-all policy, so the
    # API's hot paths (exam saves, study heartbeats) do not build the site policy each time.
    JSON_POLICY = "default-src 'none'; frame-ancestors 'none'"

    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith("application/json"):
            response.headers.setdefault("Content-Security-Policy", self.JSON_POLICY)
            return response
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith("/admin/") and parts.config is None:
            admin_policy = getattr(settings, "MINGBAI_ADMIN_CSP", None)
            if admin_policy:
                parts.config = admin_policy
        return parts
