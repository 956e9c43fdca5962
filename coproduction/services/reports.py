"""Service reports: providers submit a period's outputs and money, officials accept or return them.

A report is a business record the evaluation and accountability apps read (outputs, loss-making
periods, missed reports), so every figure is checked here, every refusal lists all its problems
at once keyed by field, and the history of submissions and reviews is kept in ReportEvent rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import record, record_created, snapshot
from common.actors import Account
from coproduction.attachments import CheckedUpload, stored_files_discarded_on_error, upload_store, uploads_check
from coproduction.models import (
    Participation,
    ParticipationRole,
    Project,
    ReportAttachment,
    ReportEvent,
    ReportEventKind,
    ReportStatus,
    ServiceReport,
    Stage,
)
from coproduction.signals import report_reviewed, report_submitted
from partners.models import Organisation
from partners.roles import can_act_for, checked_account, is_member_of, require_official_for

FIGURES = ("people_served", "service_units", "cost", "income", "subsidy")
REPORTING_STAGES = (Stage.OPERATION, Stage.EVALUATION)
REPORTING_ROLES = (ParticipationRole.PROVIDER, ParticipationRole.LEAD)

Errors = dict[str, list[ValidationError]]


# --- Checks shared by submission and resubmission -------------------------------------------


def _add(errors: Errors, field: str, message: str, code: str) -> None:
    errors.setdefault(field, []).append(ValidationError(message, code=code))


def _field(name: str) -> models.Field[Any, Any]:
    return {field.name: field for field in ServiceReport._meta.concrete_fields}[name]


def _to_python(errors: Errors, name: str, value: object) -> Any:
    """The value as the model field reads it (a date, a whole number or a Decimal, as the field
    holds), or None with the field's own message recorded."""
    field = _field(name)
    try:
        value = field.to_python(value)
    except ValidationError as error:
        errors.setdefault(name, []).extend(error.error_list)
        return None
    if value is None:
        _add(errors, name, _("This field is required."), "required")
    return value


def _clean_figures(errors: Errors, raw: dict[str, object]) -> dict[str, int | Decimal]:
    """Outputs and money: numbers of zero or more, within the columns' digits."""
    cleaned: dict[str, int | Decimal] = {}
    for name, value in raw.items():
        value = _to_python(errors, name, value)
        if value is None:
            continue
        if value < 0:
            _add(errors, name, _("Enter zero or more: a report's figures cannot be negative."), "negative")
            continue
        try:
            _field(name).run_validators(value)
        except ValidationError as error:
            errors.setdefault(name, []).extend(error.error_list)
            continue
        cleaned[name] = value
    return cleaned


def _overlapping_report(
    *, project: Project, organisation: Organisation, start: date, end: date, exclude_pk: int | None
) -> ServiceReport | None:
    reports = ServiceReport.objects.filter(
        project=project, organisation=organisation, period_start__lte=end, period_end__gte=start
    )
    other: ServiceReport | None = reports.exclude(pk=exclude_pk).order_by("period_start").first()
    return other


def _duplicate_error(start: date) -> ValidationError:
    return ValidationError(
        _("This organisation has already reported on the period starting %(start)s for this project.")
        % {"start": start.isoformat()},
        code="duplicate_period",
    )


def earliest_filing_day(period_end: date) -> date:
    """A period is reported on once it is over: from the day after its last day."""
    return period_end + timedelta(days=1)


def _check_period(
    errors: Errors,
    *,
    project: Project,
    organisation: Organisation,
    start: object,
    end: object,
    exclude_pk: int | None = None,
) -> tuple[date | None, date | None]:
    """Over, within the project's dates, in order, and not reported on before by this organisation."""
    first: date | None = _to_python(errors, "period_start", start)
    last: date | None = _to_python(errors, "period_end", end)
    if first is None or last is None:
        return first, last
    if last < first:
        _add(errors, "period_end", _("The period cannot end before it starts."), "period_reversed")
        return first, last
    if project.start_date and first < project.start_date:
        _add(
            errors,
            "period_start",
            _("The period starts before the project (%(date)s).") % {"date": project.start_date.isoformat()},
            "outside_project",
        )
    if project.end_date and last > project.end_date:
        _add(
            errors,
            "period_end",
            _("The period ends after the project (%(date)s).") % {"date": project.end_date.isoformat()},
            "outside_project",
        )
    # The community's date (the platform's time zone): a December report is filed from 1 January.
    elif (earliest := earliest_filing_day(last)) > timezone.localdate():
        _add(
            errors,
            "period_end",
            _("The period has not ended yet: a report on it may be filed from %(date)s.")
            % {"date": earliest.isoformat()},
            "period_not_ended",
        )
    other = _overlapping_report(
        project=project, organisation=organisation, start=first, end=last, exclude_pk=exclude_pk
    )
    if other is not None and other.period_start == first:
        errors.setdefault("period_start", []).append(_duplicate_error(first))
    elif other is not None:
        _add(
            errors,
            "period_start",
            _("The period overlaps the report for %(start)s to %(end)s.")
            % {"start": other.period_start.isoformat(), "end": other.period_end.isoformat()},
            "period_overlaps",
        )
    return first, last


def _check_reporting(errors: Errors, *, project: Project, organisation: Organisation) -> None:
    """A report comes from a provider (or the lead) of a project that is running or being evaluated."""
    if project.stage not in REPORTING_STAGES:
        _add(
            errors,
            NON_FIELD_ERRORS,
            _("Reports are only taken while the project is in operation or evaluation."),
            "wrong_stage",
        )
    providers = Participation.objects.filter(project=project, organisation=organisation, role__in=REPORTING_ROLES)
    if not providers.exists():
        _add(
            errors, "organisation", _("Only a provider or the lead of this project may report on it."), "not_a_provider"
        )


def _check_narrative(errors: Errors, narrative: str | None) -> str:
    text = (narrative or "").strip()
    if not text:
        _add(errors, "narrative", _("Describe what was delivered in the period."), "required")
    return text


def _check_uploads(errors: Errors, uploads: Iterable[File[Any]], *, already_attached: int = 0) -> list[CheckedUpload]:
    try:
        return uploads_check(uploads=uploads, already_attached=already_attached)
    except ValidationError as error:
        errors.setdefault("attachments", []).extend(error.error_list)
        return []


