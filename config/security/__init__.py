"""Security baseline (issue 8): log-in lock-out, staff two-factor, idle expiry, CSP, audit.

An installed app (label ``mingbai_security``) so that its Wagtail hooks (unlock view, audit
action labels) are discovered; it owns no models (axes and django-otp bring theirs).
"""
