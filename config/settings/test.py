"""Test settings: fast hashing, tasks run eagerly unless a test starts a real worker.

Tests write nothing into the repository: var/ (embedded broker, results, beat schedule) and
MEDIA_ROOT live in a temporary directory, made by the first process that loads these settings
and shared through the environment with the processes it starts (a real Celery worker, Granian),
removed when that first process exits.
"""

import atexit
import os
import shutil
import tempfile

if "MINGBAI_TEST_TMP" not in os.environ:
    os.environ["MINGBAI_TEST_TMP"] = tempfile.mkdtemp(prefix="mingbai-test-")
    atexit.register(shutil.rmtree, os.environ["MINGBAI_TEST_TMP"], ignore_errors=True)
os.environ.setdefault("MINGBAI_VAR_DIR", os.path.join(os.environ["MINGBAI_TEST_TMP"], "var"))
os.environ.setdefault("MEDIA_ROOT", os.path.join(os.environ["MINGBAI_TEST_TMP"], "media"))

from config.settings.base import *  # noqa: E402, F403
from config.settings.base import env  # noqa: E402

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
LOGGING["loggers"].update(  # noqa: F405
    {
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "celery": {"level": "WARNING"},
    }
)
# Security baseline (issue 8). Lock-out (axes) and CSP stay on. Two-factor and the staff idle
# timeout are off so that other apps' tests can use force_login + the admin directly;
# tests/security switch both on with the `settings` fixture and prove the enforcement, and
# tests/security/test_settings_security.py checks that base and production settings enable them.
MINGBAI_REQUIRE_2FA = False
MINGBAI_STAFF_IDLE_TIMEOUT = 0
