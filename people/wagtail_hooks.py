"""Wagtail admin: roster, units, records and quotas (scoped viewsets), roster import, dashboard."""

from django.urls import path, reverse
from wagtail import hooks

from core.admin_menu import PermissionMenuItem
from people.quota.dashboard import dashboard_allowed
from people.roster import admin_import
from people.roster.admin import RosterViewSetGroup


@hooks.register("register_admin_viewset")
def register_roster_viewsets():
    return RosterViewSetGroup()


@hooks.register("register_admin_urls")
def register_roster_import_urls():
    return [
        path(
            "people/roster-import/", admin_import.roster_import_index, name="people_roster_import"
        ),
        path(
            "people/roster-import/<int:pk>/",
            admin_import.roster_import_detail,
            name="people_roster_import_detail",
        ),
        path(
            "people/roster-import/<int:pk>/status/",
            admin_import.roster_import_status,
            name="people_roster_import_status",
        ),
        path(
            "people/roster-import/<int:pk>/confirm/",
            admin_import.roster_import_confirm,
            name="people_roster_import_confirm",
        ),
        path(
            "people/roster-import/template.xlsx",
            admin_import.roster_template,
            {"fmt": "xlsx"},
            name="people_roster_template_xlsx",
        ),
        path(
            "people/roster-import/template.csv",
            admin_import.roster_template,
            {"fmt": "csv"},
            name="people_roster_template_csv",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_roster_import_menu_item():
    return PermissionMenuItem(
        "导入人员名单",
        reverse("people_roster_import"),
        icon_name="upload",
        order=251,
        perm="people.add_rosterimport",
    )


@hooks.register("register_admin_menu_item")
def register_quota_dashboard_menu_item():
    return PermissionMenuItem(
        "名额看板",
        reverse("quota_dashboard"),
        icon_name="view",
        order=252,
        check=dashboard_allowed,
    )
