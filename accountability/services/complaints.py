"""Residents' complaints: filed, routed to a party someone answers for, answered in time, confirmed or reopened.

Routing: a complaint about a duty goes to the duty's Accountable party; any other (a complaint
about the service) to the project's current providers, then to its lead. A party is skipped
when nobody can answer for it: an organisation needs a member account, and a government body
(the residents' committee, the street office) acts through the officials whose post covers the
community, so one needs such an official. The community's officials may also re-route a
complaint to another current participant, extend its deadline once, or close it with a note.

The response deadline is settings.COMPLAINT_RESPONSE_HOURS (72 by default) after filing, and
again after each reopening; the periodic job turns a missed deadline into a breach against the
party the complaint is routed to, provided someone can answer for that party.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability.models import Complaint, ComplaintStatus, Duty
from accountability.services.inspections import PHOTO_FORMATS, CheckedPhoto, inspection_photo_check
from accountability.signals import complaint_answered, complaint_closed, complaint_routed
from audit.services import record_changed, record_created, snapshot
from common.bounds import column_length
from common.errors import field_error
from coproduction.attachments import stored_files_discarded_on_error
from coproduction.downloads import stored_file_response
from coproduction.models import Participation, ParticipationRole, Project, Stage
from partners.models import Community, Membership, OfficialPost, Organisation, OrganisationKind, Resident, User
from partners.roles import is_member_of, is_official_for, require_official_for

# Complaints are about a running service.
STAGES_OPEN_TO_COMPLAINTS = {Stage.OPERATION, Stage.EVALUATION}
AWAITING_RESPONSE = {ComplaintStatus.OPEN, ComplaintStatus.REOPENED}
FINISHED = {ComplaintStatus.CONFIRMED, ComplaintStatus.CLOSED}
PHOTO_TYPE_BY_EXTENSION = {extension: content_type for content_type, extension in PHOTO_FORMATS.values()}


def response_deadline(start: datetime) -> datetime:
    return start + timedelta(hours=settings.COMPLAINT_RESPONSE_HOURS)


def _locked(complaint: Complaint) -> Complaint:
    locked: Complaint = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("project", "resident", "routed_to")
        .get(pk=complaint.pk)
    )
    return locked


# --- Who can answer --------------------------------------------------------------------------


def _posts_covering(community: Community) -> QuerySet[OfficialPost]:
    return OfficialPost.objects.filter(
        Q(community=community) | Q(street_id=community.street_id) | Q(district_id=community.street.district_id)
    )


def someone_answers_for(organisation: Organisation, community: Community) -> bool:
    """Whether a complaint routed to `organisation`, in `community`, has somebody to answer it."""
    if organisation.kind == OrganisationKind.GOVERNMENT:
        return _posts_covering(community).exists()
    return Membership.objects.filter(organisation=organisation).exists()


def complaint_is_answerable() -> Q:
    """The same rule as someone_answers_for(), as a filter on complaints (for the accountability job)."""
    covering = OfficialPost.objects.filter(
        Q(community=OuterRef("project__community_id"))
        | Q(street=OuterRef("project__community__street_id"))
        | Q(district=OuterRef("project__community__street__district_id"))
    )
    members = Membership.objects.filter(organisation=OuterRef("routed_to_id"))
    government = Q(routed_to__kind=OrganisationKind.GOVERNMENT)
    return (government & Exists(covering)) | (~government & Exists(members))


def answering_candidates(project: Project, duty: Duty | None) -> list[Organisation]:
    """The parties a complaint may go to, in order of preference, before asking who can answer."""
    current = Participation.objects.filter(project=project, left_on__isnull=True).select_related("organisation")
    candidates = []
    if duty is not None and duty.accountable.left_on is None:
        candidates.append(duty.accountable.organisation)
    candidates += [p.organisation for p in current.filter(role=ParticipationRole.PROVIDER).order_by("joined_on", "pk")]
    candidates += [p.organisation for p in current.filter(role=ParticipationRole.LEAD)]
    return candidates


def _route(project: Project, duty: Duty | None) -> Organisation:
    """The first candidate somebody can answer for; refused when there is none."""
    if duty is not None and duty.project_id != project.pk:
        raise field_error("duty", _("The duty must belong to the project."), "duty_not_in_project")
    community = Community.objects.select_related("street").get(pk=project.community_id)
    for organisation in answering_candidates(project, duty):
        if someone_answers_for(organisation, community):
            return organisation
    raise ValidationError(
        _("Nobody can answer complaints about this project yet; contact the residents' committee."),
        code="nobody_to_answer",
    )


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
    elif len(subject) > column_length(Complaint, "subject"):
        errors["subject"] = ValidationError(_("Keep the subject under 200 characters."), code="subject_too_long")
    if not body:
        errors["body"] = ValidationError(_("Describe what went wrong."), code="body_required")
    if errors:
        raise ValidationError(errors)


def _checked_photo(photo: File[Any] | None) -> CheckedPhoto | None:
    """The complaint's photo decoded and re-encoded like an inspection's (no metadata such as the
    place it was taken), or None; a refusal names the photo field."""
    if not photo:
        return None
    try:
        return inspection_photo_check(photo)
    except ValidationError as problem:
        raise ValidationError({"photo": problem.error_list}) from None


@transaction.atomic
def complaint_file(
    *,
    project: Project,
    resident: Resident,
    subject: str,
    body: str,
    duty: Duty | None = None,
    photo: File[Any] | None = None,
) -> Complaint:
    """A resident complains about a project, with an optional photo; it goes to a party someone
    answers for, with a deadline."""
    subject, body = subject.strip(), body.strip()
    # Every field's problem at once, so that the resident corrects the form in one go.
    problems: dict[str, list[ValidationError]] = {}
    try:
        _validate_filing(project=project, resident=resident, subject=subject, body=body)
    except ValidationError as problem:
        if not hasattr(problem, "error_dict"):
            raise
        problems.update(problem.error_dict)
    checked_photo = None
    try:
        checked_photo = _checked_photo(photo)
    except ValidationError as problem:
        problems.update(problem.error_dict)
    if problems:
        raise ValidationError(problems)
    routed_to = _route(project, duty)
    filed_at = timezone.now()
    with stored_files_discarded_on_error() as stored:
        complaint = Complaint(
            project=project,
            resident=resident,
            duty=duty,
            routed_to=routed_to,
            subject=subject,
            body=body,
            filed_at=filed_at,
            response_due_at=response_deadline(filed_at),
        )
        if checked_photo:
            complaint.photo.save(
                f"{uuid.uuid4().hex}.{checked_photo.extension}", ContentFile(checked_photo.content), save=False
            )
            stored.append(complaint.photo)
        complaint.save(force_insert=True)
        record_created(actor=resident.user, instance=complaint)
        complaint_routed.send(sender=Complaint, complaint=complaint, reason="filed", at=filed_at, by=resident.user)
    return complaint


def complaint_photo_download(complaint: Complaint) -> FileResponse:
    """A complaint's photo, for a caller that has checked the user may see the complaint; 404 when it has none."""
    if not complaint.photo:
        raise Http404
    extension = complaint.photo.name.rsplit(".", 1)[-1].lower()
    content_type = PHOTO_TYPE_BY_EXTENSION.get(extension, "application/octet-stream")
    return stored_file_response(
        complaint.photo,
        filename=f"complaint-{complaint.pk}.{extension}",
        content_type=content_type,
    )


