"""Mingbai Django project (明白平台工程配置)."""

from config.celery import app as celery_app

__all__ = ("celery_app",)
