"""Redis (the cache, the API's throttle counters and the Celery broker) stopped, then back.

Each test runs a private redis-server, points Django's cache and the Celery app at it, and
stops it. Pages and API calls must still succeed, the background work they asked for is kept
as MissedTask rows, and once Redis is back that work is sent and run once.
"""

import json
from base64 import b64decode

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accountability.models import Breach, BreachStatus
from accountability.services.breaches import breach_resolve
from evaluation.models import TrustScore
from evaluation.tasks import TRUST_JOB_NAME
from jobs.missed_tasks import missed_tasks_resend, send_or_record
from jobs.models import JobOutcome, JobRun, MissedTask
from partners.models import MembershipRole
from tests.factories import (
    BreachFactory,
    ClaimFactory,
    MembershipFactory,
    OfficialPostFactory,
    ProjectFactory,
    ResidentFactory,
    UserFactory,
)
from tests.reliability.fixtures import broker_and_cache_on, on_postgresql, redis_server, start_worker, token_for
from tests.reliability.servers import wait_until

pytestmark = pytest.mark.usefixtures("on_postgresql")

QUEUE = "celery"


def sent_messages(server) -> list[tuple[str, dict]]:
    """The (task, kwargs) of each message waiting in the server's default queue, oldest first."""
    messages = []
    for raw in reversed(server.client().lrange(QUEUE, 0, -1)):
        message = json.loads(raw)
        _args, kwargs, _embed = json.loads(b64decode(message["body"]))
        messages.append((message["headers"]["task"], kwargs))
    return messages


@pytest.mark.django_db
def test_with_redis_stopped_pages_and_api_calls_succeed_and_the_work_they_ask_for_is_kept_once(
    client, redis_server, broker_and_cache_on, django_capture_on_commit_callbacks
):
    broker_and_cache_on(redis_server)
    project = ProjectFactory()
    community = project.community
    first, second = BreachFactory.create_batch(2, project=project)
    official = OfficialPostFactory(community=community).user
    staff = MembershipFactory(organisation=first.organisation, role=MembershipRole.STAFF).user
    resident = ResidentFactory(community=community, user=UserFactory())
    ClaimFactory(resident=resident, task__project=first.project)
    redis_server.stop()

    client.force_login(official)
    assert client.get(reverse("dashboard:breach_list", kwargs={"code": community.code})).status_code == 200
    # Each write's background work is sent when its transaction commits, as it would be outside a test.
    with django_capture_on_commit_callbacks(execute=True):
        resolved_on_the_page = client.post(
            reverse("dashboard:breach_resolve", kwargs={"pk": first.pk}),
            {"resolution": "Kitchen cleaned.", "sanction": "warning"},
        )
    assert resolved_on_the_page.status_code == 302
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(official)}")
    listed = api.get("/api/v1/breaches/")
    assert listed.status_code == 200 and listed.data["count"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        resolved_by_api = api.post(
            f"/api/v1/breaches/{second.pk}/resolve/",
            {"resolution": "Paid the penalty.", "sanction": "none"},
            format="json",
        )
    assert resolved_by_api.status_code == 200
    client.force_login(staff)
    assert client.get(reverse("partner_portal:home")).status_code == 200
    client.force_login(resident.user)
    assert client.get(reverse("resident_portal:home")).status_code == 200

    assert set(Breach.objects.values_list("status", flat=True)) == {BreachStatus.RESOLVED}
    [missed] = MissedTask.objects.all()
    assert (missed.task, missed.kwargs) == (TRUST_JOB_NAME, {})
    assert "Connection refused" in missed.error


@pytest.mark.django_db
def test_the_catch_up_keeps_the_work_while_redis_is_down_and_sends_it_once_when_it_is_back(
    redis_server, broker_and_cache_on
):
    broker_and_cache_on(redis_server)
    redis_server.stop()
    for community_id in (5, 5, 6):
        send_or_record("accountability.recompute_accountability", {"community_id": community_id})

    assert missed_tasks_resend() == {"resent": 0, "waiting": 2}

    redis_server.start()
    assert missed_tasks_resend() == {"resent": 2, "waiting": 0}
    assert missed_tasks_resend() == {"resent": 0, "waiting": 0}
    assert sent_messages(redis_server) == [
        ("accountability.recompute_accountability", {"community_id": 5}),
        ("accountability.recompute_accountability", {"community_id": 6}),
    ]
    assert not MissedTask.objects.exists()


@pytest.mark.worker
def test_when_redis_is_back_a_starting_worker_sends_the_missed_work_and_runs_it_once(
    redis_server, broker_and_cache_on, start_worker
):
    broker_and_cache_on(redis_server)
    breaches = BreachFactory.create_batch(2)
    official = UserFactory(is_superuser=True, is_staff=True)
    redis_server.stop()
    for breach in breaches:
        breach_resolve(breach=breach, user=official, resolution="Warned.", sanction="warning")
    assert MissedTask.objects.filter(task=TRUST_JOB_NAME).count() == 1

    redis_server.start()
    worker = start_worker(redis_server)
    worker.wait_until_ready()

    trust_runs = JobRun.objects.filter(job=TRUST_JOB_NAME)
    worker.wait_for(
        lambda: trust_runs.exclude(outcome=JobOutcome.RUNNING).exists(),
        what="the worker to run the missed trust-score job",
    )
    assert list(trust_runs.values_list("outcome", flat=True)) == [JobOutcome.SUCCEEDED]
    assert not MissedTask.objects.exists()
    assert TrustScore.objects.filter(organisation__in=[breach.organisation for breach in breaches]).count() == 2
    wait_until(lambda: redis_server.client().llen(QUEUE) == 0, what="the queue to be empty", timeout=10)
    assert trust_runs.count() == 1
