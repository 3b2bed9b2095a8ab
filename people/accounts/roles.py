"""Roles (角色) as Django groups, created by migrations-free idempotent set-up."""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission

DISTRICT_ADMIN = "区司法局管理员"
TOWN_STAFF = "司法所工作人员"
PUBLICITY_EDITOR = "普法宣传编辑"
PUBLICITY_REVIEWER = "普法宣传审核"
DEPARTMENT_STAFF = "部门普法联络员"


@dataclass(frozen=True)
class Role:
    name: str
    permissions: tuple[str, ...]  # "app_label.codename"


# Roster permissions (the rows a user sees are limited further by people.StaffScope).
_ROSTER_STAFF = (
    "people.add_person",
    "people.change_person",
    "people.view_person",
    "people.add_unit",
    "people.change_unit",
    "people.view_unit",
    "people.view_trainingrecord",
    "people.add_rosterimport",
)
_ROSTER_ADMIN = _ROSTER_STAFF + (
    "people.delete_person",
    "people.delete_unit",
    "people.add_quotatarget",
    "people.change_quotatarget",
    "people.view_quotatarget",
    "people.add_quotaoverride",
    "people.change_quotaoverride",
    "people.delete_quotaoverride",
    "people.view_quotaoverride",
    "people.add_staffscope",
    "people.change_staffscope",
    "people.delete_staffscope",
    "people.view_staffscope",
)

ROLES = (
    Role(DISTRICT_ADMIN, ("wagtailadmin.access_admin", *_ROSTER_ADMIN)),
    Role(TOWN_STAFF, ("wagtailadmin.access_admin", *_ROSTER_STAFF)),
    Role(PUBLICITY_EDITOR, ("wagtailadmin.access_admin",)),
    Role(PUBLICITY_REVIEWER, ("wagtailadmin.access_admin",)),
    Role(DEPARTMENT_STAFF, ("wagtailadmin.access_admin",)),
)


def ensure_roles(extra: dict[str, tuple[str, ...]] | None = None) -> dict[str, Group]:
    """Create the role groups and grant their model permissions; safe to run again."""
    extra = extra or {}
    groups = {}
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role.name)
        wanted = set(role.permissions) | set(extra.get(role.name, ()))
        perms = []
        for dotted in sorted(wanted):
            app_label, codename = dotted.split(".", 1)
            perms.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        current = set(group.permissions.values_list("pk", flat=True))
        missing = [p for p in perms if p.pk not in current]
        if missing:
            group.permissions.add(*missing)
        groups[role.name] = group
    return groups
