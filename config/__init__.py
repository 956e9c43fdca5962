"""The Django project: settings, root URLs, the Celery app, WSGI and ASGI, the health check."""

from config.celery import app as celery_app

__all__ = ("celery_app",)
