"""REST API plumbing shared by every app: one error shape, pagination, throttles, visibility, schema.

Every error the API returns has the same JSON body, whatever raised it (a serializer, a domain
service's django ValidationError or PermissionDenied, a lookup of an invisible row):

    {"message": "readable sentence", "code": "machine_code", "errors": {"field": ["message", ...]}}

Domain refusals that are conflicts with the current state of a record (a full task, a second
claim, a duplicate period...) keep their ValidationError in the domain layer and are answered
409 here, recognised by their code, so that the domain never knows about HTTP.
"""

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, TypeAlias

import django_filters
import django_filters.rest_framework
from django import forms
from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache import cache as default_cache
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import EmptyPage
from django.core.paginator import Paginator as DjangoPaginator
from django.db import InterfaceError, OperationalError, connection, models
from django.db.models import Count, QuerySet, Window
from django.db.models.query import ModelIterable
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from redis.exceptions import RedisError
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from common.bounds import bound_serializer_fields, date_error
from common.security_log import log_refusal

logger = logging.getLogger(__name__)

# Every serializer of the API holds its dates, date-times and integers to common.bounds.
bound_serializer_fields()

# Codes of domain refusals that mean "the request is fine, but the record's state forbids it".
CONFLICT_CODES = frozenset(
    {
        "already_answered",
        "already_applied",
        "already_assigned",
        "already_claimed",
        "already_closed",
        "already_completed",
        "already_current",
        "already_declared",
        "already_extended",
        "already_rated",
        "already_resolved",
        "already_reviewed",
        "call_already_open",
        "call_decided",
        "duplicate",
        "duplicate_period",
        "duplicate_title",
        "final_exists",
        "not_a_draft",
        "not_submitted",
        "task_full",
    }
)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The request conflicts with the current state of the record.")
    default_code = "conflict"


# What the database driver raises when PostgreSQL cannot be reached or the connection is cut (a
# restart, a failover, a full connection table): no fault of the request, so it is worth retrying.
DATABASE_UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)
# Seconds a client is asked to wait before retrying while the database is unavailable.
RETRY_AFTER_SECONDS = 30


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = gettext_lazy("The platform is temporarily unavailable. Please try again in a minute.")
    default_code = "service_unavailable"
    # DRF's handler turns `wait` into the Retry-After header, as it does for a throttled request.
    wait = RETRY_AFTER_SECONDS


def log_database_unavailable(exc: BaseException) -> None:
    # One line, no traceback: during an outage every request fails the same way.
    logger.error("Answered 503: the database is unavailable (%s: %s)", type(exc).__name__, exc)


def is_api_request(request) -> bool:
    """Whether the request is the API's (answered in its JSON error shape) rather than a page's."""
    return getattr(request, "path", "").startswith("/api/")


# --- Pagination and throttling -----------------------------------------------------------------


class CountInPagePaginator(DjangoPaginator):
    """Django's paginator, with the total read by the page's own query (COUNT(*) OVER ()).

    The separate COUNT(*) would plan and run the list's visibility filter a second time; here the
    database counts the filtered rows while it reads the page, one query instead of two whatever
    the list's size. Lists the window cannot count exactly (DISTINCT, grouped, values) and pages
    past the end, which have no row to carry the total, are counted the usual way.
    """

    total = "_paginator_total"

    def page(self, number):
        if not self._counts_in_page():
            return super().page(number)
        number = self._whole_number(number)
        if (number - 1) * self.per_page > MAX_ID:
            # No list holds that many rows, and the database cannot take the offset: past the end.
            raise EmptyPage(self.error_messages["no_results"])
        bottom = (number - 1) * self.per_page
        counted = self.object_list.annotate(**{self.total: Window(Count("pk"))})
        rows = list(counted[bottom : bottom + self.per_page])
        if rows:
            self.__dict__["count"] = getattr(rows[0], self.total)
        elif number == 1:
            self.__dict__["count"] = 0
        if number > self.num_pages:
            raise EmptyPage(self.error_messages["no_results"])
        return self._get_page(rows, number, self)

    def _counts_in_page(self) -> bool:
        queryset = self.object_list
        if self.orphans or "count" in self.__dict__ or not isinstance(queryset, QuerySet):
            return False
        query = queryset.query
        return (
            queryset._iterable_class is ModelIterable
            and not query.distinct
            and query.group_by is None
            and not query.combinator
            and not query.is_sliced
        )

    def _whole_number(self, number) -> int:
        """validate_number without the count: a whole number, at least 1; the rest is left to it."""
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            whole = int(number)
        except (TypeError, ValueError):
            return self.validate_number(number)
        return whole if whole >= 1 else self.validate_number(number)


