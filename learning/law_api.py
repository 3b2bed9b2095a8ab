"""JSON API endpoints of this half of the learning app."""

from ninja import Router

router = Router()
