"""API authentication (接口认证): signed bearer tokens, or the browser session with CSRF.

`POST /api/v1/auth/token/ {"phone", "password"}` returns a token signed with SECRET_KEY that
names the user and their session hash: changing the password revokes every token, and nothing
is stored in the database. Tokens expire after API_TOKEN_MAX_AGE seconds (default 12 hours).
"""

import time

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core import signing
from django.db import connection
from django.utils.crypto import constant_time_compare
from ninja.security import HttpBearer, django_auth

from core.lru import BoundedLRU
from core.security.staff import requires_2fa, two_factor_enforced

TOKEN_SALT = "mingbai.api.token"


def token_issue(user) -> str:
    """A signed token naming the user; it also says whether they were staff when issued."""
    data = {"u": user.pk, "h": user.get_session_auth_hash(), "s": int(requires_2fa(user))}
    return signing.dumps(data, salt=TOKEN_SALT, compress=True)


# Checking a token's signature costs more than the rest of an exam save, and a taker sends the
# same token a hundred times: each process remembers the content of tokens whose signature it
# has checked (not whether the user may use them: that is read from the database every time).
_CHECKED: BoundedLRU[str, tuple[dict, int]] = BoundedLRU(20_000)


def _token_data(token: str) -> dict | None:
    """The signed content of a token, or None if it is forged or older than the maximum age."""
    max_age = getattr(settings, "API_TOKEN_MAX_AGE", 12 * 3600)
    checked = _CHECKED.get(token)
    if checked is None:
        try:
            data = signing.loads(token, salt=TOKEN_SALT)
            issued = signing.b62_decode(token.rsplit(":", 2)[1])
        except (signing.BadSignature, ValueError):
            return None
        checked = (data, issued)
        _CHECKED.put(token, checked)
    data, issued = checked
    if time.time() - issued > max_age:
        return None
    return data


def token_is_staff(token: str) -> bool:
    """Whether a token belongs to staff, from its signed content (no database query)."""
    data = _token_data(token)
    if data is None:
        return False
    if "s" not in data:  # a token from before the flag existed: ask the database
        user = token_user(token)
        return user is not None and requires_2fa(user)
    return bool(data["s"])


def _active_user(pk):
    """The active user with this pk: one raw SELECT, as every API request pays for it."""
    if not isinstance(pk, int):
        return None
    User = get_user_model()
    meta = User._meta
    qn = connection.ops.quote_name
    table, key, active = (
        qn(name) for name in (meta.db_table, meta.pk.column, meta.get_field("is_active").column)
    )
    # Columns named, not *: a prepared statement stays valid when a migration adds a column.
    columns = ", ".join(qn(field.column) for field in meta.concrete_fields)
    # Identifiers come from the model's meta and are quoted; the pk is a parameter.
    sql = f"SELECT {columns} FROM {table} WHERE {key} = %s AND {active}"  # noqa: S608
    return next(iter(User.objects.raw(sql, [pk])), None)


def token_user(token: str):
    """The active user a token names, or None if it is forged, expired or revoked."""
    data = _token_data(token)
    if data is None:
        return None
    user = _active_user(data.get("u"))
    if user is None or not constant_time_compare(data.get("h", ""), user.get_session_auth_hash()):
        return None
    return user


def authenticate_phone(request, phone: str, password: str):
    return authenticate(request, phone=phone, password=password)


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = token_user(token)
        if user is None:
            return None
        if two_factor_enforced() and (user.is_staff or user.is_superuser):
            return None  # staff use the browser session with two-factor, not tokens
        request.user = user
        return user


# Every /api/v1/ endpoint that needs a person accepts either form.
api_auth = [BearerToken(), django_auth]
