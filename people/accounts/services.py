"""Writes for people: accounts and activation codes (账号与激活码)."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.identity import MobileError, validate_mobile
from people.accounts.models import AccountActivation, User

ACTIVATION_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud on a phone


@dataclass(frozen=True)
class IssuedActivation:
    """What an administrator hands to the person: a code and a link, shown once."""

    user: User
    code: str
    token: str
    expires_at: object

    @property
    def path(self) -> str:
        return f"/account/activate/{self.token}/"


def user_create(
    *, phone: str, display_name: str = "", password: str | None = None, is_staff: bool = False
) -> User:
    """Create an account. Without a password the account can only be used after activation."""
    try:
        phone = validate_mobile(phone)
    except MobileError as exc:
        raise ValidationError({"phone": str(exc)}) from exc
    if User.objects.filter(phone=phone).exists():
        raise ValidationError({"phone": "该手机号已注册"})
    user = User(phone=phone, display_name=display_name, is_staff=is_staff)
    if password:
        validate_password(password, user=user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def activation_issue(*, user: User) -> IssuedActivation:
    """Issue a fresh one-time activation code; earlier unused codes stop working."""
    now = timezone.now()
    AccountActivation.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    code = "".join(secrets.choice(ACTIVATION_ALPHABET) for _ in range(8))
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(hours=settings.ACTIVATION_CODE_TTL_HOURS)
    AccountActivation.objects.create(
        user=user, code_hash=make_password(code), token=token, expires_at=expires_at
    )
    return IssuedActivation(user=user, code=code, token=token, expires_at=expires_at)


def _normalise_code(code: str) -> str:
    return "".join(code.split()).upper()


@transaction.atomic
def account_activate(*, phone: str, code: str, password: str, token: str | None = None) -> User:
    """Set the person's own password with a one-time code (or the link's token).

    Raises ValidationError with a Chinese message; nothing is written on failure.
    """
    error = ValidationError("手机号或激活码不正确，或激活码已过期。请联系管理员重新获取。")
    try:
        phone = validate_mobile(phone)
    except MobileError as exc:
        raise ValidationError(str(exc)) from exc
    activations = AccountActivation.objects.select_for_update().filter(
        user__phone=phone, used_at__isnull=True, expires_at__gt=timezone.now()
    )
    if token:
        activations = activations.filter(token=token)
    activation = activations.select_related("user").order_by("-created_at").first()
    if activation is None or not check_password(_normalise_code(code), activation.code_hash):
        raise error
    user = activation.user
    validate_password(password, user=user)
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    activation.used_at = timezone.now()
    activation.save(update_fields=["used_at"])
    return user


def user_set_password(*, user: User, password: str) -> None:
    """Set a password after validating it (used by demo data and the admin's own tools)."""
    validate_password(password, user=user)
    user.set_password(password)
    user.save(update_fields=["password"])
