"""The one admin menu item that shows only to users who may use it (按权限显示的菜单项)."""

from collections.abc import Callable

from wagtail.admin.menu import MenuItem


class PermissionMenuItem(MenuItem):
    """A menu item shown when ``check(user)`` is true, or the user has ``perm``.

    Every admin menu link of the platform uses this, so nobody sees a link that leads to 403.
    """

    def __init__(self, *args, check: Callable | None = None, perm: str | None = None, **kwargs):
        if (check is None) == (perm is None):
            raise ValueError("give exactly one of check= or perm=")
        self._check = check or (lambda user: user.has_perm(perm))
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return bool(self._check(request.user))
