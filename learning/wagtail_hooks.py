"""Wagtail admin registrations of the learning app: each sub-home registers its own hooks."""

from learning.laws import admin as laws_admin  # noqa: F401
from learning.study import admin as study_admin  # noqa: F401
