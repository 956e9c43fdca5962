"""Inspections: an official checks an organisation's work on a project against a checklist.

The result follows from the checklist, not from the inspector's choice: all items passed is
passed; a few failures (at most MINOR_ISSUES_MAX_SHARE of the items) are minor issues; more is
a failed inspection, which is a breach of the inspected organisation.
"""
from datetime import date
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_created
from coproduction.models import Participation, Project
from partners.models import Organisation
from partners.roles import require_official_for

from .breaches import breach_open
from common.errors import field_error
from .models import BreachKind, Inspection, InspectionResult, Severity

# Up to this share of failed items (and at least one) the organisation passes with minor issues:
# one slip in a five-item kitchen checklist is a note for next time, two are a failure.
MINOR_ISSUES_MAX_SHARE = Fraction(1, 5)


def inspection_result(checklist: list[dict]) -> str:
    failed = sum(1 for entry in checklist if not entry["passed"])
    if failed == 0:
        return InspectionResult.PASSED
    if Fraction(failed, len(checklist)) <= MINOR_ISSUES_MAX_SHARE:
        return InspectionResult.MINOR_ISSUES
    return InspectionResult.FAILED


def clean_checklist(checklist) -> list[dict]:
    """The checklist as [{"item", "passed", "note"}], refusing an empty or malformed one."""
    if not isinstance(checklist, list) or not checklist:
        raise field_error("checklist", _("List at least one checklist item."), "checklist_empty")
    cleaned = []
    for entry in checklist:
        if not isinstance(entry, dict) or not str(entry.get("item") or "").strip():
            raise field_error("checklist", _("Every checklist item needs a name."), "item_unnamed")
        item = str(entry["item"]).strip()
        if not isinstance(entry.get("passed"), bool):
            raise field_error(
                "checklist", _("Say whether “%(item)s” passed.") % {"item": item}, "item_unmarked"
            )
        cleaned.append({"item": item, "passed": entry["passed"], "note": str(entry.get("note") or "").strip()})
    names = [entry["item"] for entry in cleaned]
    if len(set(names)) != len(names):
        raise field_error("checklist", _("Each checklist item may appear only once."), "item_repeated")
    return cleaned


def _validate_inspection(*, project: Project, organisation: Organisation, inspected_on: date) -> None:
    errors = {}
    if not Participation.objects.filter(project=project, organisation=organisation, left_on__isnull=True).exists():
        errors["organisation"] = ValidationError(
            _("The inspected organisation must take part in the project."), code="not_a_participant"
        )
    if inspected_on is None:
        errors["inspected_on"] = ValidationError(_("Say when the inspection took place."), code="date_required")
    elif inspected_on > timezone.localdate():
        errors["inspected_on"] = ValidationError(
            _("An inspection cannot be recorded for a future date."), code="future_date"
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def inspection_record(
    *, project: Project, organisation: Organisation, user, inspected_on: date, checklist: list[dict], notes: str = "",
) -> Inspection:
    """An official of the community records an inspection; a failed one opens a breach at once."""
    require_official_for(user, project.community_id)
    _validate_inspection(project=project, organisation=organisation, inspected_on=inspected_on)
    checklist = clean_checklist(checklist)
    inspection = Inspection.objects.create(
        project=project, organisation=organisation, inspector=user, inspected_on=inspected_on, checklist=checklist,
        result=inspection_result(checklist), notes=notes.strip(),
    )
    record_created(actor=user, instance=inspection)
    if inspection.result == InspectionResult.FAILED:
        failed_items = [entry["item"] for entry in checklist if not entry["passed"]]
        breach_open(
            kind=BreachKind.FAILED_INSPECTION, project=project, organisation=organisation, severity=Severity.HIGH,
            inspection=inspection, actor=user,
            description=_("Failed inspection on %(date)s: %(items)s")
            % {"date": inspected_on, "items": ", ".join(failed_items)},
            details={"failed_items": failed_items, "items": len(checklist)},
        )
    return inspection
