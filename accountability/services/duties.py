"""Duties and the responsibility matrix: one Accountable party, any Responsible, Consulted, Informed.

Every party of a duty is a current participation of the duty's own project; changing the
Accountable party is a decision with a reason; completing an occurrence needs evidence.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability.models import (
    Duty,
    DutyAssignment,
    DutyCompletion,
    DutyCompletionAttachment,
    DutyStatus,
    RaciRole,
    Recurrence,
)
from audit.models import AuditAction
from audit.services import record, record_changed, record_changed_from, record_created, snapshot
from common.errors import field_error
from coproduction.attachments import attachments_save, stored_files_discarded_on_error, uploads_check
from coproduction.models import Participation, Project, Stage
from partners.models import User
from partners.roles import is_member_of, is_official_for, is_signed_in, require_official_for

# The roles kept in DutyAssignment; the Accountable party is the duty's own column.
ASSIGNABLE_ROLES = {RaciRole.RESPONSIBLE, RaciRole.CONSULTED, RaciRole.INFORMED}

# How far each recurrence moves the next due date: days for weekly, calendar months otherwise.
RECURRENCE_MONTHS: dict[str, int] = {Recurrence.MONTHLY: 1, Recurrence.QUARTERLY: 3}
RECURRENCE_DAYS: dict[str, int] = {Recurrence.WEEKLY: 7}


# --- Checks shared by the functions below ---------------------------------------------------


def _current_participation_ids(project: Project, participations: Iterable[Participation]) -> set[int]:
    """Which of these participations belong to the project and have not left it (one query)."""
    ids = {participation.pk for participation in participations}
    return set(
        Participation.objects.filter(pk__in=ids, project=project, left_on__isnull=True).values_list("pk", flat=True)
    )


def _party_error() -> str:
    return _("Every party of a duty must be a current participant of the duty's project.")


def _require_current_party(project: Project, participation: Participation, field: str) -> None:
    if participation.pk not in _current_participation_ids(project, [participation]):
        raise field_error(field, _party_error(), "not_a_participant")


def _locked(duty: Duty) -> Duty:
    """The duty, re-read under a row lock so that concurrent changes queue behind each other."""
    locked: Duty = Duty.objects.select_for_update(of=("self",)).select_related("project", "accountable").get(pk=duty.pk)
    return locked


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later, clamped to the month's last day (31 Jan -> 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def next_occurrence(day: date, recurrence: str) -> date | None:
    """When a recurring duty is next due after an occurrence on `day`; None for a one-off duty, and
    None past the calendar's last day (a duty due near 9999-12-31 has no next occurrence to compute)."""
    try:
        if recurrence in RECURRENCE_DAYS:
            return day + timedelta(days=RECURRENCE_DAYS[recurrence])
        if recurrence in RECURRENCE_MONTHS:
            return add_months(day, RECURRENCE_MONTHS[recurrence])
    except (OverflowError, ValueError):
        return None
    return None


# Preparing a project while it is designed (the needs survey, the selection plan, the venue) and
# closing it after it ends (the final report, the handover) are duties too: they may fall due up
# to a year outside the project's service period, a slip of the keyboard (year 1, 9999) may not.
DUTY_MARGIN = timedelta(days=365)


def _duty_window(project: Project) -> tuple[date | None, date | None]:
    """The first and last day a duty of the project may fall due; None where the project's period is open."""
    first = project.start_date - DUTY_MARGIN if project.start_date else None
    last = project.end_date + DUTY_MARGIN if project.end_date else None
    return first, last


def _within_project_period(project: Project, day: date) -> bool:
    first, last = _duty_window(project)
    return (first is None or day >= first) and (last is None or day <= last)


def recurs_until_end(project: Project, following: date | None) -> date | None:
    """The next occurrence, or None once it would fall after the end of the project's service period.

    Nothing is delivered after the project ends, so there is nothing left to be due: the duty
    is finished rather than left to come due and be counted as missed.
    """
    if following is None or (project.end_date is not None and following > project.end_date):
        return None
    return following


# --- Creating duties and changing the matrix ------------------------------------------------


