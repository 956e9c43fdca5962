"""The project lifecycle: design -> operation -> evaluation -> closed, with guards that say what is missing."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditAction, AuditEntry
from coproduction.models import Project, ProjectTransition, Stage
from coproduction.services.lifecycle import project_transition
from tests.coproduction.conftest import manager_of, official_of, resident_of, street_official_of
from tests.factories import CommunityFactory, ParticipationFactory, ProjectFactory, ServiceListItemFactory

pytestmark = pytest.mark.django_db

BLOCKED = "The project cannot move to Operation yet:"
NO_PROVIDER = "at least one provider must take part"
NO_DATES = "the start and end dates must be set"
NO_BUDGET = "the budget must be set"


def ready_project(stage=Stage.DESIGN, **fields):
    """A project (in design unless told) with a provider, dates and a budget: all operation needs."""
    project = ProjectFactory(stage=stage, **fields)
    ParticipationFactory(project=project)
    return project


def on_specific_assets(start: date, end: date, **fields):
    item = ServiceListItemFactory(needs_specific_assets=True, specific_assets_note="a kitchen fitted for the provider")
    return ready_project(service_item=item, start_date=start, end_date=end, **fields)


def move(project, to_stage, *, user=None, reason="The partners agreed the division of labour."):
    return project_transition(
        project=project, to_stage=to_stage, user=user or official_of(project.community), reason=reason
    )


def assert_not_moved(project, stage=Stage.DESIGN):
    assert Project.objects.get(pk=project.pk).stage == stage
    assert not ProjectTransition.objects.filter(project=project).exists()
    assert not AuditEntry.objects.filter(content_type__model="project", object_id=str(project.pk)).exists()


# --- design -> operation ---------------------------------------------------------------------


def test_an_official_moves_a_ready_project_from_design_to_operation():
    project = ready_project()
    official = official_of(project.community)

    transition = move(project, Stage.OPERATION, user=official, reason="  Partners signed the agreement.  ")

    assert (transition.project, transition.from_stage, transition.to_stage) == (project, Stage.DESIGN, Stage.OPERATION)
    assert (transition.by, transition.reason) == (official, "Partners signed the agreement.")
    assert transition.at is not None
    assert Project.objects.get(pk=project.pk).stage == Stage.OPERATION


def test_a_move_writes_an_audit_entry_with_the_project_before_and_after():
    project = ready_project()
    official = official_of(project.community)

    move(project, Stage.OPERATION, user=official, reason="Partners signed the agreement.")

    entry = AuditEntry.objects.get(content_type__model="project", object_id=str(project.pk))
    assert (entry.action, entry.actor) == (AuditAction.TRANSITION, official)
    assert entry.note == "Partners signed the agreement."
    assert (entry.before["stage"], entry.after["stage"]) == (Stage.DESIGN, Stage.OPERATION)


def test_moving_to_operation_is_refused_with_everything_that_is_missing():
    project = ProjectFactory(stage=Stage.DESIGN, start_date=None, end_date=None, budget=None)

    with pytest.raises(ValidationError) as caught:
        move(project, Stage.OPERATION)

    assert caught.value.messages == [BLOCKED, NO_PROVIDER, NO_DATES, NO_BUDGET]
    assert_not_moved(project)


def test_a_project_with_only_a_start_date_lacks_its_dates():
    project = ready_project(end_date=None)

    with pytest.raises(ValidationError) as caught:
        move(project, Stage.OPERATION)

    assert caught.value.messages == [BLOCKED, NO_DATES]
    assert_not_moved(project)


def test_a_provider_that_has_left_does_not_count():
    project = ProjectFactory(stage=Stage.DESIGN)
    ParticipationFactory(project=project, joined_on=date(2025, 1, 1), left_on=date(2025, 2, 1))

    with pytest.raises(ValidationError) as caught:
        move(project, Stage.OPERATION)

    assert caught.value.messages == [BLOCKED, NO_PROVIDER]
    assert_not_moved(project)


def test_a_co_funder_is_not_a_provider():
    project = ProjectFactory(stage=Stage.DESIGN)
    ParticipationFactory(project=project, role="co_funder")

    with pytest.raises(ValidationError) as caught:
        move(project, Stage.OPERATION)

    assert caught.value.messages == [BLOCKED, NO_PROVIDER]


# --- specific assets and duration ------------------------------------------------------------


def test_a_short_project_on_specific_assets_needs_a_written_justification():
    project = on_specific_assets(date(2025, 1, 1), date(2026, 12, 31))

    with pytest.raises(ValidationError) as caught:
        move(project, Stage.OPERATION)

    assert len(caught.value.messages) == 2
    assert "a kitchen fitted for the provider" in caught.value.messages[1]
    assert "write a justification" in caught.value.messages[1]
    assert_not_moved(project)


def test_a_justified_short_project_on_specific_assets_may_start():
    project = on_specific_assets(
        date(2025, 1, 1), date(2025, 12, 31), asset_justification="A one-year pilot; the kitchen is the committee's."
    )

    transition = move(project, Stage.OPERATION)

    assert transition.to_stage == Stage.OPERATION


def test_a_justification_of_blanks_does_not_count():
    project = on_specific_assets(date(2025, 1, 1), date(2025, 12, 31), asset_justification="   ")

    with pytest.raises(ValidationError):
        move(project, Stage.OPERATION)

    assert_not_moved(project)


@pytest.mark.parametrize(
    "start, end",
    [
        (date(2025, 1, 1), date(2027, 1, 1)),
        (date(2025, 1, 1), date(2030, 6, 30)),
        (date(2024, 2, 29), date(2026, 2, 28)),
    ],
    ids=["exactly_two_years", "five_years", "from_29_february"],
)
def test_a_project_on_specific_assets_lasting_two_years_or_more_needs_no_justification(start, end):
    project = on_specific_assets(start, end)

    assert move(project, Stage.OPERATION).to_stage == Stage.OPERATION


def test_a_short_project_without_specific_assets_needs_no_justification():
    project = ready_project(start_date=date(2025, 1, 1), end_date=date(2025, 3, 31))

    assert move(project, Stage.OPERATION).to_stage == Stage.OPERATION


def test_the_specific_assets_warning_is_listed_with_the_other_missing_things():
    project = ProjectFactory(
        stage=Stage.DESIGN,
        budget=None,
        start_date=date(2025, 1, 1),
        end_date=date(2025, 6, 30),
        service_item=ServiceListItemFactory(needs_specific_assets=True),
    )

    with pytest.raises(ValidationError) as caught:
        move(project, Stage.OPERATION)

    messages = caught.value.messages
    assert messages[:3] == [BLOCKED, NO_PROVIDER, NO_BUDGET]
    assert len(messages) == 4 and "specific assets" in messages[3]
    assert_not_moved(project)


# --- the other moves -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, to, label",
    [
        (Stage.DESIGN, Stage.CLOSED, "from Design to Closed"),
        (Stage.DESIGN, Stage.EVALUATION, "from Design to Evaluation"),
        (Stage.OPERATION, Stage.DESIGN, "from Operation to Design"),
        (Stage.OPERATION, Stage.CLOSED, "from Operation to Closed"),
        (Stage.EVALUATION, Stage.DESIGN, "from Evaluation to Design"),
        (Stage.CLOSED, Stage.DESIGN, "from Closed to Design"),
        (Stage.CLOSED, Stage.OPERATION, "from Closed to Operation"),
        (Stage.CLOSED, Stage.EVALUATION, "from Closed to Evaluation"),
    ],
)
def test_a_move_the_lifecycle_does_not_allow_is_refused(start, to, label):
    project = ProjectFactory(stage=start)
    ParticipationFactory(project=project)

    with pytest.raises(ValidationError) as caught:
        move(project, to)

    assert caught.value.messages == [f"A project cannot move {label}."]
    assert caught.value.code == "invalid_transition"
    assert_not_moved(project, stage=start)


def test_a_project_under_evaluation_is_renewed_back_into_operation():
    project = ready_project(stage=Stage.EVALUATION)

    transition = move(project, Stage.OPERATION, reason="Renewed for two more years.")

    assert (transition.from_stage, transition.to_stage) == (Stage.EVALUATION, Stage.OPERATION)
    assert Project.objects.get(pk=project.pk).stage == Stage.OPERATION


def test_a_renewal_needs_what_operation_needs():
    project = ProjectFactory(stage=Stage.EVALUATION, budget=None)

    with pytest.raises(ValidationError) as caught:
        move(project, Stage.OPERATION, reason="Renewed.")

    assert caught.value.messages == [BLOCKED, NO_PROVIDER, NO_BUDGET]
    assert_not_moved(project, stage=Stage.EVALUATION)


def test_each_move_is_kept_in_order():
    project = ready_project(stage=Stage.EVALUATION)
    official = official_of(project.community)

    move(project, Stage.OPERATION, user=official, reason="Renewed.")
    move(project, Stage.EVALUATION, user=official, reason="The year is over.")

    assert list(project.transitions.values_list("from_stage", "to_stage", "reason")) == [
        (Stage.EVALUATION, Stage.OPERATION, "Renewed."),
        (Stage.OPERATION, Stage.EVALUATION, "The year is over."),
    ]
    assert AuditEntry.objects.filter(object_id=str(project.pk), action=AuditAction.TRANSITION).count() == 2


# --- who may move a project, and why ---------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "blank"])
def test_a_move_needs_a_reason(reason):
    project = ready_project()

    with pytest.raises(ValidationError) as caught:
        move(project, Stage.OPERATION, reason=reason)

    assert caught.value.message_dict == {"reason": ["Say why the project moves on."]}
    assert_not_moved(project)


def test_an_official_of_another_community_cannot_move_a_project():
    project = ready_project()

    with pytest.raises(PermissionDenied):
        move(project, Stage.OPERATION, user=official_of(CommunityFactory()))

    assert_not_moved(project)


def the_provider_s_manager(project):
    return manager_of(project.participations.get().organisation)


@pytest.mark.parametrize(
    "who",
    [lambda project: resident_of(project.community), the_provider_s_manager],
    ids=["resident", "provider_s_manager"],
)
def test_residents_and_partners_cannot_move_a_project(who):
    project = ready_project()

    with pytest.raises(PermissionDenied):
        move(project, Stage.OPERATION, user=who(project))

    assert_not_moved(project)


def test_a_street_official_moves_projects_of_the_street_s_communities():
    project = ready_project()

    transition = move(project, Stage.OPERATION, user=street_official_of(project.community.street))

    assert transition.to_stage == Stage.OPERATION
