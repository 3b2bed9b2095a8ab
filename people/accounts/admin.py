"""Wagtail admin for accounts: phone-number log-in, no passwords typed by administrators.

An administrator creates an account (or asks for a new code); the person receives a one-time
activation code and link and sets their own password (激活账号).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.functional import cached_property
from django.utils.html import format_html
from wagtail.admin.auth import permission_denied
from wagtail.admin.ui.tables import Column
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import users as wagtail_users

from people.accounts.services import activation_issue

User = get_user_model()


class MingbaiUserCreationForm(UserCreationForm):
    email = forms.EmailField(required=False, label="电子邮箱")
    first_name = None
    last_name = None

    class Meta(UserCreationForm.Meta):
        fields = {"phone", "display_name", "email", "is_superuser", "groups"}


class MingbaiUserEditForm(UserEditForm):
    email = forms.EmailField(required=False, label="电子邮箱")
    first_name = None
    last_name = None

    class Meta(UserEditForm.Meta):
        fields = {"phone", "display_name", "email", "is_active", "is_superuser", "groups"}


def _announce_activation(request, user) -> None:
    issued = activation_issue(user=user)
    link = request.build_absolute_uri(issued.path)
    messages.success(
        request,
        format_html(
            "已为 {} 生成一次性激活码 <strong>{}</strong>（{} 前有效）。"
            "请把激活码或链接 {} 交给本人，由本人设置密码。",
            user,
            issued.code,
            issued.expires_at.strftime("%Y-%m-%d %H:%M"),
            link,
        ),
    )


class CreateView(wagtail_users.CreateView):
    def save_instance(self):
        user = super().save_instance()
        if not user.password:  # no password typed by the administrator
            user.set_unusable_password()
            user.save(update_fields=["password"])
        if not user.has_usable_password():
            _announce_activation(self.request, user)
        return user


def issue_activation_view(request, pk):
    """Admin action: issue a new activation code (e.g. the person forgot their password)."""
    if not request.user.has_perm(f"{User._meta.app_label}.change_user"):
        return permission_denied(request)
    user = get_object_or_404(User, pk=pk)
    if request.method == "POST":
        _announce_activation(request, user)
    return redirect("wagtailusers_users:edit", pk)


class IndexView(wagtail_users.IndexView):
    """The users list shows the mobile number masked (138****0001); search takes the full one."""

    @cached_property
    def columns(self):
        columns = list(super().columns)
        for i, column in enumerate(columns):
            if column.name == User.USERNAME_FIELD:
                columns[i] = Column(
                    User.USERNAME_FIELD,
                    accessor="masked_phone",
                    label="手机号",
                    sort_key=User.USERNAME_FIELD,
                    classname="username",
                    width="20%",
                )
        return columns

    @cached_property
    def search_fields(self):
        return ["phone", "display_name", "email"]  # User is not in Wagtail's search index


class UserViewSet(wagtail_users.UserViewSet):
    add_view_class = CreateView
    index_view_class = IndexView

    def get_form_class(self, for_update=False):
        return MingbaiUserEditForm if for_update else MingbaiUserCreationForm

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<str:pk>/activation/", issue_activation_view, name="activation"),
        ]
