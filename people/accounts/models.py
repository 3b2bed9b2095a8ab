"""Accounts (账号): users who log in with their mobile number, and one-time activation codes."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone

from core.identity import mask_mobile, validate_mobile


def _validate_mobile_field(value: str) -> None:
    from django.core.exceptions import ValidationError

    from core.identity import MobileError

    try:
        validate_mobile(value)
    except MobileError as exc:
        raise ValidationError(str(exc)) from exc


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, phone, password, **extra):
        phone = validate_mobile(phone)
        user = self.model(phone=phone, **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, phone, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(phone, password, **extra)

    def create_superuser(self, phone, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(phone, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """An account; people log in with their mainland mobile number (手机号) and a password."""

    phone = models.CharField(
        "手机号", max_length=11, unique=True, validators=[_validate_mobile_field]
    )
    display_name = models.CharField("姓名", max_length=50, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    is_staff = models.BooleanField("可登录管理后台", default=False)
    is_active = models.BooleanField("启用", default=True)
    date_joined = models.DateTimeField("注册时间", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "phone"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.masked_phone

    @property
    def masked_phone(self) -> str:
        return mask_mobile(self.phone)

    def get_full_name(self) -> str:
        return self.display_name or self.masked_phone

    def get_short_name(self) -> str:
        return self.get_full_name()


class AccountActivation(models.Model):
    """A one-time activation code (激活码) with which a person sets their own password."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="activations")
    code_hash = models.CharField(max_length=128)
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "账号激活码"
        verbose_name_plural = "账号激活码"
        indexes = [models.Index(fields=["user", "used_at"])]

    def __str__(self) -> str:
        return f"{self.user} 的激活码（{self.expires_at:%Y-%m-%d %H:%M} 前有效）"

    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()
