"""JSON API of the people app: token log-in."""

from django.contrib.auth import authenticate
from ninja import Router, Schema, Status

from core.identity import MobileError, validate_mobile
from people.accounts.api_auth import token_issue

router = Router(tags=["账号"])


class TokenIn(Schema):
    phone: str
    password: str


class TokenOut(Schema):
    token: str


class ErrorOut(Schema):
    detail: str


@router.post("/auth/token/", response={200: TokenOut, 400: ErrorOut, 401: ErrorOut}, auth=None)
def auth_token(request, payload: TokenIn):
    """Exchange a mobile number and password for a bearer token."""
    try:
        phone = validate_mobile(payload.phone)
    except MobileError as exc:
        return Status(400, {"detail": str(exc)})
    user = authenticate(request, phone=phone, password=payload.password)
    if user is None:
        return Status(401, {"detail": "手机号或密码不正确。"})
    return Status(200, {"token": token_issue(user)})
