"""Two-factor pages for staff (两步验证): set up a TOTP app, verify, recovery codes.

/account/2fa/setup/     scan a QR code (rendered on the server) and confirm one code
/account/2fa/verify/    enter the 6-digit code (or a recovery code) once per log-in
/account/2fa/recovery/  the 10 recovery codes, shown once right after set-up
"""

from __future__ import annotations

import base64
import io
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.security.staff import requires_2fa

RECOVERY_SESSION_KEY = "mingbai_recovery_codes"
RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "手机验证器"
STATIC_DEVICE_NAME = "恢复码"


class TokenForm(forms.Form):
    token = forms.CharField(
        label="验证码",
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self):
        return "".join(self.cleaned_data["token"].split())


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/admin/"


def _qr_svg(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    return svg[svg.index("<svg") :]


def _staff_only(request):
    if not requires_2fa(request.user):
        messages.info(request, "您的账号不需要两步验证。")
        return redirect("account_home")
    return None


def recovery_codes_issue(*, user) -> list[str]:
    """Replace the user's recovery codes with 10 new single-use ones; returns them."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=STATIC_DEVICE_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


@never_cache
@login_required
def setup(request):
    """Enrol a TOTP app. Only possible before a confirmed device exists (no silent re-enrol)."""
    if (response := _staff_only(request)) is not None:
        return response
    if user_has_device(request.user):
        return redirect(
            f"{reverse('security_2fa_verify')}?{urlencode({'next': _next_url(request)})}"
        )
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by(
        "pk"
    ).first() or TOTPDevice.objects.create(
        user=request.user, name=TOTP_DEVICE_NAME, confirmed=False
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            request.session[RECOVERY_SESSION_KEY] = recovery_codes_issue(user=request.user)
            request.session["mingbai_2fa_next"] = _next_url(request)
            return redirect("security_2fa_recovery")
        form.add_error("token", "验证码不正确或已过期，请看手机上最新的 6 位数字再输入。")
    secret = base64.b32encode(device.bin_key).decode("ascii")
    return render(
        request,
        "security/2fa_setup.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device.config_url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": _next_url(request),
        },
    )


@never_cache
@login_required
def verify(request):
    """Enter the current code from the TOTP app, or one recovery code."""
    if (response := _staff_only(request)) is not None:
        return response
    if not user_has_device(request.user):
        return redirect(
            f"{reverse('security_2fa_setup')}?{urlencode({'next': _next_url(request)})}"
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request, f"您用了一个恢复码，还剩 {left} 个。用完前请让管理员重置两步验证。"
                )
            return redirect(_next_url(request))
        form.add_error("token", "验证码不正确。连续输错会被暂时限制，请稍候再试。")
    return render(request, "security/2fa_verify.html", {"form": form, "next": _next_url(request)})


@never_cache
@login_required
def recovery(request):
    """Show the recovery codes once (they are not shown again)."""
    codes = request.session.pop(RECOVERY_SESSION_KEY, None)
    next_url = request.session.pop("mingbai_2fa_next", "/admin/")
    if not codes:
        return redirect(next_url)
    return render(request, "security/2fa_recovery.html", {"codes": codes, "next": next_url})
