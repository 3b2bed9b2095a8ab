"""JSON API of this app (mounted under /api/v1/ by config/api.py)."""

from ninja import Router

router = Router()
