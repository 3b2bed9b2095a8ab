"""Local development: DEBUG on, everything embedded."""

from config.settings.base import *  # noqa: F403

DEBUG = True
INTERNAL_IPS = ["127.0.0.1"]
