"""Breach records and their resolution: the one place a breach is opened, and sanctions applied.

Breaches come from missed duties, missed reports, unanswered complaints, lapsed claims and
failed inspections; whoever detects one (the periodic job, an inspection) calls breach_open(),
which returns the record already on file for the same miss instead of raising a second one.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability.models import Breach, BreachKind, BreachStatus, Complaint, Duty, Inspection, Sanction, Severity
from accountability.signals import breach_opened, breach_resolved
from audit.services import record_changed, record_created, snapshot
from common.actors import Actor
from common.errors import field_error
from coproduction.models import Claim, Participation, Project
from partners.models import Organisation, OrganisationStatus, User
from partners.roles import require_official_for
from partners.services.organisations import organisation_set_status

# The fields that identify one miss of each kind: the same fields as the unique constraints.
IDENTITY_FIELDS: dict[str, tuple[str, ...]] = {
    BreachKind.OVERDUE_DUTY: ("duty", "due_on"),
    BreachKind.MISSED_REPORT: ("project", "organisation", "due_on"),
    BreachKind.UNANSWERED_COMPLAINT: ("complaint",),
    BreachKind.LAPSED_CLAIM: ("claim",),
    BreachKind.FAILED_INSPECTION: ("inspection",),
}

# The organisation status each sanction imposes; the others leave the status alone.
SANCTION_STATUS: dict[str, str] = {
    Sanction.SUSPENSION: OrganisationStatus.SUSPENDED,
    Sanction.BLACKLIST: OrganisationStatus.BLACKLISTED,
}
# A sanction never softens an earlier, harsher one: a blacklisted organisation stays blacklisted.
STATUS_HARSHNESS: dict[str, int] = {
    OrganisationStatus.APPLICANT: 0,
    OrganisationStatus.APPROVED: 0,
    OrganisationStatus.SUSPENDED: 1,
    OrganisationStatus.BLACKLISTED: 2,
}


def _source_project_id(source: Duty | Complaint | Claim | Inspection) -> int | None:
    if isinstance(source, Claim):
        return source.task.project_id
    return source.project_id


def _validate_new_breach(
    *, kind: str, severity: str, project: Project, organisation: Organisation, sources: dict[str, Any]
) -> None:
    errors = {}
    if kind not in BreachKind.values:
        raise field_error("kind", _("Choose a valid kind of breach."), "invalid_kind")
    if severity not in Severity.values:
        errors["severity"] = ValidationError(_("Choose a valid severity."), code="invalid_severity")
    for field in IDENTITY_FIELDS[kind]:
        if sources[field] is None:
            errors[field] = ValidationError(_("A breach of this kind must name its source."), code="source_required")
    for field, source in sources.items():
        if isinstance(source, (Duty, Complaint, Claim, Inspection)) and _source_project_id(source) != project.pk:
            errors[field] = ValidationError(
                _("The source of the breach must belong to the breach's project."), code="source_elsewhere"
            )
    if not Participation.objects.filter(project=project, organisation=organisation).exists():
        errors["organisation"] = ValidationError(
            _("The accountable organisation must take part in the project."), code="not_a_participant"
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def breach_open(
    *,
    kind: str,
    project: Project,
    organisation: Organisation,
    severity: str,
    duty: Duty | None = None,
    due_on: date | None = None,
    complaint: Complaint | None = None,
    claim: Claim | None = None,
    inspection: Inspection | None = None,
    description: str = "",
    details: dict[str, Any] | None = None,
    user: Actor,
) -> Breach:
    """Record a breach naming the organisation that answers for it, or return the one on file.

    The same miss is recorded once, whoever detects it and however often: an existing record is
    returned unchanged, open or resolved, so a breach an official resolved is never reopened.
    Trusted: whoever detects the miss has already been allowed to act (an inspector recording a failed
    inspection, the platform's job as TRUSTED); `user` is who the audit log names.
    """
    sources = {
        "project": project,
        "organisation": organisation,
        "duty": duty,
        "due_on": due_on,
        "complaint": complaint,
        "claim": claim,
        "inspection": inspection,
    }
    _validate_new_breach(kind=kind, severity=severity, project=project, organisation=organisation, sources=sources)
    identity = {field: sources[field] for field in IDENTITY_FIELDS[kind]}
    existing: Breach | None = Breach.objects.filter(kind=kind, **identity).first()
    if existing is not None:
        return existing
    now = timezone.now()
    try:
        with transaction.atomic():
            breach = Breach.objects.create(
                kind=kind,
                severity=severity,
                description=description,
                details=details or {},
                detected_at=now,
                updated_at=now,
                **sources,
            )
    except IntegrityError:
        # Another detector recorded the same miss between our look and our write.
        concurrent: Breach | None = Breach.objects.filter(kind=kind, **identity).first()
        if concurrent is None:
            raise
        return concurrent
    record_created(actor=user, instance=breach, note=kind)
    breach_opened.send(sender=Breach, breach=breach, by=user)
    return breach


def _impose_status(*, organisation: Organisation, sanction: str, user: User, resolution: str) -> None:
    status = SANCTION_STATUS.get(sanction)
    if status is None or STATUS_HARSHNESS[status] <= STATUS_HARSHNESS[organisation.status]:
        return
    organisation_set_status(
        organisation=organisation,
        status=status,
        user=user,
        reason=f"{Sanction(sanction).label}: {resolution}",
    )


@transaction.atomic
def breach_resolve(*, breach: Breach, user: User, resolution: str, sanction: str) -> Breach:
    """An official closes a breach with a resolution and a sanction.

    Suspension and blacklisting also change the organisation's status, which bars it from
    applying to calls until an official approves it again.
    """
    breach = Breach.objects.select_for_update(of=("self",)).select_related("project", "organisation").get(pk=breach.pk)
    require_official_for(user, breach.project.community_id)
    errors = {}
    if not resolution.strip():
        errors["resolution"] = ValidationError(_("Say how the breach was resolved."), code="resolution_required")
    if sanction not in Sanction.values:
        errors["sanction"] = ValidationError(_("Choose a sanction, or none."), code="invalid_sanction")
    if errors:
        raise ValidationError(errors)
    if breach.status != BreachStatus.OPEN:
        raise ValidationError(_("This breach has already been resolved."), code="already_resolved")
    before = snapshot(breach)
    now = timezone.now()
    breach.status, breach.resolved_at, breach.resolved_by = BreachStatus.RESOLVED, now, user
    breach.resolution, breach.sanction, breach.updated_at = resolution.strip(), sanction, now
    breach.save(update_fields=["status", "resolved_at", "resolved_by", "resolution", "sanction", "updated_at"])
    record_changed(actor=user, instance=breach, before=before, note=resolution.strip())
    _impose_status(organisation=breach.organisation, sanction=sanction, user=user, resolution=resolution.strip())
    # Trust scores weigh breaches and sanctions: the evaluation app refreshes them once this commits.
    breach_resolved.send(sender=Breach, breach=breach, by=user)
    return breach