def _validate_new_duty(
    *,
    project: Project,
    title: str,
    accountable: Participation | None,
    recurrence: str,
    next_due_on: date | None,
    parties: dict[str, list[Participation]],
) -> None:
    errors = {}
    if project.stage == Stage.CLOSED:
        errors["project"] = ValidationError(_("Duties cannot be added to a closed project."), code="project_closed")
    if not title:
        errors["title"] = ValidationError(_("Give the duty a title."), code="title_required")
    elif Duty.objects.filter(project=project, title=title).exists():
        errors["title"] = ValidationError(_("This project already has a duty with this title."), code="duplicate_title")
    if recurrence not in Recurrence.values:
        errors["recurrence"] = ValidationError(_("Choose how often the duty recurs."), code="invalid_recurrence")
    if next_due_on is None:
        errors["next_due_on"] = ValidationError(_("Say when the duty is first due."), code="due_date_required")
    elif not _within_project_period(project, next_due_on):
        # A duty belongs to its project's work: far from it, a due date is a slip (year 1, or 9999,
        # which would also break the arithmetic of the next occurrence).
        first, last = _duty_window(project)
        errors["next_due_on"] = ValidationError(
            _(
                "A duty falls due within its project's period, or up to %(days)s days before its start or after its "
                "end: from %(first)s to %(last)s."
            )
            % {"days": DUTY_MARGIN.days, "first": first or "-", "last": last or "-"},
            code="outside_project_period",
        )
    if accountable is None:
        errors["accountable"] = ValidationError(
            _("Name the one party accountable for the duty."), code="accountable_required"
        )
    named = {"accountable": [accountable] if accountable else [], **parties}
    current = _current_participation_ids(project, [p for participations in named.values() for p in participations])
    for field, participations in named.items():
        if any(participation.pk not in current for participation in participations):
            errors[field] = ValidationError(_party_error(), code="not_a_participant")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def duty_create(
    *,
    project: Project,
    title: str,
    accountable: Participation,
    user: User,
    recurrence: str,
    next_due_on: date,
    description: str = "",
    responsible: Iterable[Participation] = (),
    consulted: Iterable[Participation] = (),
    informed: Iterable[Participation] = (),
) -> Duty:
    """An official adds a duty to a project, with its one Accountable party and the rest of its matrix."""
    require_official_for(user, project.community_id)
    title = title.strip()
    parties = {
        "responsible": list(dict.fromkeys(responsible)),
        "consulted": list(dict.fromkeys(consulted)),
        "informed": list(dict.fromkeys(informed)),
    }
    _validate_new_duty(
        project=project,
        title=title,
        accountable=accountable,
        recurrence=recurrence,
        next_due_on=next_due_on,
        parties=parties,
    )
    try:
        with transaction.atomic():
            duty = Duty.objects.create(
                project=project,
                title=title,
                description=description.strip(),
                accountable=accountable,
                recurrence=recurrence,
                next_due_on=next_due_on,
            )
    except IntegrityError:
        # The same title was taken by a concurrent request after our check.
        raise field_error("title", _("This project already has a duty with this title."), "duplicate_title") from None
    record_created(actor=user, instance=duty)
    roles = {"responsible": RaciRole.RESPONSIBLE, "consulted": RaciRole.CONSULTED, "informed": RaciRole.INFORMED}
    for field, participations in parties.items():
        for participation in participations:
            assignment = DutyAssignment.objects.create(duty=duty, participation=participation, role=roles[field])
            record_created(actor=user, instance=assignment)
    return duty


def _require_assignable_role(role: str) -> None:
    if role == RaciRole.ACCOUNTABLE:
        raise field_error(
            "role",
            _("A duty has exactly one Accountable party: change it instead of adding another."),
            "accountable_not_assignable",
        )
    if role not in ASSIGNABLE_ROLES:
        raise field_error("role", _("Choose Responsible, Consulted or Informed."), "invalid_role")


@transaction.atomic
def duty_assign(*, duty: Duty, participation: Participation, role: str, user: User) -> DutyAssignment:
    """An official makes a participant Responsible, Consulted or Informed on a duty."""
    duty = _locked(duty)
    require_official_for(user, duty.project.community_id)
    _require_assignable_role(role)
    _require_current_party(duty.project, participation, "participation")
    if DutyAssignment.objects.filter(duty=duty, participation=participation, role=role).exists():
        raise field_error(
            "participation", _("This participant already holds this role on the duty."), "already_assigned"
        )
    assignment = DutyAssignment.objects.create(duty=duty, participation=participation, role=role)
    record_created(actor=user, instance=assignment)
    return assignment


@transaction.atomic
def duty_unassign(*, duty: Duty, participation: Participation, role: str, user: User) -> None:
    """An official takes a Responsible, Consulted or Informed role away from a participant."""
    duty = _locked(duty)
    require_official_for(user, duty.project.community_id)
    _require_assignable_role(role)
    assignment = DutyAssignment.objects.filter(duty=duty, participation=participation, role=role).first()
    if assignment is None:
        raise field_error("participation", _("This participant does not hold this role on the duty."), "not_assigned")
    # Recorded before the row goes, while it still has its id.
    record(actor=user, action=AuditAction.DELETE, instance=assignment, before=snapshot(assignment))
    assignment.delete()


@transaction.atomic
def duty_set_accountable(*, duty: Duty, participation: Participation, user: User, reason: str) -> Duty:
    """An official hands the duty's accountability to another participant, saying why."""
    duty = _locked(duty)
    require_official_for(user, duty.project.community_id)
    if not reason.strip():
        raise field_error("reason", _("Say why the accountable party changes."), "reason_required")
    _require_current_party(duty.project, participation, "accountable")
    if participation.pk == duty.accountable_id:
        raise field_error("accountable", _("This participant is already accountable for the duty."), "unchanged")
    before = snapshot(duty)
    duty.accountable = participation
    duty.save(update_fields=["accountable"])
    record_changed(actor=user, instance=duty, before=before, note=reason.strip())
    return duty


