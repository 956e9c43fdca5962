"""The coproduction project package: settings, URLs, the Celery app, and the coproduction domain app."""
from .celery import app as celery_app

__all__ = ("celery_app",)
