"""Signals of the exams app that higher apps may answer (campaigns: quiz daily limits)."""

from django.dispatch import Signal

# Sent by attempt_start just before a NEW attempt is created (never for resuming an open one),
# with exam=, user=, person=, now=. A receiver refuses the start by raising ValidationError
# with a Chinese message; every entry point (pages, JSON API, services) goes through it.
attempt_starting = Signal()
