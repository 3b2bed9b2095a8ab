"""Wagtail admin viewsets and hooks of this half of the learning app."""
