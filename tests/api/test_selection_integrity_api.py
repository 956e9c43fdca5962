"""The API gives the selection pages' refusals: one call under way per project, the minimum window, reviews after it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coproduction.models import Call, CallStatus, Review, Stage
from coproduction.services import selection
from tests.api.test_selection_api import CRITERIA, apply, close, post, review, review_by_two, scores
from tests.factories import CallFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def body(project, **overrides):
    deadline = (timezone.now() + timedelta(days=10)).isoformat()
    return {
        "project": project.pk,
        "title": "Dining hall operator",
        "deadline": deadline,
        "criteria": CRITERIA,
        **overrides,
    }


@pytest.fixture
def project(community):
    return ProjectFactory(community=community, stage=Stage.DESIGN)


@pytest.fixture
def call(project, official):
    return selection.call_open(
        project=project,
        title="Dining hall operator",
        deadline=timezone.now() + timedelta(days=10),
        criteria=[("Experience", 60), ("Price", 40)],
        user=official,
    )


def test_a_second_call_on_a_project_is_a_409_naming_the_call_under_way(client_for, official, project):
    CallFactory(project=project, title="Day care operator", status=CallStatus.REVIEWING)

    response = post(client_for(official), "/api/v1/calls/", body(project))

    assert response.status_code == 409
    assert response.data["code"] == "call_already_open"
    assert "“Day care operator” (Under review)" in response.data["message"]
    assert Call.objects.filter(project=project).count() == 1


def test_a_call_opens_beside_decided_ones(client_for, official, project):
    CallFactory(project=project, status=CallStatus.CANCELLED)
    assert post(client_for(official), "/api/v1/calls/", body(project)).status_code == 201


def test_a_deadline_inside_the_minimum_window_is_a_400_saying_the_earliest_allowed(client_for, official, project):
    soon = (timezone.now() + timedelta(minutes=14)).isoformat()

    response = post(client_for(official), "/api/v1/calls/", body(project, deadline=soon))

    assert response.status_code == 400
    assert response.data["code"] == "deadline_too_soon"
    [message] = response.data["errors"]["deadline"]
    assert message.startswith("Organisations need at least 7 days to apply: the earliest deadline allowed is ")
    assert not Call.objects.exists()


def test_a_review_before_the_deadline_says_when_reviews_open(client_for, official, call):
    application = apply(call)

    response = review(client_for(official), application, {"scores": scores(call, 90, 50)})

    assert response.status_code == 400
    assert response.data["code"] == "applications_open"
    assert response.data["message"].startswith("Applications are open until ")
    assert not Review.objects.exists()


def test_after_the_award_the_project_may_open_its_next_call(client_for, official, call, community):
    application = apply(call)
    close(call)
    review_by_two(call, application, community, 80, 70)
    client = client_for(official)

    awarded = post(client, f"/api/v1/calls/{call.pk}/award/", {"application": application.pk, "reason": "Best."})

    assert awarded.status_code == 200 and awarded.data["status"] == CallStatus.AWARDED
    assert post(client, "/api/v1/calls/", body(call.project, title="Next term")).status_code == 201
