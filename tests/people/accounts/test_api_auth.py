"""Bearer tokens for the JSON API."""

import pytest

from people.accounts.api_auth import token_issue, token_user
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_token_for_phone_and_password(client, make_user):
    user = make_user(phone="13912340000")
    response = client.post(
        "/api/v1/auth/token/",
        {"phone": "13912340000", "password": TEST_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert token_user(response.json()["token"]) == user


def test_wrong_password_401(client, make_user):
    make_user(phone="13912340000")
    response = client.post(
        "/api/v1/auth/token/",
        {"phone": "13912340000", "password": "x"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert "不正确" in response.json()["detail"]


def test_malformed_phone_400(client):
    response = client.post(
        "/api/v1/auth/token/", {"phone": "12", "password": "x"}, content_type="application/json"
    )
    assert response.status_code == 400


def test_password_change_revokes_token(make_user):
    user = make_user(phone="13912340000")
    token = token_issue(user)
    user.set_password("Another-pass-99")
    user.save()
    assert token_user(token) is None


def test_forged_token_rejected():
    assert token_user("not-a-token") is None


def test_token_expires_after_max_age_even_once_checked(settings, make_user):
    """A token checked before (and remembered by the process) still expires on time."""
    import time_machine

    settings.API_TOKEN_MAX_AGE = 3600
    user = make_user(phone="13912340000")
    with time_machine.travel("2026-11-29 08:00 +0800", tick=False) as traveller:
        token = token_issue(user)
        assert token_user(token) == user
        traveller.shift(3599)
        assert token_user(token) == user
        traveller.shift(2)
        assert token_user(token) is None


def test_tampered_token_rejected_after_a_good_one(make_user):
    user = make_user(phone="13912340000")
    token = token_issue(user)
    assert token_user(token) == user
    payload, stamp, signature = token.rsplit(":", 2)
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    assert token_user(f"{payload}:{stamp}:{flipped}") is None


def test_deactivated_user_token_rejected(make_user):
    user = make_user(phone="13912340000")
    token = token_issue(user)
    assert token_user(token) == user
    user.is_active = False
    user.save()
    assert token_user(token) is None
