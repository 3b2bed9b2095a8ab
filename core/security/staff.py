"""Who counts as staff (管理人员) for two-factor and session rules, cheaply on hot paths.

Staff are accounts that can reach the Wagtail admin or personal data: superusers, ``is_staff``
accounts and anyone with ``wagtailadmin.access_admin`` (every staff role grants it).
Learners have none of these. Asking costs two permission queries, so the answer is remembered:
in the session at log-in (for the JSON API, where learners send a heartbeat every 30 s and save
exam answers), and inside bearer tokens when they are issued. HTML requests always ask afresh.
"""

from django.conf import settings
from django.contrib.auth import SESSION_KEY

STAFF_SESSION_KEY = "mingbai_staff"


def requires_2fa(user) -> bool:
    """True for an account that can reach the admin or personal data (staff)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_staff:
        return True
    return user.has_perm("wagtailadmin.access_admin")


def two_factor_enforced() -> bool:
    return bool(getattr(settings, "MINGBAI_REQUIRE_2FA", True))


def remember_staff(request, user) -> bool:
    """Compute requires_2fa(user) and keep the answer in the session (at log-in)."""
    required = requires_2fa(user)
    request.session[STAFF_SESSION_KEY] = [str(user.pk), required]
    return required


def session_requires_2fa(request, *, fresh: bool) -> bool:
    """requires_2fa for the session's user; from the session unless ``fresh`` or unknown."""
    uid = request.session.get(SESSION_KEY)
    if uid is None:
        return False
    remembered = request.session.get(STAFF_SESSION_KEY)
    if not fresh and remembered and remembered[0] == str(uid):
        return bool(remembered[1])
    required = requires_2fa(request.user)
    if remembered != [str(uid), required]:
        request.session[STAFF_SESSION_KEY] = [str(uid), required]
    return required