@transaction.atomic
def complaint_answer(*, complaint: Complaint, user: User, response: str) -> Complaint:
    """Staff of the organisation it was routed to, or an official of the community, answer.

    Officials answer for a government body, which has no staff of its own on the platform.
    """
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
    complaint_answered.send(sender=Complaint, complaint=complaint, by=user)
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
    now = timezone.now()
    complaint.status, complaint.response_due_at = ComplaintStatus.REOPENED, response_deadline(now)
    complaint.save(update_fields=["status", "response_due_at"])
    record_changed(actor=resident.user, instance=complaint, before=before, note=reason.strip())
    complaint_routed.send(sender=Complaint, complaint=complaint, reason="reopened", at=now, by=resident.user)
    return complaint


# --- Officials' handling ---------------------------------------------------------------------


def _require_awaiting_response(complaint: Complaint) -> None:
    if complaint.status not in AWAITING_RESPONSE:
        raise ValidationError(_("This complaint is not awaiting a response."), code="not_awaiting_response")


def _required_text(field: str, text: str, message: str) -> str:
    if not text.strip():
        raise field_error(field, message, f"{field}_required")
    return text.strip()


@transaction.atomic
def complaint_reroute(*, complaint: Complaint, user: User, organisation: Organisation, reason: str) -> Complaint:
    """An official sends the complaint to another current participant of the project, saying why.

    The deadline stays: the resident has waited since filing. An official who wants to give the
    new party more time extends it (once).
    """
    complaint = _locked(complaint)
    require_official_for(user, complaint.project.community_id)
    reason = _required_text("reason", reason, _("Say why the complaint goes to another party."))
    _require_awaiting_response(complaint)
    if organisation.pk == complaint.routed_to_id:
        raise field_error(
            "organisation",
            _("The complaint is already routed to %(name)s: choose another party.") % {"name": organisation.name},
            "same_party",
        )
    taking_part = Participation.objects.filter(project=complaint.project, organisation=organisation)
    if not taking_part.filter(left_on__isnull=True).exists():
        raise field_error(
            "organisation", _("Choose a party that currently takes part in the project."), "not_a_participant"
        )
    community = Community.objects.select_related("street").get(pk=complaint.project.community_id)
    if not someone_answers_for(organisation, community):
        raise field_error(
            "organisation",
            _("Nobody can answer for %(name)s on the platform: choose another party.") % {"name": organisation.name},
            "nobody_to_answer",
        )
    before = snapshot(complaint)
    complaint.routed_to = organisation
    complaint.save(update_fields=["routed_to"])
    record_changed(actor=user, instance=complaint, before=before, note=reason)
    complaint_routed.send(sender=Complaint, complaint=complaint, reason="rerouted", at=timezone.now(), by=user)
    return complaint


