"""Production and base settings switch every protection on; check --deploy is clean."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "test-only-8f3k2LmQ9vX1pZ7rT4wY6bN0cJ5hG2dS8aE3uI7oK1",
    "ALLOWED_HOSTS": "mingbai.example.gov.cn",
}


def settings_values(module: str, names: list[str], extra_env=None) -> dict:
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{n: repr(getattr(s, n, None)) for n in {names!r}}}))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": module, **(extra_env or {})}
    for name in ("MINGBAI_REQUIRE_2FA", "AXES_ENABLED", "MINGBAI_STAFF_IDLE_TIMEOUT"):
        env.pop(name, None)
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


NAMES = [
    "MINGBAI_REQUIRE_2FA",
    "AXES_ENABLED",
    "MINGBAI_STAFF_IDLE_TIMEOUT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "X_FRAME_OPTIONS",
    "SECURE_REFERRER_POLICY",
    "CONTENT_SECURITY_POLICY",
]


def test_production_enables_everything():
    values = settings_values("config.settings.production", NAMES, PROD_ENV)
    assert values["MINGBAI_REQUIRE_2FA"] == "True"
    assert values["AXES_ENABLED"] == "True"
    assert values["MINGBAI_STAFF_IDLE_TIMEOUT"] == "1800"
    assert values["SESSION_COOKIE_SECURE"] == "True"
    assert values["CSRF_COOKIE_SECURE"] == "True"
    assert int(values["SECURE_HSTS_SECONDS"]) >= 31536000
    assert values["X_FRAME_OPTIONS"] == "'SAMEORIGIN'"
    assert values["SECURE_REFERRER_POLICY"] == "'same-origin'"
    assert "unsafe-inline" not in values["CONTENT_SECURITY_POLICY"].split("'script-src'")[1]


def test_production_2fa_cannot_be_switched_off_by_environment():
    values = settings_values(
        "config.settings.production", NAMES, {**PROD_ENV, "MINGBAI_REQUIRE_2FA": "false"}
    )
    assert values["MINGBAI_REQUIRE_2FA"] == "True"


def test_dev_settings_enable_2fa_by_default():
    values = settings_values("config.settings.dev", NAMES)
    assert values["MINGBAI_REQUIRE_2FA"] == "True"
    assert values["AXES_ENABLED"] == "True"


def test_check_deploy_is_clean_under_production_settings():
    env = {**os.environ, **PROD_ENV}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by tests/conftest.py for Playwright
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr
