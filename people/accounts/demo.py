"""Demo accounts (演示账号) for `load_demo_data`; idempotent."""

from dataclasses import dataclass

from people.accounts.models import User
from people.accounts.roles import DISTRICT_ADMIN, PUBLICITY_EDITOR, TOWN_STAFF, ensure_roles


@dataclass(frozen=True)
class DemoAccount:
    phone: str
    name: str
    role: str
    description: str
    is_staff: bool = False
    is_superuser: bool = False


DEMO_ACCOUNTS = (
    DemoAccount(
        "13800000001", "区司法局管理员", DISTRICT_ADMIN, "区司法局管理员（全部权限）", True, True
    ),
    DemoAccount("13800000002", "司法所工作人员", TOWN_STAFF, "第一个镇的司法所工作人员", True),
    DemoAccount(
        "13800000003", "普法宣传编辑", PUBLICITY_EDITOR, "普法宣传编辑（可起草，不能发布）", True
    ),
    DemoAccount("13800000004", "村干部学员", "", "第一个村的村干部（学员）"),
    DemoAccount("13800000005", "公务员学员", "", "区级部门的国家工作人员（学员）"),
)


def load_accounts(password: str) -> dict[str, User]:
    """Create or update the five demo accounts; a second run changes nothing."""
    groups = ensure_roles()
    users = {}
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(phone=account.phone).first()
        if user is None:
            user = User(phone=account.phone)
        changed = user.pk is None
        for field, value in (
            ("display_name", account.name),
            ("is_staff", account.is_staff),
            ("is_superuser", account.is_superuser),
            ("is_active", True),
        ):
            if getattr(user, field) != value:
                setattr(user, field, value)
                changed = True
        if not user.check_password(password):
            user.set_password(password)
            changed = True
        if changed:
            user.save()
        if account.role and not user.groups.filter(name=account.role).exists():
            user.groups.add(groups[account.role])
        users[account.phone] = user
    return users