@transaction.atomic
def complaint_extend(*, complaint: Complaint, user: User, reason: str) -> Complaint:
    """An official gives the party one more response period, once per complaint, saying why.

    The new deadline runs from the current one, or from now when it has already passed; a breach
    already opened for the missed deadline stays on record.
    """
    complaint = _locked(complaint)
    require_official_for(user, complaint.project.community_id)
    reason = _required_text("reason", reason, _("Say why the deadline is extended."))
    _require_awaiting_response(complaint)
    if complaint.deadline_extended_at is not None:
        raise ValidationError(
            _("The deadline of this complaint was already extended once; it cannot be extended again."),
            code="already_extended",
        )
    before = snapshot(complaint)
    now = timezone.now()
    complaint.response_due_at = response_deadline(max(now, complaint.response_due_at))
    complaint.deadline_extended_at = now
    complaint.save(update_fields=["response_due_at", "deadline_extended_at"])
    record_changed(actor=user, instance=complaint, before=before, note=reason)
    return complaint


@transaction.atomic
def complaint_close(*, complaint: Complaint, user: User, note: str) -> Complaint:
    """An official closes the complaint with a note (settled in person, withdrawn, unfounded...)."""
    complaint = _locked(complaint)
    require_official_for(user, complaint.project.community_id)
    note = _required_text("note", note, _("Say why the complaint is closed."))
    if complaint.status in FINISHED:
        raise ValidationError(_("This complaint is already closed."), code="already_closed")
    before = snapshot(complaint)
    complaint.status, complaint.closed_at, complaint.closed_by = ComplaintStatus.CLOSED, timezone.now(), user
    complaint.closing_note = note
    complaint.save(update_fields=["status", "closed_at", "closed_by", "closing_note"])
    record_changed(actor=user, instance=complaint, before=before, note=note)
    complaint_closed.send(sender=Complaint, complaint=complaint, by=user)
    return complaint
