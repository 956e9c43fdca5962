"""Inspections: officials check a participant's work against a checklist; the result follows from it."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accountability.models import Breach, BreachKind, BreachStatus, Inspection, InspectionResult, Severity
from accountability.services.inspections import inspection_record, inspection_result
from audit.models import AuditAction, AuditEntry
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def checklist(passed: int, failed: int) -> list[dict]:
    return [{"item": f"Passed item {n}", "passed": True, "note": ""} for n in range(passed)] + [
        {"item": f"Failed item {n}", "passed": False, "note": "Not done"} for n in range(failed)
    ]


def inspect(project, organisation, user, items, **overrides):
    values = {"inspected_on": timezone.localdate(), "checklist": items, **overrides}
    return inspection_record(project=project, organisation=organisation, user=user, **values)


def test_an_official_records_a_passed_inspection(project, provider, official, audit_of):
    inspection = inspect(project, provider.organisation, official, checklist(3, 0), notes=" Clean and tidy. ")

    stored = Inspection.objects.get()
    assert stored == inspection and stored.result == InspectionResult.PASSED
    assert (stored.inspector, stored.notes, len(stored.checklist)) == (official, "Clean and tidy.", 3)
    assert audit_of(stored, AuditAction.CREATE).get().actor == official
    assert not Breach.objects.exists()


def test_one_failed_item_in_five_is_a_minor_issue(project, provider, official):
    inspection = inspect(project, provider.organisation, official, checklist(4, 1))

    assert inspection.result == InspectionResult.MINOR_ISSUES
    assert not Breach.objects.exists()


def test_more_than_a_fifth_of_items_failed_is_a_failed_inspection_and_opens_a_breach(project, provider, official):
    inspection = inspect(project, provider.organisation, official, checklist(3, 1))

    assert inspection.result == InspectionResult.FAILED
    breach = Breach.objects.get()
    assert (breach.kind, breach.inspection, breach.organisation, breach.severity, breach.status) == (
        BreachKind.FAILED_INSPECTION,
        inspection,
        provider.organisation,
        Severity.HIGH,
        BreachStatus.OPEN,
    )
    assert breach.details["failed_items"] == ["Failed item 0"]


@pytest.mark.parametrize(
    "passed, failed, expected",
    [
        (1, 0, InspectionResult.PASSED),
        (9, 1, InspectionResult.MINOR_ISSUES),
        (8, 2, InspectionResult.MINOR_ISSUES),
        (7, 3, InspectionResult.FAILED),
        (1, 1, InspectionResult.FAILED),
        (0, 1, InspectionResult.FAILED),
    ],
)
def test_the_result_follows_from_the_share_of_failed_items(passed, failed, expected):
    assert inspection_result(checklist(passed, failed)) == expected


def test_an_official_of_another_community_cannot_inspect(project, provider, other_official):
    with pytest.raises(PermissionDenied):
        inspect(project, provider.organisation, other_official, checklist(1, 0))

    assert not Inspection.objects.exists() and not AuditEntry.objects.exists()


def test_staff_cannot_record_inspections(project, provider, staff_of):
    with pytest.raises(PermissionDenied):
        inspect(project, provider.organisation, staff_of(provider), checklist(1, 0))

    assert not Inspection.objects.exists()


def test_the_inspected_organisation_must_take_part_in_the_project(project, official):
    with pytest.raises(ValidationError) as caught:
        inspect(project, OrganisationFactory(), official, checklist(1, 0))

    assert caught.value.error_dict["organisation"][0].code == "not_a_participant"
    assert not Inspection.objects.exists()


def test_an_organisation_that_left_the_project_is_not_inspected_in_it(project, provider, official):
    provider.left_on = date(2025, 2, 1)
    provider.save()

    with pytest.raises(ValidationError):
        inspect(project, provider.organisation, official, checklist(1, 0))

    assert not Inspection.objects.exists()


def test_an_inspection_cannot_be_dated_in_the_future(project, provider, official):
    with pytest.raises(ValidationError) as caught:
        inspect(
            project,
            provider.organisation,
            official,
            checklist(1, 0),
            inspected_on=timezone.localdate() + timedelta(days=1),
        )

    assert "inspected_on" in caught.value.message_dict
    assert not Inspection.objects.exists()


@pytest.mark.parametrize(
    "items, code",
    [
        ([], "checklist_empty"),
        ("Kitchen clean", "checklist_empty"),
        ([{"item": " ", "passed": True}], "item_unnamed"),
        (["Kitchen clean"], "item_unnamed"),
        ([{"item": "Kitchen clean"}], "item_unmarked"),
        ([{"item": "Kitchen clean", "passed": "yes"}], "item_unmarked"),
        ([{"item": "Kitchen clean", "passed": True}, {"item": "Kitchen clean", "passed": False}], "item_repeated"),
    ],
)
def test_a_malformed_checklist_is_refused_with_a_field_error(project, provider, official, items, code):
    with pytest.raises(ValidationError) as caught:
        inspect(project, provider.organisation, official, items)

    assert caught.value.error_dict["checklist"][0].code == code
    assert not Inspection.objects.exists() and not Breach.objects.exists()


def test_checklist_entries_are_stored_in_one_shape(project, provider, official):
    inspect(project, provider.organisation, official, [{"item": " Kitchen clean ", "passed": True, "extra": 1}])

    assert Inspection.objects.get().checklist == [{"item": "Kitchen clean", "passed": True, "note": ""}]
