"""The answer while the database is unavailable: 503 with Retry-After, in the API's shape or as a plain page.

While PostgreSQL is stopped, restarting or failing over, every query raises OperationalError or
InterfaceError. That is no fault of the request and passes in seconds or minutes, so callers are
told to come back later (503, Retry-After) rather than given a 500 that reads like a bug. Once the
database answers again the same process recovers by itself: Django closes a connection that failed
at the end of its request, and CONN_HEALTH_CHECKS tests a kept connection before reusing it.

Three places answer it, for the three places a query can fail: DRF's views in
common.api.exception_handler, other views in DatabaseUnavailableMiddleware, and the middleware
themselves in the project's handler500 (config.views.server_error).
"""

from django.http import HttpResponse
from django.template.loader import render_to_string

from common.api import (
    DATABASE_UNAVAILABLE_ERRORS,
    RETRY_AFTER_SECONDS,
    ServiceUnavailable,
    error_response,
    is_api_request,
    log_database_unavailable,
)


def is_database_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, DATABASE_UNAVAILABLE_ERRORS)


def database_unavailable_response(request) -> HttpResponse:
    """503 with Retry-After: the API's error shape under /api/, else the plain 503 page."""
    if is_api_request(request):
        return error_response(ServiceUnavailable())
    # Rendered without the request, as the 500 page is: the context processors would query the database.
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """A view, or its template, that finds the database unavailable answers 503 instead of a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception):
            return None
        log_database_unavailable(exception)
        return database_unavailable_response(request)
