"""Projects, tasks and claims: scoping to the caller's communities and organisations, and filters."""

from datetime import date

import pytest

from coproduction.models import Stage
from tests.factories import (
    ClaimFactory,
    MembershipFactory,
    ParticipationFactory,
    ProjectFactory,
    TaskFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def ids(response) -> set[int]:
    return {row["id"] for row in response.data["results"]}


def test_an_official_lists_their_communitys_projects_only(client_for, official, community):
    mine = ProjectFactory(community=community)
    ProjectFactory()
    assert ids(client_for(official).get("/api/v1/projects/")) == {mine.pk}


def test_an_official_of_community_a_gets_404_for_community_bs_project(client_for, official, other_community):
    theirs = ProjectFactory(community=other_community)
    response = client_for(official).get(f"/api/v1/projects/{theirs.pk}/")
    assert response.status_code == 404
    assert response.data["code"] == "not_found"


def test_staff_see_the_projects_their_organisation_takes_part_in(client_for):
    participation = ParticipationFactory()
    ProjectFactory()
    staff = MembershipFactory(organisation=participation.organisation).user
    assert ids(client_for(staff).get("/api/v1/projects/")) == {participation.project_id}


def test_projects_are_filtered_by_stage_and_start_date_range(client_for, official, community):
    running = ProjectFactory(community=community, start_date=date(2025, 3, 1))
    ProjectFactory(community=community, stage=Stage.DESIGN, start_date=date(2025, 3, 1))
    ProjectFactory(community=community, start_date=date(2024, 1, 1))
    url = "/api/v1/projects/?stage=operation&start_date_after=2025-01-01&start_date_before=2025-12-31"
    assert ids(client_for(official).get(url)) == {running.pk}


def test_projects_are_searched_and_ordered(client_for, official, community):
    ProjectFactory(community=community, name="Dining hall B")
    ProjectFactory(community=community, name="Dining hall A")
    ProjectFactory(community=community, name="Green plots")
    response = client_for(official).get("/api/v1/projects/?search=dining&ordering=-name")
    assert [row["name"] for row in response.data["results"]] == ["Dining hall B", "Dining hall A"]


def test_a_page_size_above_the_maximum_is_capped_at_200(client_for, official, community):
    ProjectFactory(community=community)
    response = client_for(official).get("/api/v1/projects/?page_size=1000")
    assert response.status_code == 200
    assert response.data["count"] == 1


def test_a_resident_lists_the_tasks_of_their_community(client_for, resident, community):
    mine = TaskFactory(project=ProjectFactory(community=community))
    TaskFactory()
    assert ids(client_for(resident.user).get("/api/v1/tasks/")) == {mine.pk}


def test_tasks_are_filtered_by_project_status_and_kind(client_for, official, community):
    project = ProjectFactory(community=community)
    plot = TaskFactory(project=project)
    TaskFactory(project=project, kind="cleaning")
    TaskFactory(project=ProjectFactory(community=community))
    response = client_for(official).get(f"/api/v1/tasks/?project={project.pk}&status=open&kind=green_plot")
    assert ids(response) == {plot.pk}


def test_a_resident_sees_only_their_own_claims(client_for, resident, community):
    task = TaskFactory(project=ProjectFactory(community=community), capacity=2)
    own = ClaimFactory(task=task, resident=resident)
    ClaimFactory(task=task)
    response = client_for(resident.user).get("/api/v1/claims/")
    assert ids(response) == {own.pk}
    assert response.data["results"][0]["resident_phone"] == resident.phone


def test_provider_staff_see_the_projects_claims_with_masked_phones(client_for):
    participation = ParticipationFactory()
    claim = ClaimFactory(task=TaskFactory(project=participation.project), resident__phone="13912345678")
    staff = MembershipFactory(organisation=participation.organisation).user
    response = client_for(staff).get(f"/api/v1/claims/?task={claim.task_id}&status=active")
    assert ids(response) == {claim.pk}
    assert response.data["results"][0]["resident_phone"] == "139****5678"


def test_an_official_sees_claims_of_their_community_unmasked_but_not_others(client_for, official, community):
    mine = ClaimFactory(task=TaskFactory(project=ProjectFactory(community=community)), resident__phone="13912345678")
    theirs = ClaimFactory()
    client = client_for(official)
    assert client.get(f"/api/v1/claims/{mine.pk}/").data["resident_phone"] == "13912345678"
    assert client.get(f"/api/v1/claims/{theirs.pk}/").status_code == 404


def test_a_user_without_a_role_sees_no_projects(client_for):
    ProjectFactory()
    assert client_for(UserFactory()).get("/api/v1/projects/").data["count"] == 0


def test_another_communitys_resident_gets_404_for_a_task(client_for, resident):
    task = TaskFactory()
    assert client_for(resident.user).get(f"/api/v1/tasks/{task.pk}/").status_code == 404
