"""Where a list request's time goes, in this process: the stages of the request, each timed.

The load test gives each list's share of the bare view's throughput; this section says why it is
what it is. The list endpoints of the load test and the bare view are requested in process, as
the same requests with the same tokens, and the framework's stages are timed by wrapping the
methods that run them (the wrappers are removed afterwards):

- authentication (the token's lookup) and throttling (the counters in the cache);
- filtering (the filter set built and checked; the query is only built here);
- the page: the list's one query, run and its rows made into objects;
- serializing the rows, and rendering the JSON;
- the rest: middleware, routing, the view's own dispatch.

The time spent in the database is the statements' total, part of the first and the page. Two
references are timed the same way: the bare view, and a DRF view that authenticates the same
token and does nothing else (what every API request pays before its view's own work).
"""

import time
from contextlib import ExitStack, contextmanager
from functools import wraps

from django.db import connection
from django.test import Client
from rest_framework.authentication import TokenAuthentication
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.serializers import ListSerializer
from rest_framework.views import APIView

from bench.urls import CEILING_PATH, TOKEN_ONLY_PATH

STAGES = {
    "authentication": (TokenAuthentication, "authenticate"),
    "throttling": (APIView, "check_throttles"),
    "filtering": (GenericAPIView, "filter_queryset"),
    "page": (GenericAPIView, "paginate_queryset"),
    "serializing": (ListSerializer, "to_representation"),
    "rendering": (JSONRenderer, "render"),
}


@contextmanager
def _timed(owner, name: str, totals: dict, stage: str):
    original = owner.__dict__[name]

    @wraps(original)
    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            totals[stage] += time.perf_counter() - started

    setattr(owner, name, timed)
    try:
        yield
    finally:
        setattr(owner, name, original)


def _database_clock(totals: dict):
    def clock(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            totals["database"] += time.perf_counter() - started

    return clock


def _anatomy(endpoint, requests: int) -> dict:
    client = Client(HTTP_HOST="127.0.0.1")

    def send(number: int) -> None:
        request = endpoint.next_request(0, number)
        headers = {f"HTTP_{key.upper().replace('-', '_')}": value for key, value in request.headers.items()}
        response = client.generic(request.method, request.path, **headers)
        if response.status_code != 200:
            raise RuntimeError(f"{request.path} answered {response.status_code}")

    send(0)  # warm: imports, translations, the filter set's form class
    totals = dict.fromkeys([*STAGES, "database"], 0.0)
    with ExitStack() as stack:
        for stage, (owner, name) in STAGES.items():
            stack.enter_context(_timed(owner, name, totals, stage))
        stack.enter_context(connection.execute_wrapper(_database_clock(totals)))
        started = time.perf_counter()
        for number in range(1, requests + 1):
            send(number)
        whole = time.perf_counter() - started
    per_request = {stage: seconds * 1000 / requests for stage, seconds in totals.items()}
    per_request["rest"] = whole * 1000 / requests - sum(per_request[stage] for stage in STAGES)
    return {
        "request_ms": round(whole * 1000 / requests, 2),
        "stages_ms": {stage: round(ms, 2) for stage, ms in per_request.items()},
    }


def _reference_ms(path: str, requests: int, headers: dict) -> float:
    client = Client(HTTP_HOST="127.0.0.1", headers=headers)
    if client.get("/" + path).status_code != 200:
        raise RuntimeError(f"{path} did not answer 200")
    started = time.perf_counter()
    for _ in range(requests):
        client.get("/" + path)
    return round((time.perf_counter() - started) * 1000 / requests, 2)


def measure(endpoints, requests: int = 200) -> dict:
    lists = {endpoint.name: _anatomy(endpoint, requests) for endpoint in endpoints if endpoint.is_list}
    ceiling = _reference_ms(CEILING_PATH, requests, {})
    # The same token a list is asked with: what authenticating it costs before any work of the view's.
    token = next(endpoint for endpoint in endpoints if endpoint.is_list).next_request(0, 0).headers
    token_only = _reference_ms(TOKEN_ONLY_PATH, requests, token)
    for result in lists.values():
        result["times_the_bare_view"] = round(result["request_ms"] / ceiling, 1)
    return {
        "requests": requests,
        "bare_view_ms": ceiling,
        "token_only_view_ms": token_only,
        "token_only_times_the_bare_view": round(token_only / ceiling, 1),
        "lists": lists,
    }