def _raise_if_any(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _require_staff(user: Account, organisation: Organisation | int) -> None:
    if not is_member_of(user, organisation):
        raise PermissionDenied(_("Only the staff of this organisation may report for it."))


# --- Writing ---------------------------------------------------------------------------------


def _figures(report: ServiceReport) -> dict[str, Any]:
    """The report as it stood at an event, for the history."""
    return {
        "period_start": report.period_start.isoformat(),
        "period_end": report.period_end.isoformat(),
        "people_served": report.people_served,
        "service_units": report.service_units,
        **{name: f"{Decimal(getattr(report, name)):.2f}" for name in ("cost", "income", "subsidy")},
        "narrative": report.narrative,
        "attachments": list(report.attachments.order_by("pk").values_list("pk", flat=True)),
    }


def _attach(report: ServiceReport, uploads: list[CheckedUpload], *, user: Account, stored: list[FieldFile]) -> None:
    for checked in uploads:
        attachment = ReportAttachment(
            report=report,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.upload.size,
        )
        upload_store(checked=checked, field_file=attachment.file)
        stored.append(attachment.file)
        attachment.save()
        record_created(actor=user, instance=attachment)


def _save_new(report: ServiceReport) -> None:
    """Insert the report; a concurrent submission for the same period becomes the usual field error."""
    try:
        with transaction.atomic():
            report.save(force_insert=True)
    except IntegrityError:
        duplicate = ServiceReport.objects.filter(
            project=report.project, organisation=report.organisation, period_start=report.period_start
        )
        if duplicate.exists():
            raise ValidationError({"period_start": [_duplicate_error(report.period_start)]}) from None
        raise


def report_submit(
    *,
    project: Project,
    organisation: Organisation,
    user: Account,
    period_start: date,
    period_end: date,
    people_served: int,
    service_units: int,
    cost: Decimal,
    income: Decimal,
    subsidy: Decimal,
    narrative: str,
    attachments: Iterable[File[Any]] = (),
) -> ServiceReport:
    """A provider's staff report on one period; refused with every problem listed, writing nothing."""
    _require_staff(user, organisation)
    with stored_files_discarded_on_error() as stored, transaction.atomic():
        # Locked so that a stage change or another submission for the project waits for this one.
        project = Project.objects.select_for_update().get(pk=project.pk)
        errors: Errors = {}
        _check_reporting(errors, project=project, organisation=organisation)
        start, end = _check_period(
            errors, project=project, organisation=organisation, start=period_start, end=period_end
        )
        given = (people_served, service_units, cost, income, subsidy)
        figures = _clean_figures(errors, dict(zip(FIGURES, given, strict=True)))
        narrative = _check_narrative(errors, narrative)
        uploads = _check_uploads(errors, attachments)
        _raise_if_any(errors)

        # Both days are dates: _raise_if_any() refused a missing or malformed one.
        report = ServiceReport(
            project=project,
            organisation=organisation,
            period_start=cast(date, start),
            period_end=cast(date, end),
            narrative=narrative,
            status=ReportStatus.SUBMITTED,
            revision=1,
            submitted_by=checked_account(user),
            submitted_at=timezone.now(),
            **figures,
        )
        _save_new(report)
        _attach(report, uploads, user=user, stored=stored)
        ReportEvent.objects.create(
            report=report,
            kind=ReportEventKind.SUBMITTED,
            revision=1,
            by=checked_account(user),
            figures=_figures(report),
        )
        record_created(actor=user, instance=report)
        report_submitted.send(sender=ServiceReport, report=report, by=user)
    return report


def _save_corrected(report: ServiceReport) -> None:
    """Save the new revision; a concurrent report taking the corrected period becomes the usual field error."""
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ValidationError({"period_start": [_duplicate_error(report.period_start)]}) from None


def report_review(*, report: ServiceReport, user: Account, accept: bool, comment: str = "") -> ServiceReport:
    """An official of the project's community accepts the report, or returns it with a comment."""
    comment = (comment or "").strip()
    with transaction.atomic():
        report = ServiceReport.objects.select_for_update(of=("self",)).select_related("project").get(pk=report.pk)
        require_official_for(user, report.project.community_id)
        if is_member_of(user, report.organisation_id):
            raise PermissionDenied(_("You work for this organisation: another official must review its report."))
        if report.status != ReportStatus.SUBMITTED:
            raise ValidationError(
                _("Only a submitted report can be reviewed; this one is %(status)s.")
                % {"status": ReportStatus(report.status).label.lower()},
                code="not_submitted",
            )
        if not accept and not comment:
            raise ValidationError(
                {
                    "comment": [
                        ValidationError(
                            _("Say what must change before the report can be accepted."), code="comment_required"
                        )
                    ]
                }
            )
        before = snapshot(report)
        report.status = ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED
        report.reviewed_by, report.reviewed_at, report.review_comment = checked_account(user), timezone.now(), comment
        report.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
        ReportEvent.objects.create(
            report=report,
            kind=ReportEventKind.ACCEPTED if accept else ReportEventKind.RETURNED,
            revision=report.revision,
            by=checked_account(user),
            comment=comment,
            figures=_figures(report),
        )
        record(
            actor=user, action=AuditAction.TRANSITION, instance=report, before=before, note=comment or _("Accepted.")
        )
        report_reviewed.send(sender=ServiceReport, report=report, by=user)
    return report


# Reports their organisation may change and submit again: sent back by a reviewer, or taken back.
RESUBMITTABLE_STATUSES = (ReportStatus.RETURNED, ReportStatus.WITHDRAWN)


def report_resubmit(
    *,
    report: ServiceReport,
    user: Account,
    people_served: int | None = None,
    service_units: int | None = None,
    cost: Decimal | None = None,
    income: Decimal | None = None,
    subsidy: Decimal | None = None,
    narrative: str | None = None,
    attachments: Iterable[File[Any]] = (),
    period_start: date | None = None,
    period_end: date | None = None,
) -> ServiceReport:
    """The provider answers a returned (or withdrawn) report: changed period, figures, narrative and added files.

    Values left as None keep theirs; a corrected period passes the same checks as a first
    submission (over, within the project, no overlap with the organisation's other reports).
    The review that returned the report stays in its ReportEvent; on the report itself the
    review is cleared, as the new revision awaits one.
    """
    _require_staff(user, report.organisation_id)
    with stored_files_discarded_on_error() as stored, transaction.atomic():
        locked = ServiceReport.objects.select_for_update(of=("self",)).select_related("project", "organisation")
        report = locked.get(pk=report.pk)
        if report.status not in RESUBMITTABLE_STATUSES:
            raise ValidationError(
                _("Only a report returned for changes or withdrawn can be submitted again."), code="not_returned"
            )
        changed = dict(zip(FIGURES, (people_served, service_units, cost, income, subsidy), strict=True))
        errors: Errors = {}
        _check_reporting(errors, project=report.project, organisation=report.organisation)
        start, end = _check_period(
            errors,
            project=report.project,
            organisation=report.organisation,
            start=report.period_start if period_start is None else period_start,
            end=report.period_end if period_end is None else period_end,
            exclude_pk=report.pk,
        )
        figures = _clean_figures(errors, {name: value for name, value in changed.items() if value is not None})
        text = _check_narrative(errors, report.narrative if narrative is None else narrative)
        uploads = _check_uploads(errors, attachments, already_attached=report.attachments.count())
        _raise_if_any(errors)

        before = snapshot(report)
        for name, value in figures.items():
            setattr(report, name, value)
        # Both days are dates: _raise_if_any() refused a missing or malformed one.
        report.period_start, report.period_end = cast(date, start), cast(date, end)
        report.narrative = text
        report.revision += 1
        report.status = ReportStatus.SUBMITTED
        report.submitted_by, report.submitted_at = checked_account(user), timezone.now()
        report.reviewed_by, report.reviewed_at, report.review_comment = None, None, ""
        _save_corrected(report)
        _attach(report, uploads, user=user, stored=stored)
        ReportEvent.objects.create(
            report=report,
            kind=ReportEventKind.RESUBMITTED,
            revision=report.revision,
            by=checked_account(user),
            figures=_figures(report),
        )
        record(
            actor=user,
            action=AuditAction.TRANSITION,
            instance=report,
            before=before,
            note=_("Resubmitted as revision %(revision)d.") % {"revision": report.revision},
        )
        report_submitted.send(sender=ServiceReport, report=report, by=user)
    return report


def may_withdraw(user: Account, report: ServiceReport) -> bool:
    """Who may take a report back before review: whoever submitted it, or a manager of its organisation."""
    return report.submitted_by_id == getattr(user, "pk", None) or can_act_for(user, report.organisation_id)


def report_withdraw(*, report: ServiceReport, user: Account) -> ServiceReport:
    """The provider takes a submitted report back before it is reviewed, to change and submit it again.

    The report keeps its period (no one else reports on it meanwhile) and leaves the officials'
    review queue; report_resubmit() sends it back as a new revision.
    """
    with transaction.atomic():
        report = ServiceReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
        if not is_member_of(user, report.organisation_id) or not may_withdraw(user, report):
            raise PermissionDenied(
                _("Only the person who submitted the report, or a manager of its organisation, may withdraw it.")
            )
        if report.status != ReportStatus.SUBMITTED:
            raise ValidationError(
                _("Only a report awaiting review can be withdrawn; this one is %(status)s.")
                % {"status": ReportStatus(report.status).label.lower()},
                code="not_submitted",
            )
        before = snapshot(report)
        report.status = ReportStatus.WITHDRAWN
        report.save(update_fields=["status"])
        ReportEvent.objects.create(
            report=report,
            kind=ReportEventKind.WITHDRAWN,
            revision=report.revision,
            by=checked_account(user),
            figures=_figures(report),
        )
        record(
            actor=user,
            action=AuditAction.TRANSITION,
            instance=report,
            before=before,
            note=_("Withdrawn before review."),
        )
    return report
