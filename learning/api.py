"""JSON API of the learning app (mounted under /api/v1/ by config/api.py)."""

from ninja import Router

from .law_api import router as law_router
from .study_api import router as study_router

router = Router()
router.add_router("", law_router)
router.add_router("", study_router)
