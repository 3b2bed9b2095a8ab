"""Settings for bench/study_heartbeat.py: the platform's base settings plus a bare view."""

from config.settings.base import *  # noqa: F403
from config.settings.base import LOGGING

DEBUG = False
ROOT_URLCONF = "study_heartbeat_urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
LOGGING["root"]["level"] = "WARNING"
