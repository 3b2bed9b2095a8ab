"""Admin pages for account security: unlock locked-out accounts, reset two-factor.

Settings → 账号安全 (/admin/security/accounts/), for users who may change users
(district administrators). Every unlock and reset is written to the audit log.
Audit action labels (core.audit.ACTIONS) are registered here for Wagtail's 日志 report.
"""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from core.audit import register_actions
from core.security import admin_views


@hooks.register("register_admin_urls")
def register_security_urls():
    return [
        path("security/accounts/", admin_views.accounts, name="security_accounts"),
    ]


class AccountSecurityMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_manage(request.user)


@hooks.register("register_settings_menu_item")
def register_security_menu_item():
    return AccountSecurityMenuItem(
        "账号安全", reverse("security_accounts"), icon_name="lock", order=900
    )


@hooks.register("register_log_actions")
def register_audit_actions(actions):
    register_actions(actions)
