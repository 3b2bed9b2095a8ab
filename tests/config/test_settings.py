"""Settings come from the environment; production refuses to start without secrets."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _import_production(env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_secret_key():
    result = _import_production({"ALLOWED_HOSTS": "mingbai.example.gov.cn"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _import_production({"SECRET_KEY": "x" * 60})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_starts_with_both():
    result = _import_production({"SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "mingbai.example.gov.cn"})
    assert result.returncode == 0, result.stderr


def test_chinese_language_and_time_zone():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"


def test_sqlite_is_configured_for_concurrent_writers(db):
    if connection.vendor != "sqlite":
        return  # the PostgreSQL run checks the same suite on its own database
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000
    assert "journal_mode=WAL" in options["init_command"]


def _database_settings(**environ) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PG_PREPARED_STATEMENTS"}
    env.update(environ)
    code = "import json; from config.settings import base; print(json.dumps(base.DATABASES))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    return json.loads(result.stdout)["default"]


def test_database_url_selects_postgresql():
    """Django's PostgreSQL backend with the socket health check and prepared statements."""
    db = _database_settings(DATABASE_URL="postgres://u@127.0.0.1:5432/test")
    assert db["ENGINE"] == "core.db.postgresql"
    assert db["CONN_HEALTH_CHECKS"] is True
    assert db["OPTIONS"] == {"server_side_binding": True, "prepare_threshold": 5}


def test_prepared_statements_can_be_turned_off_for_a_pooler():
    db = _database_settings(
        DATABASE_URL="postgres://u@127.0.0.1:5432/test", PG_PREPARED_STATEMENTS="false"
    )
    assert "server_side_binding" not in db.get("OPTIONS", {})
    assert "prepare_threshold" not in db.get("OPTIONS", {})


def test_embedded_broker_without_configuration():
    env = {k: v for k, v in os.environ.items() if not k.startswith("CELERY_")}
    code = "from config.settings import base; print(base.CELERY_BROKER_URL)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip().startswith("sqla+sqlite:///")
