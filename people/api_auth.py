"""API authentication (接口认证): signed bearer tokens, or the browser session with CSRF.

`POST /api/v1/auth/token/ {"phone", "password"}` returns a token signed with SECRET_KEY that
names the user and their session hash: changing the password revokes every token, and nothing
is stored in the database. Tokens expire after API_TOKEN_MAX_AGE seconds (default 12 hours).
"""

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core import signing
from django.utils.crypto import constant_time_compare
from ninja.security import HttpBearer, django_auth

from .staff import requires_2fa, two_factor_enforced

TOKEN_SALT = "mingbai.api.token"


def token_issue(user) -> str:
    """A signed token naming the user; it also says whether they were staff when issued."""
    data = {"u": user.pk, "h": user.get_session_auth_hash(), "s": int(requires_2fa(user))}
    return signing.dumps(data, salt=TOKEN_SALT, compress=True)


def _token_data(token: str) -> dict | None:
    max_age = getattr(settings, "API_TOKEN_MAX_AGE", 12 * 3600)
    try:
        return signing.loads(token, salt=TOKEN_SALT, max_age=max_age)
    except signing.BadSignature:
        return None


def token_is_staff(token: str) -> bool:
    """Whether a token belongs to staff, from its signed content (no database query)."""
    data = _token_data(token)
    if data is None:
        return False
    if "s" not in data:  # a token from before the flag existed: ask the database
        user = token_user(token)
        return user is not None and requires_2fa(user)
    return bool(data["s"])


def token_user(token: str):
    """The active user a token names, or None if it is forged, expired or revoked."""
    data = _token_data(token)
    if data is None:
        return None
    user = get_user_model().objects.filter(pk=data.get("u"), is_active=True).first()
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