# --- Completing an occurrence ---------------------------------------------------------------


def may_complete(user: User, duty: Duty) -> bool:
    """Staff of the Accountable or a Responsible organisation, or an official of the community."""
    if not is_signed_in(user):
        return False
    if is_official_for(user, duty.project.community_id) or is_member_of(user, duty.accountable.organisation_id):
        return True
    return DutyAssignment.objects.filter(
        duty=duty, role=RaciRole.RESPONSIBLE, participation__organisation__memberships__user=user
    ).exists()


def _require_completable_occurrence(duty: Duty, due_on: date) -> None:
    """The occurrence must be the current one and not completed yet.

    Passing the due date seen on screen protects against a second person completing the same
    occurrence after the first has already moved the duty on.
    """
    if DutyCompletion.objects.filter(duty=duty, due_on=due_on).exists():
        raise field_error("due_on", _("This occurrence of the duty has already been completed."), "already_completed")
    if duty.status != DutyStatus.ACTIVE:
        status = duty.get_status_display().lower()
        raise ValidationError(
            _("This duty is %(status)s: there is nothing left to complete.") % {"status": status},
            code="duty_not_active",
        )
    if due_on != duty.next_due_on:
        raise field_error(
            "due_on",
            _("The duty's current occurrence is due on %(date)s.") % {"date": duty.next_due_on},
            "not_current_occurrence",
        )


def duty_complete(
    *, duty: Duty, user: User, evidence: str, due_on: date | None = None, attachments: Iterable[File[Any]] = ()
) -> DutyCompletion:
    """Record the evidence (words, and any photos or files) for the current occurrence and move the duty on.

    A recurring duty is next due one period later, unless that falls after the project's end
    date; a one-off duty, or a recurring one whose project ends before its next occurrence, is done.
    The files are checked as a report's are: type read from the bytes, size, count.
    """
    with stored_files_discarded_on_error() as stored, transaction.atomic():
        return _duty_complete(
            duty=duty, user=user, evidence=evidence, due_on=due_on, attachments=attachments, stored=stored
        )


def _duty_complete(
    *,
    duty: Duty,
    user: User,
    evidence: str,
    due_on: date | None,
    attachments: Iterable[File[Any]],
    stored: list[FieldFile],
) -> DutyCompletion:
    duty = _locked(duty)
    if not may_complete(user, duty):
        raise PermissionDenied(
            _("Only staff of the accountable or a responsible organisation, or an official, may complete this duty.")
        )
    if not evidence.strip():
        raise field_error("evidence", _("Describe the evidence that the duty was done."), "evidence_required")
    _require_completable_occurrence(duty, due_on or duty.next_due_on)
    try:
        uploads = uploads_check(
            uploads=attachments, too_many_message=_("A duty's evidence may have at most %(max)d files.")
        )
    except ValidationError as error:
        raise ValidationError({"attachments": error.error_list}) from None
    completion = DutyCompletion.objects.create(
        duty=duty, due_on=duty.next_due_on, completed_at=timezone.now(), completed_by=user, evidence=evidence.strip()
    )
    record_created(actor=user, instance=completion)
    for attachment in attachments_save(
        model=DutyCompletionAttachment, uploads=uploads, stored=stored, completion=completion
    ):
        record_created(actor=user, instance=attachment)
    before = snapshot(duty)
    following = recurs_until_end(duty.project, next_occurrence(duty.next_due_on, duty.recurrence))
    if following is None:
        duty.status = DutyStatus.DONE
    else:
        duty.next_due_on = following
    duty.save(update_fields=["status", "next_due_on"])
    record_changed(actor=user, instance=duty, before=before, note=f"completed the occurrence due {completion.due_on}")
    return completion


# --- The daily job: recurring duties past their project's end ---------------------------------


def duties_finish_past_project_end(*, projects: QuerySet[Project, Any]) -> int:
    """Finish the active recurring duties of `projects` now due after their project's end date; return how many.

    duty_complete() stops a recurrence at the end date; this catches the duties that moved past
    it before the end date was set or brought forward. A one-off duty stays: a final report may
    well be due after the service period.
    """
    past_end = Duty.objects.filter(
        project__in=projects,
        status=DutyStatus.ACTIVE,
        project__end_date__isnull=False,
        next_due_on__gt=F("project__end_date"),
    ).exclude(recurrence=Recurrence.ONCE)
    ids = list(past_end.values_list("pk", flat=True))
    if not ids:
        return 0
    with transaction.atomic():
        finished = Duty.objects.filter(pk__in=ids).update(status=DutyStatus.DONE)
        record_changed_from(
            # F is resolved to the column like any expression; audit's annotation names only Expression.
            Duty.objects.filter(pk__in=ids),
            object_repr=F("title"),  # type: ignore[arg-type]
            replaced_before={"status": str(DutyStatus.ACTIVE)},
            note=_("The project's service period ended before the duty's next occurrence."),
        )
    return finished
