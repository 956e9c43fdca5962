"""Participations and contributions: who sees them, their filters, and recording a contribution through the API."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditAction, AuditEntry
from coproduction.models import Contribution, Project
from tests.factories import (
    ContributionFactory,
    MembershipFactory,
    OfficialPostFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


def ids(response) -> set[int]:
    return {row["id"] for row in response.data["results"]}


@pytest.fixture
def project(community):
    return ProjectFactory(community=community)


@pytest.fixture
def government(project):
    """The street office takes part as co-funder, so that its money makes the government's share."""
    return ParticipationFactory(project=project, organisation=OrganisationFactory(government=True), role="co_funder")


def contribute(client, participation, **fields):
    body = {
        "participation": participation.pk,
        "kind": "money",
        "value": "6000.00",
        "contributed_on": "2025-03-01",
        **fields,
    }
    return client.post("/api/v1/contributions/", body, format="json")


# --- participations ----------------------------------------------------------------------------


def test_an_official_lists_the_participations_of_their_communitys_projects(client_for, official, project):
    mine = ParticipationFactory(project=project)
    ParticipationFactory()
    response = client_for(official).get("/api/v1/participations/")
    assert response.status_code == 200
    assert ids(response) == {mine.pk}
    assert response.data["results"][0]["organisation_name"] == mine.organisation.name


def test_staff_see_every_participant_of_the_projects_they_take_part_in(client_for, project):
    own = ParticipationFactory(project=project)
    partner = ParticipationFactory(project=project, role="co_funder")
    ParticipationFactory()
    staff = MembershipFactory(organisation=own.organisation).user
    assert ids(client_for(staff).get("/api/v1/participations/")) == {own.pk, partner.pk}


def test_a_resident_sees_who_takes_part_in_their_communitys_projects(client_for, resident, project):
    mine = ParticipationFactory(project=project)
    ParticipationFactory()
    assert ids(client_for(resident.user).get("/api/v1/participations/")) == {mine.pk}


def test_another_communitys_participation_is_a_404(client_for, official, other_community):
    theirs = ParticipationFactory(project=ProjectFactory(community=other_community))
    response = client_for(official).get(f"/api/v1/participations/{theirs.pk}/")
    assert response.status_code == 404
    assert response.data["code"] == "not_found"


def test_participations_are_filtered_by_community_role_and_organisation(client_for, administrator, project):
    lead = ParticipationFactory(project=project, role="lead")
    ParticipationFactory(project=project)
    ParticipationFactory(role="lead")
    url = f"/api/v1/participations/?community={project.community_id}&role=lead&organisation={lead.organisation_id}"
    assert ids(client_for(administrator).get(url)) == {lead.pk}


def test_participations_are_filtered_by_project_and_whether_they_left(client_for, official, project):
    current = ParticipationFactory(project=project)
    ParticipationFactory(project=project, role="co_funder", left_on="2025-06-30")
    ParticipationFactory(project=ProjectFactory(community=project.community))
    url = f"/api/v1/participations/?project={project.pk}&current=true"
    assert ids(client_for(official).get(url)) == {current.pk}


# --- contributions: reading --------------------------------------------------------------------


def test_an_official_lists_the_contributions_of_their_communitys_projects(client_for, official, project):
    mine = ContributionFactory(participation=ParticipationFactory(project=project))
    ContributionFactory()
    response = client_for(official).get("/api/v1/contributions/")
    assert ids(response) == {mine.pk}
    row = response.data["results"][0]
    assert (row["project"], row["participation"], row["organisation"]) == (
        project.pk,
        mine.participation_id,
        mine.participation.organisation_id,
    )


def test_a_resident_sees_what_is_put_into_their_communitys_projects(client_for, resident, project):
    mine = ContributionFactory(participation=ParticipationFactory(project=project))
    ContributionFactory()
    assert ids(client_for(resident.user).get("/api/v1/contributions/")) == {mine.pk}


def test_another_communitys_contribution_is_a_404(client_for, official, other_community):
    theirs = ContributionFactory(participation=ParticipationFactory(project=ProjectFactory(community=other_community)))
    assert client_for(official).get(f"/api/v1/contributions/{theirs.pk}/").status_code == 404


