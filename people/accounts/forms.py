"""Forms for log-in and activation (登录与激活)."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from core.identity import MobileError, validate_mobile


class PhoneLoginForm(AuthenticationForm):
    """Log in with a mainland mobile number and password."""

    username = forms.CharField(
        label="手机号",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "inputmode": "numeric", "autofocus": True}
        ),
    )
    password = forms.CharField(
        label="密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": "手机号或密码不正确。",
        "inactive": "该账号已停用，请联系管理员。",
    }

    def clean_username(self):
        try:
            return validate_mobile(self.cleaned_data["username"])
        except MobileError as exc:
            raise forms.ValidationError(str(exc)) from exc


class ActivationForm(forms.Form):
    phone = forms.CharField(
        label="手机号",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "username"}),
    )
    code = forms.CharField(label="激活码", max_length=20, help_text="管理员发给您的 8 位激活码")
    password1 = forms.CharField(
        label="设置密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少 8 位，不能全是数字，不能与手机号相近。",
    )
    password2 = forms.CharField(
        label="再次输入密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致。")
        return data