class PagePagination(PageNumberPagination):
    django_paginator_class = CountInPagePaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class AppendOnlyCursorPagination(CursorPagination):
    """For large lists that only grow (check-ins, audit entries, ratings): stable under inserts."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class _RateFromSettings:
    """Reads the rate at request time, so that a change of settings (or a test) takes effect."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class _OpenWhenCacheIsDown:
    """The counters live in the cache (Redis): while it is unreachable requests go uncounted
    rather than fail, so that an outage of the cache does not take the API down with it."""

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError):
            logger.warning(
                "Throttle %s let a request through uncounted: the cache is unreachable", self.scope, exc_info=True
            )
            return True


def _count_one_more(cache, key: str, timeout: int) -> int:
    """Add one to the counter at `key` (created at 0, kept `timeout` seconds); its new value.

    With Redis, INCR and EXPIRE go in one round trip: Django's cache stores whole numbers as
    they are, so the counter is the cache's own value. Other caches add it, then increment it.
    """
    if isinstance(cache, RedisCache):
        full_key = cache.make_and_validate_key(key)
        # Django's cache API has no pipeline: its Redis client is reached the way its own incr() does.
        client = cache._cache.get_client(full_key, write=True)  # type: ignore[attr-defined]  # private, unstubbed
        with client.pipeline(transaction=False) as pipe:
            count, _ = pipe.incr(full_key).expire(full_key, timeout).execute()
        return count
    cache.add(key, 0, timeout)
    return cache.incr(key)


class _CountedPerWindow:
    """Counts each caller's requests per fixed window of the rate's duration, with one increment.

    DRF's throttles keep the moment of every request of the last window (up to 600 a minute per
    user), read the list and write it back: two round trips to the cache on every request of the
    API and a pickle that grows with the rate. Here the cache holds one number per caller and
    window. The price of fixed windows: a caller may send up to twice the rate across the boundary
    of two windows.
    """

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends_at = (window + 1) * self.duration
        # DRF's throttles hold django.core.cache.cache, a proxy: the counter needs the cache itself to
        # know whether it is Redis.
        cache = caches[DEFAULT_CACHE_ALIAS] if self.cache is default_cache else self.cache
        return _count_one_more(cache, f"{self.key}:{window}", self.duration) <= self.num_requests

    def wait(self):
        return max(self.window_ends_at - self.now, 1)


class AnonThrottle(_OpenWhenCacheIsDown, _CountedPerWindow, _RateFromSettings, AnonRateThrottle):
    """Anonymous callers, counted per address (rate `anon`, API_ANON_RATE)."""


class UserThrottle(_OpenWhenCacheIsDown, _CountedPerWindow, _RateFromSettings, UserRateThrottle):
    """Signed-in callers, counted per user (rate `user`, API_USER_RATE)."""


# --- Errors ----------------------------------------------------------------------------------


def _django_error_details(error: DjangoValidationError) -> dict[str, list[exceptions.ErrorDetail]]:
    """A django ValidationError as {field: [ErrorDetail]}, keeping each message's code."""
    grouped: Iterable[tuple[str, list[DjangoValidationError]]] = (
        error.error_dict.items() if hasattr(error, "error_dict") else [(NON_FIELD_ERRORS, error.error_list)]
    )
    details: dict[str, list[exceptions.ErrorDetail]] = {}
    for field, errors in grouped:
        key = api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field
        details[key] = [
            exceptions.ErrorDetail(str(message % item.params if item.params else message), code=item.code or "invalid")
            for item in errors
            for message in [item.message]
        ]
    return details


def _from_django_validation(error: DjangoValidationError) -> exceptions.APIException:
    """400 for bad input; 409 when the refusal's code says the record's state is the obstacle."""
    details = _django_error_details(error)
    codes = {detail.code for messages in details.values() for detail in messages}
    body: dict[str, list[exceptions.ErrorDetail]] | list[exceptions.ErrorDetail] = details
    if not hasattr(error, "error_dict"):
        # A refusal of the request as a whole: its message says it all, no field is at fault.
        body = details[api_settings.NON_FIELD_ERRORS_KEY]
    if codes & CONFLICT_CODES:
        return Conflict(detail=body)
    return exceptions.ValidationError(detail=body)


