"""Security baseline: log-in lock-out, staff two-factor, idle expiry, CSP, upload checks.

Part of the ``core`` app, whose Wagtail hooks (unlock view, audit action labels) are
discovered from core/wagtail_hooks.py; it owns no models (axes and django-otp bring theirs).
"""
