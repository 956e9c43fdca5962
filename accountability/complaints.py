"""Residents' complaints: filed, routed to whoever answers for the work, answered in time, confirmed or reopened.

The response deadline is settings.COMPLAINT_RESPONSE_HOURS (72 by default) after filing, and
again after each reopening; the periodic job turns a missed deadline into a breach.
"""
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_changed, record_created, snapshot
from coproduction.models import Participation, ParticipationRole, Project, Stage
from partners.models import Organisation, Resident
from partners.roles import is_member_of, is_official_for

from common.errors import field_error
from .models import Complaint, ComplaintStatus, Duty

# Complaints are about a running service.
STAGES_OPEN_TO_COMPLAINTS = {Stage.OPERATION, Stage.EVALUATION}
AWAITING_RESPONSE = {ComplaintStatus.OPEN, ComplaintStatus.REOPENED}


def response_deadline(start: datetime) -> datetime:
    return start + timedelta(hours=settings.COMPLAINT_RESPONSE_HOURS)


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update(of=("self",)).select_related("project", "resident").get(
        pk=complaint.pk
    )


def _answering_organisation(project: Project) -> Organisation | None:
    """Who answers for the project as a whole: its lead, or failing that its first provider."""
    current = Participation.objects.filter(project=project, left_on__isnull=True).select_related("organisation")
    participation = (
        current.filter(role=ParticipationRole.LEAD).first()
        or current.filter(role=ParticipationRole.PROVIDER).order_by("joined_on", "pk").first()
    )
    return participation.organisation if participation else None


def _route(project: Project, duty: Duty | None) -> Organisation:
    """To the duty's Accountable party when the complaint is about a duty, else to the project's lead."""
    if duty is not None:
        if duty.project_id != project.pk:
            raise field_error("duty", _("The duty must belong to the project."), "duty_not_in_project")
        return duty.accountable.organisation
    organisation = _answering_organisation(project)
    if organisation is None:
        raise ValidationError(
            _("This project has no lead or provider to answer complaints yet; contact the residents' committee."),
            code="nobody_to_answer",
        )
    return organisation


def _validate_filing(*, project: Project, resident: Resident, subject: str, body: str) -> None:
    if resident.community_id != project.community_id:
        raise ValidationError(
            _("Only residents of the project's community may complain about it."), code="other_community"
        )
    if project.stage not in STAGES_OPEN_TO_COMPLAINTS:
        raise ValidationError(
            _("Complaints can be filed only while the service is running."), code="project_not_running"
        )
    errors = {}
    if not subject:
        errors["subject"] = ValidationError(_("Give the complaint a subject."), code="subject_required")
    elif len(subject) > Complaint._meta.get_field("subject").max_length:
        errors["subject"] = ValidationError(_("Keep the subject under 200 characters."), code="subject_too_long")
    if not body:
        errors["body"] = ValidationError(_("Describe what went wrong."), code="body_required")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def complaint_file(
    *, project: Project, resident: Resident, subject: str, body: str, duty: Duty | None = None
) -> Complaint:
    """A resident complains about a project; it goes to whoever answers for it, with a deadline."""
    subject, body = subject.strip(), body.strip()
    _validate_filing(project=project, resident=resident, subject=subject, body=body)
    routed_to = _route(project, duty)
    filed_at = timezone.now()
    complaint = Complaint.objects.create(
        project=project, resident=resident, duty=duty, routed_to=routed_to, subject=subject, body=body,
        filed_at=filed_at, response_due_at=response_deadline(filed_at),
    )
    record_created(actor=resident.user, instance=complaint)
    return complaint


@transaction.atomic
def complaint_answer(*, complaint: Complaint, user, response: str) -> Complaint:
    """Staff of the organisation it was routed to, or an official of the community, answer."""
    complaint = _locked(complaint)
    if not (is_member_of(user, complaint.routed_to_id) or is_official_for(user, complaint.project.community_id)):
        raise PermissionDenied(_("Only the organisation the complaint was routed to, or an official, may answer it."))
    if not response.strip():
        raise field_error("response", _("Write a response."), "response_required")
    if complaint.status not in AWAITING_RESPONSE:
        raise ValidationError(_("This complaint is not awaiting a response."), code="not_awaiting_response")
    before = snapshot(complaint)
    complaint.response, complaint.responded_at, complaint.responded_by = response.strip(), timezone.now(), user
    complaint.status = ComplaintStatus.ANSWERED
    complaint.save(update_fields=["response", "responded_at", "responded_by", "status"])
    record_changed(actor=user, instance=complaint, before=before)
    return complaint


def _require_filer_of_answered(complaint: Complaint, resident: Resident) -> None:
    if complaint.resident_id != resident.pk:
        raise PermissionDenied(_("Only the resident who filed the complaint may do this."))
    if complaint.status != ComplaintStatus.ANSWERED:
        raise ValidationError(_("Only an answered complaint can be confirmed or reopened."), code="not_answered")


@transaction.atomic
def complaint_confirm(*, complaint: Complaint, resident: Resident) -> Complaint:
    """The resident who filed the complaint accepts the answer: the complaint is closed."""
    complaint = _locked(complaint)
    _require_filer_of_answered(complaint, resident)
    before = snapshot(complaint)
    complaint.status, complaint.closed_at = ComplaintStatus.CONFIRMED, timezone.now()
    complaint.save(update_fields=["status", "closed_at"])
    record_changed(actor=resident.user, instance=complaint, before=before)
    return complaint


@transaction.atomic
def complaint_reopen(*, complaint: Complaint, resident: Resident, reason: str) -> Complaint:
    """The resident is not satisfied: the complaint must be answered again, within a new deadline.

    The earlier response stays on the record until the new one replaces it; the audit log keeps
    both, and the reason for reopening.
    """
    complaint = _locked(complaint)
    _require_filer_of_answered(complaint, resident)
    if not reason.strip():
        raise field_error("reason", _("Say why the answer does not settle the complaint."), "reason_required")
    before = snapshot(complaint)
    complaint.status, complaint.response_due_at = ComplaintStatus.REOPENED, response_deadline(timezone.now())
    complaint.save(update_fields=["status", "response_due_at"])
    record_changed(actor=resident.user, instance=complaint, before=before, note=reason.strip())
    return complaint
