"""Selection integrity: one call under way per project, a minimum application window, reviews after the deadline."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from audit.models import AuditAction, AuditEntry
from coproduction.models import ApplicationStatus, Call, CallStatus
from coproduction.services.selection import (
    call_award,
    call_cancel,
    call_open,
    call_under_way,
    earliest_deadline,
    review_refusal,
)
from tests.coproduction.conftest import Selection, official_of
from tests.factories import ApplicationFactory, CallFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {item.code for items in error.error_dict.values() for item in items}
    return {item.code for item in error.error_list}


def open_another(selection, **overrides):
    arguments = {
        "project": selection.project,
        "title": "Second operator",
        "deadline": timezone.now() + timedelta(days=20),
        "criteria": [("Experience", 100)],
        "user": selection.official,
    }
    return call_open(**{**arguments, **overrides})


def awarded(selection):
    """The selection's call awarded to its only applicant, reviewed by both reviewers."""
    application = selection.apply()
    selection.close_applications()
    selection.review_by_all(application, 80, 70)
    return call_award(call=selection.call, application=application, user=selection.official, reason="Best plan.")


# --- One call under way per project ------------------------------------------------------------


def test_a_second_call_on_a_project_with_an_open_call_is_refused_naming_the_open_one(selection):
    with pytest.raises(ValidationError) as caught:
        open_another(selection)

    assert codes(caught.value) == {"call_already_open"}
    assert "“Elderly dining hall operator” (Open)" in caught.value.messages[0]
    assert Call.objects.filter(project=selection.project).count() == 1


def test_a_call_under_review_also_keeps_a_second_call_out(selection):
    application = selection.apply()
    selection.close_applications()
    selection.review(application, 80, 70)
    assert Call.objects.get(pk=selection.call.pk).status == CallStatus.REVIEWING

    with pytest.raises(ValidationError) as caught:
        open_another(selection)

    assert codes(caught.value) == {"call_already_open"}


def test_a_new_call_opens_once_the_previous_is_cancelled(selection):
    call_cancel(call=selection.call, user=selection.official, reason="The budget was cut.")

    second = open_another(selection)

    assert call_under_way(selection.project) == second


def test_a_new_call_opens_once_the_previous_is_awarded(selection):
    awarded(selection)

    assert open_another(selection).status == CallStatus.OPEN


def test_the_database_refuses_a_second_call_under_way_on_a_project():
    call = CallFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CallFactory(project=call.project, status=CallStatus.REVIEWING)


def test_the_database_keeps_any_number_of_decided_calls_beside_the_one_under_way():
    call = CallFactory()
    CallFactory(project=call.project, status=CallStatus.CANCELLED)
    CallFactory(project=call.project, status=CallStatus.CANCELLED)
    assert Call.objects.filter(project=call.project).count() == 3


@pytest.mark.django_db(transaction=True)
def test_the_award_cancels_a_rival_call_that_slipped_past_the_rule():
    """Data from before the rule: without the constraint, two calls are under way on one project."""
    constraint = next(c for c in Call._meta.constraints if c.name == "call_one_undecided_per_project")
    with connection.schema_editor() as editor:
        editor.remove_constraint(Call, constraint)
    try:
        selection = Selection()
        rival = CallFactory(project=selection.project, title="Rival call")
        rival_application = ApplicationFactory(call=rival)

        awarded(selection)

        rival.refresh_from_db(), rival_application.refresh_from_db()
        assert rival.status == CallStatus.CANCELLED
        assert rival_application.status == ApplicationStatus.NOT_AWARDED
        entry = AuditEntry.objects.get(object_id=str(rival.pk), action=AuditAction.TRANSITION)
        assert "Elderly dining hall operator" in entry.note
    finally:
        Call.objects.all().update(status=CallStatus.CANCELLED)
        with connection.schema_editor() as editor:
            editor.add_constraint(Call, constraint)


# --- The minimum application window -------------------------------------------------------------


def test_a_deadline_inside_the_minimum_window_is_refused_with_the_earliest_deadline_allowed(selection):
    project = ProjectFactory(stage=selection.project.stage)
    with pytest.raises(ValidationError) as caught:
        call_open(
            project=project,
            title="Rushed call",
            deadline=timezone.now() + timedelta(minutes=14),
            criteria=[("Experience", 100)],
            user=official_of(project.community),
        )

    message = caught.value.message_dict["deadline"][0]
    assert codes(caught.value) == {"deadline_too_soon"}
    assert message.startswith("Organisations need at least 7 days to apply: the earliest deadline allowed is ")
    assert str(timezone.localtime(earliest_deadline()).year) in message
    assert not Call.objects.filter(project=project).exists()


def test_a_deadline_at_the_earliest_allowed_moment_is_accepted():
    project = ProjectFactory(stage="design")
    call = call_open(
        project=project,
        title="Just in time",
        deadline=earliest_deadline(),
        criteria=[("Experience", 100)],
        user=official_of(project.community),
    )
    assert call.deadline >= timezone.now() + timedelta(days=7, minutes=-1)


def test_the_minimum_window_is_a_setting(settings):
    settings.CALL_MIN_APPLICATION_DAYS = 2
    project = ProjectFactory(stage="design")
    call = call_open(
        project=project,
        title="Short call",
        deadline=timezone.now() + timedelta(days=3),
        criteria=[("Experience", 100)],
        user=official_of(project.community),
    )
    assert call.status == CallStatus.OPEN


def test_a_past_deadline_is_still_called_past():
    project = ProjectFactory(stage="design")
    with pytest.raises(ValidationError) as caught:
        call_open(
            project=project,
            title="Late",
            deadline=timezone.now() - timedelta(hours=1),
            criteria=[("Experience", 100)],
            user=official_of(project.community),
        )
    assert codes(caught.value) == {"deadline_past"}


# --- When reviewing opens -----------------------------------------------------------------------


def test_before_the_deadline_reviewing_is_refused_with_the_date_it_opens(selection):
    refusal = review_refusal(selection.call)

    assert refusal.code == "applications_open"
    assert refusal.message.startswith("Applications are open until ")
    assert refusal.message.endswith("; reviews open then.")


def test_after_the_deadline_reviewing_is_open(selection):
    selection.close_applications()
    assert review_refusal(selection.call) is None


def test_a_decided_call_takes_no_more_reviews(selection):
    call = awarded(selection)
    assert review_refusal(call).code == "call_decided"
