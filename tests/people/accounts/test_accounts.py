"""Accounts: log-in by mobile number, no shared passwords, one-time activation codes."""

import re

import pytest
from django.core.exceptions import ValidationError

from people.accounts.models import AccountActivation, User
from people.accounts.services import account_activate, activation_issue, user_create
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_user_logs_in_with_phone(client, make_user, site_tree):
    make_user(phone="13912345678")
    response = client.post(
        "/account/login/", {"username": "139 1234 5678", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/my/").status_code == 200


def test_wrong_password_is_a_clear_chinese_error(client, make_user, site_tree):
    make_user(phone="13912345678")
    response = client.post("/account/login/", {"username": "13912345678", "password": "nope"})
    assert response.status_code == 200
    assert "手机号或密码不正确" in response.content.decode()


@pytest.mark.parametrize("phone", ["1391234567", "23912345678", "1391234567a", ""])
def test_invalid_phone_is_rejected_and_nothing_written(phone):
    with pytest.raises(ValidationError):
        user_create(phone=phone, display_name="张三")
    assert User.objects.count() == 0


def test_created_account_has_no_password_until_activated(client, site_tree):
    user = user_create(phone="13700000001", display_name="李四")
    assert not user.has_usable_password()
    issued = activation_issue(user=user)
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{8}", issued.code)
    response = client.post(
        issued.path,
        {
            "phone": "13700000001",
            "code": issued.code.lower(),
            "password1": "Lisi-own-pass-9",
            "password2": "Lisi-own-pass-9",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Lisi-own-pass-9")
    # the code is one-time
    with pytest.raises(ValidationError):
        account_activate(phone="13700000001", code=issued.code, password="Other-pass-77")


def test_wrong_code_writes_nothing(client, site_tree):
    user = user_create(phone="13700000002")
    activation_issue(user=user)
    response = client.post(
        "/account/activate/",
        {
            "phone": "13700000002",
            "code": "WRONGCOD",
            "password1": "Some-pass-123",
            "password2": "Some-pass-123",
        },
    )
    assert "激活码不正确" in response.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert AccountActivation.objects.get(user=user).used_at is None


def test_password_similar_to_phone_is_rejected():
    user = user_create(phone="13700000003")
    issued = activation_issue(user=user)
    with pytest.raises(ValidationError):
        account_activate(phone="13700000003", code=issued.code, password="13700000003")
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_new_code_invalidates_old_one():
    user = user_create(phone="13700000004")
    old = activation_issue(user=user)
    activation_issue(user=user)
    with pytest.raises(ValidationError):
        account_activate(phone="13700000004", code=old.code, password="Fresh-pass-123")


def test_admin_creates_account_with_activation_code(client, admin_user, site_tree):
    client.force_login(admin_user)
    response = client.post(
        "/admin/users/new/",
        {
            "phone": "13600000001",
            "display_name": "王五",
            "email": "",
        },
        follow=True,
    )
    assert response.status_code == 200
    user = User.objects.get(phone="13600000001")
    assert not user.has_usable_password()
    html = response.content.decode()
    assert "激活码" in html
    assert AccountActivation.objects.filter(user=user, used_at__isnull=True).count() == 1
