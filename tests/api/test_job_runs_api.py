"""Runs of the periodic jobs: administrators see all, officials their communities' and the all-community runs."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobs.models import JobOutcome, JobRun
from tests.factories import (
    CommunityFactory,
    JobRunFactory,
    MembershipFactory,
    OfficialPostFactory,
    StreetFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def ids(response) -> set[int]:
    return {row["id"] for row in response.data["results"]}


def hours_ago(hours: int):
    return timezone.now() - timedelta(hours=hours)


def test_an_administrator_sees_every_run(client_for, administrator, community, other_community):
    runs = [JobRunFactory(community=community), JobRunFactory(community=other_community), JobRunFactory()]
    response = client_for(administrator).get("/api/v1/job-runs/")
    assert response.status_code == 200
    assert ids(response) == {run.pk for run in runs}


def test_an_official_sees_their_communitys_runs_and_those_over_all_communities(
    client_for, official, community, other_community
):
    mine, everywhere = JobRunFactory(community=community), JobRunFactory(community=None)
    JobRunFactory(community=other_community)
    response = client_for(official).get("/api/v1/job-runs/")
    assert ids(response) == {mine.pk, everywhere.pk}
    row = next(row for row in response.data["results"] if row["id"] == mine.pk)
    assert (row["community"], row["community_name"], row["outcome"]) == (
        community.pk,
        community.name,
        JobOutcome.SUCCEEDED,
    )


def test_an_official_gets_404_for_another_communitys_run(client_for, official, other_community):
    theirs = JobRunFactory(community=other_community)
    response = client_for(official).get(f"/api/v1/job-runs/{theirs.pk}/")
    assert response.status_code == 404
    assert response.data == {"message": "Not found.", "code": "not_found", "errors": {}}


def test_a_street_official_sees_the_runs_of_every_community_on_their_street(client_for):
    street = StreetFactory()
    runs = [JobRunFactory(community=CommunityFactory(street=street)) for _ in range(2)]
    JobRunFactory(community=CommunityFactory())
    street_official = OfficialPostFactory(community=None, street=street).user
    assert ids(client_for(street_official).get("/api/v1/job-runs/")) == {run.pk for run in runs}


@pytest.mark.parametrize("who", ["resident", "staff", "no role"])
def test_residents_staff_and_users_without_a_role_see_no_runs(who, client_for, resident, community):
    run = JobRunFactory(community=community)
    JobRunFactory(community=None)
    user = {"resident": resident.user, "staff": MembershipFactory().user, "no role": UserFactory()}[who]
    client = client_for(user)
    assert client.get("/api/v1/job-runs/").data["count"] == 0
    assert client.get(f"/api/v1/job-runs/{run.pk}/").status_code == 404


def test_an_anonymous_caller_is_refused_with_401(client_for):
    JobRunFactory()
    assert client_for().get("/api/v1/job-runs/").status_code == 401


def test_the_visibility_rule_is_the_querysets(official, community, other_community):
    mine, everywhere = JobRunFactory(community=community), JobRunFactory(community=None)
    JobRunFactory(community=other_community)
    assert set(JobRun.objects.visible_to(official)) == {mine, everywhere}
    assert not JobRun.objects.visible_to(UserFactory()).exists()


def test_runs_are_filtered_by_job_and_outcome(client_for, administrator):
    wanted = JobRunFactory(job="evaluation.trust_scores", outcome=JobOutcome.FAILED, error="boom")
    JobRunFactory(job="evaluation.trust_scores")
    JobRunFactory(outcome=JobOutcome.FAILED, error="boom")
    url = "/api/v1/job-runs/?job=evaluation.trust_scores&outcome=failed"
    assert ids(client_for(administrator).get(url)) == {wanted.pk}


def test_runs_are_filtered_by_community_or_to_those_over_all_communities(client_for, administrator, community):
    for_community, everywhere = JobRunFactory(community=community), JobRunFactory(community=None)
    JobRunFactory(community=CommunityFactory())
    client = client_for(administrator)
    assert ids(client.get(f"/api/v1/job-runs/?community={community.pk}")) == {for_community.pk}
    assert ids(client.get("/api/v1/job-runs/?all_communities=true")) == {everywhere.pk}


def test_runs_are_filtered_by_the_start_time_range(client_for, administrator):
    wanted = JobRunFactory(started_at=hours_ago(5))
    JobRunFactory(started_at=hours_ago(30))
    JobRunFactory(started_at=hours_ago(1))
    after, before = hours_ago(10).isoformat(), hours_ago(2).isoformat()
    response = client_for(administrator).get(
        "/api/v1/job-runs/", {"started_at_after": after, "started_at_before": before}
    )
    assert ids(response) == {wanted.pk}


def test_runs_come_newest_first_and_may_be_ordered_by_job(client_for, administrator):
    old = JobRunFactory(job="b.job", started_at=hours_ago(3))
    new = JobRunFactory(job="a.job", started_at=hours_ago(1))
    client = client_for(administrator)
    assert [row["id"] for row in client.get("/api/v1/job-runs/").data["results"]] == [new.pk, old.pk]
    assert [row["id"] for row in client.get("/api/v1/job-runs/?ordering=-job").data["results"]] == [old.pk, new.pk]


def test_an_invalid_outcome_filter_is_a_400_naming_the_field(client_for, administrator):
    response = client_for(administrator).get("/api/v1/job-runs/?outcome=exploded")
    assert response.status_code == 400
    assert "outcome" in response.data["errors"]


@pytest.mark.parametrize("role", ["official", "administrator"])
def test_the_list_keeps_its_query_count_from_5_to_50_runs(
    role, client_for, official, administrator, community, django_assert_num_queries
):
    client = client_for(official if role == "official" else administrator)
    for _ in range(5):
        JobRunFactory(community=community)
    with CaptureQueriesContext(connection) as at_five:
        assert client.get("/api/v1/job-runs/").status_code == 200
    for _ in range(45):
        JobRunFactory(community=community)
    with django_assert_num_queries(len(at_five)):
        response = client.get("/api/v1/job-runs/")
    assert response.data["count"] == 50