def _flatten(detail) -> list:
    if isinstance(detail, dict):
        return [item for value in detail.values() for item in _flatten(value)]
    if isinstance(detail, list):
        return [item for value in detail for item in _flatten(value)]
    return [detail]


def _field_errors(detail) -> dict[str, list[str]]:
    """Field errors as {field: [messages]}; nested serializers give dotted field names."""
    if not isinstance(detail, dict):
        return {api_settings.NON_FIELD_ERRORS_KEY: [str(item) for item in _flatten(detail)]} if detail else {}
    errors = {}
    for field, value in detail.items():
        if isinstance(value, dict):
            errors.update({f"{field}.{key}": messages for key, messages in _field_errors(value).items()})
        else:
            errors[str(field)] = [str(item) for item in _flatten(value)]
    return errors


def error_body(exc: exceptions.APIException) -> dict:
    """The one error shape: a readable message, a machine code, and the field errors if any."""
    if isinstance(exc, exceptions.NotFound):
        # The same words whether the row does not exist or belongs to someone else's community.
        return {"message": _("Not found."), "code": "not_found", "errors": {}}
    if isinstance(exc.detail, (dict, list)):
        first = next(iter(_flatten(exc.detail)), None)
        errors = _field_errors(exc.detail)
        if isinstance(exc.detail, list) and set(errors) == {api_settings.NON_FIELD_ERRORS_KEY}:
            errors = {}
        return {
            "message": str(first) if first is not None else str(exc.default_detail),
            "code": getattr(first, "code", None) or exc.default_code,
            "errors": errors,
        }
    return {"message": str(exc.detail), "code": getattr(exc.detail, "code", None) or exc.default_code, "errors": {}}


def _throttled_before_refusal(exc, context):
    """A 401's caller counted by the view's throttles: over the rate, the answer is the 429 instead.

    DRF checks authentication and permissions before throttles, so a caller without valid
    credentials is refused before being counted, and could knock on every endpoint that needs a
    login without limit. Counted here, per address as the anonymous throttle counts, such callers
    are throttled like any anonymous caller of an open endpoint. A 401 is raised before the
    throttles run (DRF's initial() authenticates, checks permissions, then throttles), so the
    request is counted once.
    """
    view, request = context.get("view"), context.get("request")
    if view is None or request is None:
        return exc
    try:
        view.check_throttles(request)
    except exceptions.Throttled as throttled:
        return throttled
    return exc


def exception_handler(exc, context):
    """DRF's handler (status, headers, rollback) with django ValidationError added and one body shape."""
    if isinstance(exc, DjangoValidationError):
        exc = _from_django_validation(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, RequestDataTooBig):
        exc = exceptions.ParseError(
            _("The body is larger than %(limit)s bytes.") % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
            code="too_large",
        )
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    elif isinstance(exc, DATABASE_UNAVAILABLE_ERRORS):
        log_database_unavailable(exc)
        exc = ServiceUnavailable()
    elif isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
        exc = _throttled_before_refusal(exc, context)
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = error_body(exc)
        if response.status_code in (status.HTTP_401_UNAUTHORIZED, status.HTTP_403_FORBIDDEN):
            log_refusal(context.get("request"), response.status_code, f"{exc.default_code}: {exc.detail}")
    return response


@csrf_exempt
def not_found(request, *args, **kwargs) -> JsonResponse:
    """An /api/v1/ URL that names no endpoint (e.g. /projects/1.5/): the API's 404, in its own shape.

    Exempt from CSRF like the API's views, so that a POST gets this 404 and not a 403 web page.
    """
    return error_response(exceptions.NotFound())


def error_response(exc: exceptions.APIException) -> JsonResponse:
    """An error in the API's shape outside a DRF view (a URL that names no endpoint, a fault in a middleware)."""
    response = JsonResponse(error_body(exc), status=exc.status_code)
    if wait := getattr(exc, "wait", None):
        response["Retry-After"] = str(int(wait))
    return response


class ErrorSerializer(serializers.Serializer):
    """The body of every error response."""

    message = serializers.CharField(help_text=gettext_lazy("A readable sentence saying what went wrong."))
    code = serializers.CharField(help_text=gettext_lazy("A stable machine-readable code, e.g. task_full or not_found."))
    # The body's field is named `errors`, shadowing Serializer.errors: this serializer only describes the schema.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text=gettext_lazy(
            "Messages per field; non_field_errors for the request as a whole. Empty when no field is at fault."
        ),
    )


