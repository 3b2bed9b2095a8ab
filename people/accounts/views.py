"""Account pages: log in, log out, activate, my account (thin views over services)."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from people.accounts.forms import ActivationForm, PhoneLoginForm
from people.accounts.services import account_activate


class LoginView(auth_views.LoginView):
    template_name = "account/login.html"
    authentication_form = PhoneLoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def activate(request, token=None):
    """Set one's own password with the one-time activation code (激活账号)."""
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = account_activate(
                phone=form.cleaned_data["phone"],
                code=form.cleaned_data["code"],
                password=form.cleaned_data["password1"],
                token=token,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "账号已激活，欢迎使用。")
            return redirect("account_home")
    return render(request, "account/activate.html", {"form": form})


@login_required
def account_home(request):
    """My account (我的): entry point to my learning, exams and certificates."""
    return render(request, "account/home.html", {"links": account_links(request)})


def account_links(request) -> list[dict]:
    """Entries shown on 我的; apps add theirs through URL names that exist."""
    from django.urls import NoReverseMatch, reverse

    candidates = [
        ("my_learning", "我的学习"),
        ("my_exams", "我的考试"),
        ("my_certificates", "我的证书"),
        ("quota_dashboard", "名额看板"),
    ]
    from people.quota.dashboard import dashboard_allowed

    links = []
    for name, title in candidates:
        if name == "quota_dashboard" and not dashboard_allowed(request.user):
            continue
        try:
            links.append({"href": reverse(name), "title": title})
        except NoReverseMatch:
            continue
    if request.user.is_staff:
        links.append({"href": "/admin/", "title": "管理后台"})
    return links
