"""Test settings: fast hashing, tasks run eagerly unless a test starts a real worker."""

from .base import *  # noqa: F403
from .base import env

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