# --- Filters ---------------------------------------------------------------------------------

# The largest key a BigAutoField holds: a larger number cannot even be compared by the database.
MAX_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """A filter by a row's id: a whole number a key can hold, so that 1.5 or 10**30 is a 400, not a 500."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class IntegerFilter(django_filters.NumberFilter):
    """A filter by a whole number, within the range its column holds."""

    field_class = forms.IntegerField


def integer_column_range(field) -> dict:
    low, high = connection.ops.integer_field_range(field.get_internal_type())
    return {"min_value": low, "max_value": high}


class FilterSet(django_filters.rest_framework.FilterSet):
    """The API's filter sets: a reference named in Meta.fields (?community=3) is an IdFilter.

    django-filter's default, a ModelChoiceFilter, reads the row to check the id: one more query
    per filter on every request of a list, and a 400 that tells the caller an id exists where
    another community's id, filtered by visibility, matches nothing. Here any well-formed id is
    taken as given, and one that names no row the caller sees matches nothing either.
    """

    FILTER_DEFAULTS = {
        **django_filters.rest_framework.FilterSet.FILTER_DEFAULTS,
        models.ForeignKey: {"filter_class": IdFilter},
        models.OneToOneField: {"filter_class": IdFilter},
        # A number filter on an integer column (?score=) takes only what the column holds.
        **{
            integer_field: {"filter_class": IntegerFilter, "extra": integer_column_range}
            for integer_field in (
                models.IntegerField,
                models.SmallIntegerField,
                models.BigIntegerField,
                models.PositiveIntegerField,
                models.PositiveSmallIntegerField,
                models.PositiveBigIntegerField,
                models.AutoField,
                models.BigAutoField,
                models.SmallAutoField,
            )
        },
    }

    def get_form_class(self):
        """The filters' form, refusing dates outside the plausible years and offsets beyond ±14:00.

        Checked on the cleaned values, so that every date filter (a day, a range's two ends, a
        date-time) of every filter set is held to common.bounds, declared or derived.
        """
        form_class = super().get_form_class()

        def clean(form):
            cleaned = form_class.clean(form)
            for name, value in list(cleaned.items()):
                error = date_error(value)
                if error:
                    form.add_error(name, error)
            return form.cleaned_data

        return type(form_class.__name__, (form_class,), {"clean": clean})


# --- Visibility ------------------------------------------------------------------------------


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference by id, in a request body, to a row the caller may see.

    Another community's id reads exactly as one that does not exist (400 on the field).
    """

    def get_queryset(self):
        return super().get_queryset().visible_to(self.context["request"].user)


class ParentRelatedField(VisibleRelatedField):
    """The record a new one hangs from (a report's project, an application's call), looked up like
    a detail URL: one the caller cannot see is a 404 that says nothing, as its URL would be.

    Declare it first in its serializer, so the 404 comes before any error about the other fields.
    """

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            if any(detail.code == "does_not_exist" for detail in error.detail):
                raise exceptions.NotFound() from error
            raise


if TYPE_CHECKING:
    from rest_framework.views import APIView
    from rest_framework.viewsets import ViewSetMixin

    # The mixin is only ever combined with a view, whose request it reads.
    _APIView = APIView
else:
    _APIView = object


class ActionInputMixin(_APIView):
    """The one way the API reads a write's body: a serializer that checks shape and types only (a 400
    naming the field when they are wrong); the values are then the domain service's to judge.

    The result is a fresh dict, so the action may pop what it passes on separately.
    """

    def action_input(self, serializer_class, **context) -> dict:
        # A plain ViewSet (no model behind it) has no serializer context of its own: the request is enough.
        given = self.get_serializer_context() if hasattr(self, "get_serializer_context") else {"request": self.request}
        serializer = serializer_class(data=self.request.data, context={**given, **context})
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


class VisibleToMixin:
    """Viewsets list and look up only `Model.objects.visible_to(user)`: another community's row is a 404.

    The class's `queryset` carries select_related/prefetch_related for the serializer; the
    visibility rule is applied on top of it, per request.
    """

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset.none()
        return self.queryset.all().visible_to(self.request.user)


# One resource of an app's API, for the project's router: (URL prefix, viewset, basename).
Route: TypeAlias = "tuple[str, type[ViewSetMixin], str]"
