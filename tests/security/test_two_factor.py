"""Two-factor for staff (django-otp TOTP + recovery codes) and idle expiry of staff sessions."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from people.accounts.api_auth import token_issue
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def enforce(settings):
    settings.MINGBAI_REQUIRE_2FA = True
    return settings


@pytest.fixture
def staff(make_user):
    return make_user(phone="13912346001", is_staff=True, is_superuser=True)


@pytest.fixture
def editor(make_user):
    """A role account (not is_staff) that reaches the admin through its group."""
    from people.accounts.roles import PUBLICITY_EDITOR, ensure_roles

    user = make_user(phone="13912346002")
    user.groups.add(ensure_roles()[PUBLICITY_EDITOR])
    return user


def current_code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def enrol(client, next_url="/admin/"):
    """Walk the set-up page; returns (device, recovery codes)."""
    page = client.get(f"/account/2fa/setup/?next={next_url}")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post("/account/2fa/setup/", {"token": current_code(device), "next": next_url})
    assert response.status_code == 302
    assert response.url == "/account/2fa/recovery/"
    page = client.get("/account/2fa/recovery/")
    codes = re.findall(r"<code>([a-z0-9]+)</code>", page.content.decode())
    return TOTPDevice.objects.get(pk=device.pk), codes


def test_staff_sent_to_setup_before_admin(client, enforce, staff):
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/account/2fa/setup/?next=%2Fadmin%2F")


def test_role_accounts_need_it_too(client, enforce, editor):
    client.force_login(editor)
    assert client.get("/admin/pages/").url.startswith("/account/2fa/setup/")


def test_learners_are_never_asked(client, enforce, make_user):
    learner = make_user(phone="13912346003")
    client.force_login(learner)
    assert client.get("/my/").status_code == 200
    assert client.get("/account/2fa/setup/").status_code == 302  # sent back to 我的
    assert not TOTPDevice.objects.exists()


def test_setup_shows_server_side_qr_then_recovery_codes_once(client, enforce, staff):
    client.force_login(staff)
    page = client.get("/account/2fa/setup/")
    html = page.content.decode()
    assert "<svg" in html and "<script" not in html.split("<main", 1)[1].split("</main>")[0]
    device, codes = enrol(client)
    assert device.confirmed
    assert len(codes) == 10 and len(set(codes)) == 10
    # Shown once only.
    assert client.get("/account/2fa/recovery/").status_code == 302
    assert client.get("/admin/").status_code == 200


def test_wrong_setup_code_is_refused(client, enforce, staff):
    client.force_login(staff)
    client.get("/account/2fa/setup/")
    response = client.post("/account/2fa/setup/", {"token": "000000"})
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert client.get("/admin/").status_code == 302


def test_full_admin_login_then_verify(client, enforce, staff):
    client.force_login(staff)
    device, codes = enrol(client)
    client.logout()
    response = client.post(
        "/admin/login/", {"username": staff.phone, "password": TEST_PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    response = client.get("/admin/")
    assert response.url.startswith("/account/2fa/verify/")
    # A second device cannot be enrolled from an unverified session.
    assert client.get("/account/2fa/setup/").url.startswith("/account/2fa/verify/")
    bad = client.post("/account/2fa/verify/", {"token": "123456", "next": "/admin/"})
    assert "验证码不正确" in bad.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the wrong code above throttles the device briefly
    device.throttling_failure_timestamp = None
    device.last_t = -1
    device.save()
    good = client.post("/account/2fa/verify/", {"token": current_code(device), "next": "/admin/"})
    assert good.status_code == 302 and good.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_recovery_code_works_once(client, enforce, staff):
    client.force_login(staff)
    _, codes = enrol(client)
    client.logout()
    client.force_login(staff)
    response = client.post("/account/2fa/verify/", {"token": codes[0], "next": "/admin/"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert StaticToken.objects.count() == 9
    client.logout()
    client.force_login(staff)
    again = client.post("/account/2fa/verify/", {"token": codes[0], "next": "/admin/"})
    assert again.status_code == 200


def test_open_redirect_refused(client, enforce, staff):
    client.force_login(staff)
    device, _ = enrol(client, next_url="https://evil.example/")
    # enrol's recovery page links to the safe default, not the foreign URL
    client.logout()
    client.force_login(staff)
    device.last_t = -1
    device.save()
    response = client.post(
        "/account/2fa/verify/", {"token": current_code(device), "next": "https://evil.example/"}
    )
    assert response.url == "/admin/"


def test_api_refuses_unverified_staff_and_staff_tokens(client, enforce, staff, make_user):
    client.force_login(staff)
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 403
    client.logout()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(staff)}"}
    assert client.get("/api/v1/openapi.json", **bearer).status_code == 403
    learner = make_user(phone="13912346004")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(learner)}"}
    assert client.get("/api/v1/openapi.json", **bearer).status_code == 200


def test_admin_resets_two_factor(client, enforce, staff, make_user):
    client.force_login(staff)
    enrol(client)
    other = make_user(phone="13912346005", is_staff=True)
    TOTPDevice.objects.create(user=other, name="x", confirmed=True)
    response = client.post(
        "/admin/security/accounts/", {"action": "reset_2fa", "phone": other.phone}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=other).exists()


def test_staff_session_expires_after_idle_time(client, settings, staff, make_user):
    settings.MINGBAI_STAFF_IDLE_TIMEOUT = 30 * 60
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=20), tick=False):
        assert client.get("/admin/").status_code == 200  # activity keeps it alive
    with time_machine.travel(timezone.now() + timedelta(minutes=45), tick=False):
        assert client.get("/admin/").status_code == 200  # 25 min after the last request
    with time_machine.travel(timezone.now() + timedelta(minutes=80), tick=False):
        response = client.get("/admin/")
        assert response.status_code == 302 and response.url.startswith("/admin/login/")
        assert "_auth_user_id" not in client.session


def test_learner_session_is_not_cut_after_idle_time(client, settings, make_user):
    settings.MINGBAI_STAFF_IDLE_TIMEOUT = 30 * 60
    learner = make_user(phone="13912346006")
    client.force_login(learner)
    assert client.get("/my/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=5), tick=False):
        assert client.get("/my/").status_code == 200
