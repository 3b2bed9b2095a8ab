"""Log-in protection (django-axes): lock-out per account and per account + address."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db

PHONE = "13912345001"
OTHER = "13912345002"


def fail(client, phone=PHONE, ip="10.0.0.1", url="/account/login/"):
    return client.post(url, {"username": phone, "password": "wrong-pass"}, REMOTE_ADDR=ip)


def login(client, phone=PHONE, ip="10.0.0.1", url="/account/login/"):
    return client.post(url, {"username": phone, "password": TEST_PASSWORD}, REMOTE_ADDR=ip)


def test_axes_is_enabled_in_every_settings_module(settings):
    assert settings.AXES_ENABLED is True
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username"], ["username", "ip_address"]]
    assert all("username" in group for group in settings.AXES_LOCKOUT_PARAMETERS)
    assert settings.AUTHENTICATION_BACKENDS[0] == "core.security.backends.LockoutBackend"


def test_account_locked_after_limit_with_clear_chinese_page(client, make_user, settings):
    make_user(phone=PHONE)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert fail(client).status_code == 200
    response = fail(client)
    assert response.status_code == 429
    text = response.content.decode()
    assert "账号已暂时锁定" in text and "分钟后再试" in text
    # Even the right password is refused while locked.
    response = login(client)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_account_not_per_address(client, make_user, settings):
    """A village office shares one NAT address: one person's typos lock no one else."""
    make_user(phone=PHONE)
    make_user(phone=OTHER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        fail(client, ip="10.9.9.9")
    other = login(client, phone=OTHER, ip="10.9.9.9")
    assert other.status_code == 302
    # The locked account stays locked from another address too (per account).
    client.logout()
    assert login(client, phone=PHONE, ip="172.16.0.5").status_code == 429


def test_spellings_of_one_number_count_as_one_account(client, make_user, settings):
    make_user(phone=PHONE)
    spellings = ["139 1234 5001", "+8613912345001", "139-1234-5001", PHONE, "0086 13912345001"]
    for spelling in spellings[: settings.AXES_FAILURE_LIMIT]:
        fail(client, phone=spelling)
    assert login(client).status_code == 429


def test_wagtail_admin_login_is_protected(client, make_user, settings):
    make_user(phone=PHONE, is_staff=True, is_superuser=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        fail(client, url="/admin/login/")
    response = login(client, url="/admin/login/")
    assert response.status_code == 429
    assert "账号已暂时锁定" in response.content.decode()


def test_api_token_endpoint_is_protected(client, make_user, settings):
    make_user(phone=PHONE)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            "/api/v1/auth/token/",
            {"phone": PHONE, "password": "nope-nope"},
            content_type="application/json",
        )
    assert response.status_code == 429
    assert response.json()["locked"] is True
    response = client.post(
        "/api/v1/auth/token/",
        {"phone": PHONE, "password": TEST_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 429


def test_cool_off_ends_the_lock(client, make_user, settings):
    make_user(phone=PHONE)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        fail(client)
    assert login(client).status_code == 429
    later = timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        assert login(client).status_code == 302


def test_success_resets_the_failure_count(client, make_user, settings):
    make_user(phone=PHONE)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        fail(client)
    assert login(client).status_code == 302
    client.logout()
    assert fail(client).status_code == 200  # counting starts again


def test_admin_unlocks_an_account_and_it_is_audited(client, make_user, settings):
    make_user(phone=PHONE)
    admin = make_user(phone="13912345009", is_staff=True, is_superuser=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        fail(client)
    client.force_login(admin)
    page = client.get("/admin/security/accounts/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "139****5001" in text  # listed, masked
    assert PHONE not in text
    ref = text.split('name="ref" value="')[1].split('"')[0]
    response = client.post("/admin/security/accounts/", {"action": "unlock", "ref": ref})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=PHONE).exists()
    entry = ModelLogEntry.objects.get(action="mingbai.account.unlock")
    assert entry.user_id == admin.pk
    client.logout()
    assert login(client).status_code == 302


def test_unlock_page_needs_permission(client, make_user):
    learner = make_user(phone=PHONE)
    client.force_login(learner)
    response = client.get("/admin/security/accounts/")
    assert response.status_code in (302, 403)


def test_unlock_command(client, make_user, settings):
    make_user(phone=PHONE)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        fail(client)
    call_command("axes_reset_username", PHONE)
    assert login(client).status_code == 302


def test_password_validators_reject_the_phone_number(make_user):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user = make_user(phone="13987654321")
    with pytest.raises(ValidationError):
        validate_password("13987654321a", user)
    with pytest.raises(ValidationError):
        validate_password("12345678", user)
    validate_password("Lv-shi-2026!", user)
