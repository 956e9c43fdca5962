"""The officials' community dashboard, rendered in this process: server time and query count.

The page is requested for the busiest district community and for the smallest community of the
ordinary demo: the same query count for both shows that it does not grow with the data.
"""

import time

from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from bench.load import percentile
from bench.sessions import signed_in_client
from partners.models import Community, OfficialPost, User

P95_TARGET_MS = 150


def _community_with_official(order: str) -> tuple[Community | None, User]:
    communities = (
        Community.objects.filter(official_posts__isnull=False)
        .annotate(size=Count("projects__duties", distinct=True))
        .order_by(order, "code")
    )
    community = communities.first()
    official = OfficialPost.objects.filter(community=community).select_related("user").order_by("pk")[0].user
    return community, official


def _measure_page(community, official, requests: int) -> dict:
    browser = signed_in_client(official)
    path = f"/dashboard/communities/{community.code}/"
    response = browser.get(path)  # warm: templates compiled, translations loaded
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    timings, queries = [], None
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            browser.get(path)
            timings.append(time.perf_counter() - started)
        queries = len(captured)
    return {
        "community": community.code,
        "duties": community.size,
        "path": path,
        "requests": requests,
        "p50_ms": _ms(timings, 0.5),
        "p95_ms": _ms(timings, 0.95),
        "queries": queries,
    }


def _ms(timings: list[float], share: float) -> float:
    value = percentile(timings, share)
    assert value is not None, "no request was timed"
    return round(value * 1000, 1)


def measure(requests: int = 30) -> dict:
    largest = _measure_page(*_community_with_official("-size"), requests)
    smallest = _measure_page(*_community_with_official("size"), requests)
    return {
        "largest_community": largest,
        "smallest_community": smallest,
        "query_count_independent_of_size": largest["queries"] == smallest["queries"],
        "targets": {"p95_ms_below": P95_TARGET_MS},
        "meets_target": largest["p95_ms"] < P95_TARGET_MS and largest["queries"] == smallest["queries"],
    }