def test_contributions_are_filtered_by_contributor_kind_kind_and_date(client_for, official, project, government):
    money = ContributionFactory(participation=government, contributed_on="2025-03-01")
    ContributionFactory(participation=government, kind="facility", contributed_on="2025-03-01")
    ContributionFactory(participation=government, contributed_on="2024-03-01")
    ContributionFactory(participation=ParticipationFactory(project=project), contributed_on="2025-03-01")
    url = (
        "/api/v1/contributions/?contributor_kind=government&kind=money"
        "&contributed_on_after=2025-01-01&contributed_on_before=2025-12-31"
    )
    assert ids(client_for(official).get(url)) == {money.pk}


# --- contributions: recording ------------------------------------------------------------------


def test_an_official_records_a_contribution_and_the_government_share_follows(client_for, official, project, government):
    ContributionFactory(participation=ParticipationFactory(project=project), value=Decimal("4000.00"))
    response = contribute(client_for(official), government, description="Kitchen fit-out")
    assert response.status_code == 201
    contribution = Contribution.objects.get(pk=response.data["id"])
    assert (contribution.project, contribution.value, contribution.description) == (
        project,
        Decimal("6000.00"),
        "Kitchen fit-out",
    )
    assert response.data["contributor_kind"] == "government"
    assert Project.objects.get(pk=project.pk).government_share == Decimal("0.6")
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, actor=official, object_id=str(contribution.pk)).exists()


def test_a_manager_of_the_contributor_records_its_contribution(client_for, manager_of, project):
    participation = ParticipationFactory(project=project)
    response = contribute(
        client_for(manager_of(participation.organisation)),
        participation,
        kind="labour_hours",
        quantity="120",
        unit="hours",
        value="3600.00",
    )
    assert response.status_code == 201
    assert Contribution.objects.get(participation=participation).quantity == Decimal("120")


def test_plain_staff_of_the_contributor_may_not_record_it(client_for, project):
    participation = ParticipationFactory(project=project)
    staff = MembershipFactory(organisation=participation.organisation).user
    response = contribute(client_for(staff), participation)
    assert response.status_code == 403
    assert not Contribution.objects.exists()


def test_a_resident_may_not_record_a_contribution(client_for, resident, government):
    assert contribute(client_for(resident.user), government).status_code == 403
    assert not Contribution.objects.exists()


def test_a_contribution_to_another_communitys_project_is_a_404(client_for, official, other_community):
    theirs = ParticipationFactory(project=ProjectFactory(community=other_community))
    response = contribute(client_for(official), theirs)
    assert response.status_code == 404
    assert response.data["code"] == "not_found"
    assert not Contribution.objects.exists()


def test_a_contribution_without_value_or_with_an_unknown_kind_is_a_400_naming_both(client_for, official, government):
    response = client_for(official).post(
        "/api/v1/contributions/",
        {"participation": government.pk, "kind": "favours", "contributed_on": "2025-03-01"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.data["errors"]) == {"kind", "value"}
    assert not Contribution.objects.exists()


def test_a_negative_contribution_is_refused_by_the_domain(client_for, official, project, government):
    response = contribute(client_for(official), government, value="-5.00")
    assert response.status_code == 400
    assert response.data["message"] == "A contribution cannot be worth less than nothing."
    assert not Contribution.objects.exists()
    assert Project.objects.get(pk=project.pk).government_share is None


# --- query counts ------------------------------------------------------------------------------


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize("url", ["/api/v1/participations/", "/api/v1/contributions/"])
def test_a_list_keeps_its_query_count_from_5_to_50_rows(url, client_for, community, django_assert_num_queries):
    project = ProjectFactory(community=community)
    build = {
        "/api/v1/participations/": lambda: ParticipationFactory(project=project),
        "/api/v1/contributions/": lambda: ContributionFactory(participation=ParticipationFactory(project=project)),
    }[url]
    client = client_for(OfficialPostFactory(community=community).user)
    for _ in range(5):
        build()
    at_five = queries_for(client, url)
    for _ in range(45):
        build()
    with django_assert_num_queries(at_five):
        response = client.get(url)
    assert response.data["count"] == 50
