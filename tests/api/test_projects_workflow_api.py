"""POST /projects/{id}/transition/ and /set-authority/, and the project detail: the lifecycle through the API."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditAction, AuditEntry
from coproduction.models import GovernanceLevel, Mode, Project, ProjectTransition, Stage
from tests.factories import (
    MembershipFactory,
    OfficialPostFactory,
    ParticipationFactory,
    ProjectFactory,
    ProjectTransitionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(community):
    """A design-stage project with a provider, dates and a budget: nothing blocks its move to operation."""
    project = ProjectFactory(community=community, stage=Stage.DESIGN)
    ParticipationFactory(project=project)
    return project


def transition(client, project, to_stage="operation", reason="The division of labour is agreed."):
    return client.post(
        f"/api/v1/projects/{project.pk}/transition/", {"to_stage": to_stage, "reason": reason}, format="json"
    )


def set_authority(client, project, level="high", reason="The street office leads the dining hall."):
    return client.post(
        f"/api/v1/projects/{project.pk}/set-authority/",
        {"governance_authority": level, "authority_reason": reason},
        format="json",
    )


def audited(project, action, actor) -> bool:
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Project), object_id=str(project.pk), action=action, actor=actor
    ).exists()


# --- transition --------------------------------------------------------------------------------


def test_an_official_moves_a_ready_project_into_operation(client_for, official, ready):
    response = transition(client_for(official), ready)
    assert response.status_code == 201
    assert response.data["from_stage"] == Stage.DESIGN and response.data["to_stage"] == Stage.OPERATION
    assert Project.objects.get(pk=ready.pk).stage == Stage.OPERATION
    moved = ProjectTransition.objects.get(project=ready)
    assert (moved.pk, moved.by, moved.reason) == (response.data["id"], official, "The division of labour is agreed.")
    assert audited(ready, AuditAction.TRANSITION, official)


def test_an_administrator_moves_a_project(client_for, administrator, ready):
    assert transition(client_for(administrator), ready).status_code == 201
    assert Project.objects.get(pk=ready.pk).stage == Stage.OPERATION


def test_a_blocked_move_is_a_400_whose_message_names_everything_missing(client_for, official, community):
    project = ProjectFactory(community=community, stage=Stage.DESIGN, budget=None)
    response = transition(client_for(official), project)
    assert response.status_code == 400
    assert response.data["code"] == "transition_blocked"
    assert response.data["message"] == (
        "The project cannot move to Operation yet: at least one provider must take part; the budget must be set."
    )
    assert Project.objects.get(pk=project.pk).stage == Stage.DESIGN
    assert not ProjectTransition.objects.exists()


def test_a_guard_of_a_higher_app_blocks_the_move_too(client_for, official, community):
    project = ProjectFactory(community=community, stage=Stage.EVALUATION)
    response = transition(client_for(official), project, to_stage="closed")
    assert response.status_code == 400
    assert response.data["message"] == "The project cannot move to Closed yet: a final evaluation must be recorded."
    assert Project.objects.get(pk=project.pk).stage == Stage.EVALUATION


def test_a_move_the_lifecycle_does_not_allow_is_a_400(client_for, official, ready):
    response = transition(client_for(official), ready, to_stage="closed")
    assert response.status_code == 400
    assert response.data["code"] == "invalid_transition"
    assert Project.objects.get(pk=ready.pk).stage == Stage.DESIGN


def test_a_move_without_a_reason_is_a_400_naming_the_reason(client_for, official, ready):
    response = transition(client_for(official), ready, reason="  ")
    assert response.status_code == 400
    assert response.data["code"] == "reason_required"
    assert list(response.data["errors"]) == ["reason"]
    assert not ProjectTransition.objects.exists()


def test_a_stage_no_project_moves_to_is_a_400_naming_the_field(client_for, official, ready):
    response = transition(client_for(official), ready, to_stage="design")
    assert response.status_code == 400
    assert list(response.data["errors"]) == ["to_stage"]
    assert Project.objects.get(pk=ready.pk).stage == Stage.DESIGN


def test_a_resident_of_the_community_may_not_move_the_project(client_for, resident, ready):
    response = transition(client_for(resident.user), ready)
    assert response.status_code == 403
    assert Project.objects.get(pk=ready.pk).stage == Stage.DESIGN
    assert not AuditEntry.objects.filter(action=AuditAction.TRANSITION).exists()


def test_a_manager_of_the_provider_may_not_move_the_project(client_for, manager_of, ready):
    provider = ready.participations.get().organisation
    assert transition(client_for(manager_of(provider)), ready).status_code == 403
    assert Project.objects.get(pk=ready.pk).stage == Stage.DESIGN


def test_an_official_of_another_community_gets_404(client_for, other_community):
    project = ProjectFactory(community=other_community, stage=Stage.DESIGN)
    ParticipationFactory(project=project)
    stranger = OfficialPostFactory().user
    response = transition(client_for(stranger), project)
    assert response.status_code == 404
    assert response.data == {"message": "Not found.", "code": "not_found", "errors": {}}
    assert Project.objects.get(pk=project.pk).stage == Stage.DESIGN


def test_an_anonymous_move_is_a_401(client_for, ready):
    assert transition(client_for(), ready).status_code == 401
    assert Project.objects.get(pk=ready.pk).stage == Stage.DESIGN


# --- set-authority -----------------------------------------------------------------------------


def test_an_official_sets_the_governance_authority_and_the_mode_follows(client_for, official, community):
    project = ProjectFactory(community=community, government_share=Decimal("0.6"))
    response = set_authority(client_for(official), project)
    assert response.status_code == 200
    assert response.data["governance_authority"] == "high"
    assert response.data["mode"] == Mode.ADMINISTRATIVE_ABSORPTION
    saved = Project.objects.get(pk=project.pk)
    assert (saved.governance_authority, saved.authority_reason, saved.mode) == (
        GovernanceLevel.HIGH,
        "The street office leads the dining hall.",
        Mode.ADMINISTRATIVE_ABSORPTION,
    )
    assert audited(project, AuditAction.CHANGE, official)


def test_the_authority_needs_a_reason_named_as_the_field_sent(client_for, official, community):
    project = ProjectFactory(community=community)
    response = set_authority(client_for(official), project, reason="")
    assert response.status_code == 400
    assert response.data["errors"] == {"authority_reason": ["Give the reason for this judgement."]}
    assert Project.objects.get(pk=project.pk).governance_authority == ""
    assert not AuditEntry.objects.exists()


def test_an_authority_other_than_high_or_low_is_a_400(client_for, official, community):
    project = ProjectFactory(community=community)
    response = set_authority(client_for(official), project, level="medium")
    assert response.status_code == 400
    assert list(response.data["errors"]) == ["governance_authority"]
    assert Project.objects.get(pk=project.pk).governance_authority == ""


def test_a_resident_may_not_set_the_authority(client_for, resident, community):
    project = ProjectFactory(community=community)
    assert set_authority(client_for(resident.user), project).status_code == 403
    assert Project.objects.get(pk=project.pk).governance_authority == ""


def test_another_communitys_project_authority_is_a_404(client_for, official, other_community):
    project = ProjectFactory(community=other_community)
    assert set_authority(client_for(official), project).status_code == 404
    assert Project.objects.get(pk=project.pk).governance_authority == ""


# --- the project detail ------------------------------------------------------------------------


def test_the_detail_shows_the_history_and_what_the_next_move_needs(client_for, official, community):
    project = ProjectFactory(community=community, stage=Stage.DESIGN, budget=None)
    response = client_for(official).get(f"/api/v1/projects/{project.pk}/")
    assert response.status_code == 200
    assert response.data["transitions"] == []
    assert response.data["next_stages"] == [
        {"to_stage": "operation", "missing": ["at least one provider must take part", "the budget must be set"]}
    ]


def test_a_residents_detail_lists_the_moves_made(client_for, resident, community):
    project = ProjectFactory(community=community, stage=Stage.OPERATION)
    moved = ProjectTransitionFactory(project=project)
    response = client_for(resident.user).get(f"/api/v1/projects/{project.pk}/")
    assert [row["id"] for row in response.data["transitions"]] == [moved.pk]
    assert response.data["transitions"][0]["reason"] == moved.reason
    assert response.data["next_stages"] == [{"to_stage": "evaluation", "missing": []}]


def test_the_list_leaves_the_history_to_the_detail(client_for, official, community):
    ProjectFactory(community=community)
    row = client_for(official).get("/api/v1/projects/").data["results"][0]
    assert "transitions" not in row and "next_stages" not in row


def test_the_detail_keeps_its_query_count_however_long_the_history(client_for, official, community):
    project = ProjectFactory(community=community, stage=Stage.OPERATION)
    client = client_for(official)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(f"/api/v1/projects/{project.pk}/").status_code == 200
        return len(context)

    ProjectTransitionFactory.create_batch(2, project=project)
    with_two = queries()
    ProjectTransitionFactory.create_batch(10, project=project)
    assert queries() == with_two


def test_staff_of_a_participant_read_the_detail(client_for):
    participation = ParticipationFactory()
    staff = MembershipFactory(organisation=participation.organisation).user
    assert client_for(staff).get(f"/api/v1/projects/{participation.project_id}/").status_code == 200
