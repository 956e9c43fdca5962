"""Views of the project package itself: the health check and the error handlers (pages live in the page apps)."""

import logging
import sys

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views import defaults
from rest_framework import exceptions

from common.api import DATABASE_UNAVAILABLE_ERRORS, error_response, is_api_request
from common.api import not_found as api_not_found
from common.database_outage import database_unavailable_response, is_database_unavailable
from config.celery import app as celery_app

logger = logging.getLogger(__name__)


def healthz(request):
    """For load balancers and compose health checks: 200 while the platform can serve, else 503.

    Only the database is vital. Without the cache (the throttles' counters) requests go uncounted,
    and without the broker the background work they ask for is kept for the catch-up: the platform
    still serves, so their loss answers 200 with "degraded" and keeps the server in rotation.
    """
    checks = {"database": _database_answers, "cache": _cache_answers, "broker": _broker_answers}
    down = [name for name, answers in checks.items() if not answers()]
    if "database" in down:
        return JsonResponse({"status": "unavailable", "down": down}, status=503)
    return JsonResponse({"status": "degraded" if down else "ok", "down": down})


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DATABASE_UNAVAILABLE_ERRORS as error:
        logger.warning("Health check: the database is unavailable (%s: %s)", type(error).__name__, error)
        return False
    return True


def _cache_answers() -> bool:
    try:
        cache.set("healthz", "ok", 10)
        return cache.get("healthz") == "ok"
    except Exception as error:
        logger.warning("Health check: the cache is unavailable (%s: %s)", type(error).__name__, error)
        return False


def _broker_answers() -> bool:
    try:
        with celery_app.connection_for_write() as broker:
            # No retry: a health check must answer within its own timeout.
            broker.ensure_connection(max_retries=0)
    except Exception as error:
        logger.warning("Health check: the broker is unavailable (%s: %s)", type(error).__name__, error)
        return False
    return True


def page_not_found(request, exception):
    """handler404: under /api/ the API's 404 in its error shape (whatever the path holds), else the 404 page."""
    if is_api_request(request):
        return api_not_found(request)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """handler500: a fault outside any view (in a middleware) that is the database's is a 503 as well;
    other faults are the API's 500 in its error shape, or the 500 page."""
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable_response(request)
    if is_api_request(request):
        return error_response(exceptions.APIException(code="server_error"))
    return defaults.server_error(request)
