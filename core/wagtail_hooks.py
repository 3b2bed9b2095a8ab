"""Admin pages for account security: unlock locked-out accounts, reset two-factor.

Settings → 账号安全 (/admin/security/accounts/), for users who may change users
(district administrators). Every unlock and reset is written to the audit log.
Audit action labels (core.audit.ACTIONS) are registered here for Wagtail's 日志 report.
"""

from django.urls import path, reverse
from wagtail import hooks

from core.admin_menu import PermissionMenuItem
from core.audit import register_actions
from core.security import admin_views


@hooks.register("register_admin_urls")
def register_security_urls():
    return [
        path("security/accounts/", admin_views.accounts, name="security_accounts"),
    ]


@hooks.register("register_settings_menu_item")
def register_security_menu_item():
    return PermissionMenuItem(
        "账号安全",
        reverse("security_accounts"),
        icon_name="lock",
        order=900,
        check=admin_views.can_manage,
    )


@hooks.register("register_log_actions")
def register_audit_actions(actions):
    register_actions(actions)
