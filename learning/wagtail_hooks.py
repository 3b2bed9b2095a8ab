"""Wagtail admin registrations of the learning app (each half registers its own hooks)."""

from . import law_admin, study_admin  # noqa: F401
