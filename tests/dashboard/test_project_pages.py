"""The officials' project pages: the list with filters, a project's detail, lifecycle moves, authority."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from coproduction.models import GovernanceLevel, ParticipationRole, Project, ProjectTransition, Stage
from tests import factories
from tests.pages import administrator, official_of, queries_to_get, resident_user_of, street_official_of

pytestmark = pytest.mark.django_db
PROJECTS = reverse("dashboard:project_list")


def detail_url(project, name="dashboard:project_detail"):
    return reverse(name, kwargs={"pk": project.pk})


def full_project(community, **kwargs):
    """A project with a provider, a contribution, a duty and a past transition."""
    project = factories.ProjectFactory(community=community, **kwargs)
    participation = factories.ParticipationFactory(project=project)
    factories.ContributionFactory(participation=participation)
    factories.DutyFactory(project=project, accountable=participation)
    factories.ProjectTransitionFactory(project=project)
    return project


# --- The list ----------------------------------------------------------------------------------------


def test_visitors_are_sent_to_the_login_page(client):
    response = client.get(PROJECTS)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_residents_are_refused_the_project_pages(client):
    project = factories.ProjectFactory()
    client.force_login(resident_user_of(project.community))
    assert client.get(PROJECTS).status_code == 403
    assert client.get(detail_url(project)).status_code == 403


def test_the_list_shows_only_the_officials_communities(client):
    mine = factories.ProjectFactory(name="Dining hall")
    factories.ProjectFactory(name="Elsewhere")
    client.force_login(official_of(mine.community))
    assert list(client.get(PROJECTS).context["page_obj"]) == [mine]


def test_the_list_filters_by_stage_mode_and_community(client):
    street = factories.StreetFactory()
    houtai, other = factories.CommunityFactory.create_batch(2, street=street)
    wanted = factories.ProjectFactory(
        community=houtai, stage=Stage.DESIGN, governance_authority=GovernanceLevel.HIGH, government_share="0.8"
    )
    factories.ProjectFactory(community=houtai, stage=Stage.OPERATION)
    factories.ProjectFactory(community=other, stage=Stage.DESIGN)
    client.force_login(street_official_of(street))

    response = client.get(PROJECTS, {"stage": "design", "mode": "administrative_absorption", "community": houtai.code})

    assert list(response.context["page_obj"]) == [wanted]


def test_the_list_makes_as_many_queries_for_30_projects_as_for_3(client):
    small, large = factories.CommunityFactory(), factories.CommunityFactory()
    factories.ProjectFactory.create_batch(3, community=small)
    factories.ProjectFactory.create_batch(30, community=large)
    client.force_login(official_of(small))
    few = queries_to_get(client, PROJECTS)
    client.force_login(official_of(large))
    assert queries_to_get(client, PROJECTS) == few


# --- The detail -----------------------------------------------------------------------------------


def test_the_detail_shows_participants_contributions_duties_and_history(client):
    project = full_project(factories.CommunityFactory())
    client.force_login(official_of(project.community))

    response = client.get(detail_url(project))

    page = response.content.decode()
    participation = project.participations.get()
    assert participation.organisation.name in page
    assert project.duties.get().title in page
    assert "Partners agreed the division of labour." in page
    assert list(response.context["contributions"]) == list(project.contributions.all())


def test_another_communitys_project_is_not_found(client):
    client.force_login(official_of(factories.CommunityFactory()))
    assert client.get(detail_url(factories.ProjectFactory())).status_code == 404


def test_an_administrator_opens_any_project(client):
    client.force_login(administrator())
    assert client.get(detail_url(factories.ProjectFactory())).status_code == 200


def test_the_detail_makes_as_many_queries_with_10_participants_as_with_1(client):
    small, large = full_project(factories.CommunityFactory()), full_project(factories.CommunityFactory())
    for _ in range(9):
        participation = factories.ParticipationFactory(project=large)
        factories.ContributionFactory(participation=participation)
        factories.DutyFactory(project=large, accountable=participation)
        factories.ProjectTransitionFactory(project=large)
    client.force_login(official_of(small.community))
    few = queries_to_get(client, detail_url(small))
    client.force_login(official_of(large.community))
    assert queries_to_get(client, detail_url(large)) == few


# --- Moving through the lifecycle -------------------------------------------------------------------


def test_an_official_moves_a_ready_project_to_operation(client):
    project = factories.ProjectFactory(stage=Stage.DESIGN)
    factories.ParticipationFactory(project=project, role=ParticipationRole.PROVIDER)
    client.force_login(official_of(project.community))

    response = client.post(
        detail_url(project, "dashboard:project_move"),
        {
            "transition-to_stage": "operation",
            "transition-reason": "Partners agreed.",
        },
    )

    assert response.status_code == 302 and response.url == detail_url(project)
    project.refresh_from_db()
    assert project.stage == Stage.OPERATION
    assert ProjectTransition.objects.get(project=project).reason == "Partners agreed."


def test_the_refusal_says_what_is_missing_and_keeps_the_reason(client):
    project = factories.ProjectFactory(stage=Stage.DESIGN, budget=None)
    client.force_login(official_of(project.community))

    response = client.post(
        detail_url(project, "dashboard:project_move"),
        {
            "transition-to_stage": "operation",
            "transition-reason": "Partners agreed.",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "at least one provider must take part" in page and "the budget must be set" in page
    assert "Partners agreed." in page
    project.refresh_from_db()
    assert project.stage == Stage.DESIGN and not ProjectTransition.objects.exists()


def test_a_move_on_another_communitys_project_is_not_found(client):
    project = factories.ProjectFactory(stage=Stage.DESIGN)
    client.force_login(official_of(factories.CommunityFactory()))
    response = client.post(
        detail_url(project, "dashboard:project_move"),
        {
            "transition-to_stage": "operation",
            "transition-reason": "x",
        },
    )
    assert response.status_code == 404


# --- Governance authority ------------------------------------------------------------------------------


def test_an_official_sets_the_governance_authority_and_the_mode_follows(client):
    project = factories.ProjectFactory(government_share="0.2")
    client.force_login(official_of(project.community))

    response = client.post(
        detail_url(project, "dashboard:project_authority"),
        {
            "authority-governance_authority": "low",
            "authority-authority_reason": "The NGO leads.",
        },
    )

    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.governance_authority, project.mode) == ("low", "complementary_advantage")
    assert AuditEntry.objects.filter(object_id=str(project.pk)).exists()


def test_a_blank_reason_for_the_authority_is_refused_inline(client):
    project = factories.ProjectFactory()
    client.force_login(official_of(project.community))

    response = client.post(
        detail_url(project, "dashboard:project_authority"),
        {
            "authority-governance_authority": "low",
            "authority-authority_reason": "   ",
        },
    )

    assert response.status_code == 200
    assert response.context["authority_form"].errors
    assert Project.objects.get(pk=project.pk).governance_authority == ""
