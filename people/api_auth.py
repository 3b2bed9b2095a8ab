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

TOKEN_SALT = "mingbai.api.token"


def token_issue(user) -> str:
    return signing.dumps(
        {"u": user.pk, "h": user.get_session_auth_hash()}, salt=TOKEN_SALT, compress=True
    )


def token_user(token: str):
    """The active user a token names, or None if it is forged, expired or revoked."""
    max_age = getattr(settings, "API_TOKEN_MAX_AGE", 12 * 3600)
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=max_age)
    except signing.BadSignature:
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
        if user is not None:
            request.user = user
        return user


# Every /api/v1/ endpoint that needs a person accepts either form.
api_auth = [BearerToken(), django_auth]
