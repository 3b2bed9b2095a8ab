"""Settings for bench/exam_load.py: the platform's base settings plus a bare view (urls)."""

from config.settings.base import *  # noqa: F403
from config.settings.base import LOGGING

DEBUG = False
ROOT_URLCONF = "exam_load_urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
LOGGING["root"]["level"] = "WARNING"
