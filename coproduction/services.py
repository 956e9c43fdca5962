"""Writes to coproduction projects: contributions and the derived mode, claims and check-ins.

Each function is the one place its rule lives; pages, the API, the admin, jobs and the demo
data all call it.
"""
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DecimalField, F, FloatField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, NullIf, Round
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_changed, snapshot
from partners.models import OrganisationKind, Resident
from partners.roles import require_official_for

from .models import (
    CheckIn, Claim, ClaimStatus, Contribution, GovernanceLevel, Participation, Project, Task, TaskStatus,
)


def _contribution_total(*, government_only: bool):
    contributions = Contribution.objects.filter(project=OuterRef("pk"))
    if government_only:
        contributions = contributions.filter(participation__organisation__kind=OrganisationKind.GOVERNMENT)
    total = contributions.values("project").annotate(total=Sum("value")).values("total")
    return Coalesce(Subquery(total), Value(Decimal("0")), output_field=DecimalField(max_digits=16, decimal_places=2))


def projects_recompute_concentration(*, projects) -> int:
    """Set each project's government share of valued contributions, in one UPDATE.

    The resource concentration and the coproduction mode are generated columns computed from this
    share, so they follow on their own. A project with nothing valued yet has no share.
    Returns the number of projects updated.
    """
    # Divide as floating point (SQLite would otherwise divide integers), then round as a decimal.
    ratio = Cast(_contribution_total(government_only=True), FloatField()) / NullIf(
        Cast(_contribution_total(government_only=False), FloatField()), Value(0.0)
    )
    share = Round(Cast(ratio, DecimalField(max_digits=16, decimal_places=6)), 4)
    return Project.objects.filter(pk__in=projects.values("pk")).update(government_share=share)


@transaction.atomic
def contribution_add(
    *, participation: Participation, kind: str, value: Decimal, contributed_on: date,
    quantity: Decimal = Decimal("1"), unit: str = "", description: str = "",
) -> Contribution:
    """Record a valued contribution and recompute the project's mode from the new shares."""
    contribution = Contribution(
        project_id=participation.project_id, participation=participation, kind=kind, value=value, contributed_on=contributed_on,
        quantity=quantity, unit=unit, description=description,
    )
    contribution.full_clean()
    contribution.save()
    projects_recompute_concentration(projects=Project.objects.filter(pk=participation.project_id))
    return contribution


@transaction.atomic
def project_set_authority(*, project: Project, level: str, reason: str, user) -> Project:
    """The official's judgement of governance authority, with the reason; the mode follows."""
    require_official_for(user, project.community_id)
    if level not in GovernanceLevel.values:
        raise ValidationError({"governance_authority": _("Choose high or low.")}, code="invalid_level")
    if not reason.strip():
        raise ValidationError({"authority_reason": _("Give the reason for this judgement.")}, code="reason_required")
    before = snapshot(project)
    project.governance_authority = level
    project.authority_reason = reason.strip()
    project.save(update_fields=["governance_authority", "authority_reason", "updated_at"])
    project.refresh_from_db(fields=["mode", "resource_concentration"])
    record_changed(actor=user, instance=project, before=before)
    return project


class TaskFull(ValidationError):
    """The task has no place left: the API answers 409 Conflict."""


@transaction.atomic
def claim_create(*, task: Task, resident: Resident) -> Claim:
    """A resident takes a place on a task.

    The place is taken by one conditional UPDATE, so that concurrent claims can never overfill a
    task: the database checks the capacity in the same statement that takes the place.
    """
    if task.project.community_id != resident.community_id:
        raise ValidationError(_("Only residents of the project's community may claim its tasks."), code="other_community")
    if task.status != TaskStatus.OPEN:
        raise ValidationError(_("This task is not open for claims."), code="task_closed")
    if Claim.objects.filter(task=task, resident=resident, status=ClaimStatus.ACTIVE).exists():
        raise ValidationError(_("You already hold a claim on this task."), code="already_claimed")
    taken = Task.objects.filter(pk=task.pk, active_claims__lt=F("capacity")).update(active_claims=F("active_claims") + 1)
    if not taken:
        raise TaskFull(_("Every place on this task is taken."), code="task_full")
    return Claim.objects.create(task=task, resident=resident, status=ClaimStatus.ACTIVE)


def _end_claim(claim: Claim, status: str) -> Claim:
    ended = Claim.objects.filter(pk=claim.pk, status=ClaimStatus.ACTIVE).update(status=status, ended_at=timezone.now())
    if not ended:
        raise ValidationError(_("This claim is no longer active."), code="claim_not_active")
    Task.objects.filter(pk=claim.task_id).update(active_claims=F("active_claims") - 1)
    claim.refresh_from_db()
    return claim


@transaction.atomic
def claim_release(*, claim: Claim) -> Claim:
    """The resident gives the place back."""
    return _end_claim(claim, ClaimStatus.RELEASED)


@transaction.atomic
def claim_lapse(*, claim: Claim) -> Claim:
    """The claim has missed too many check-ins: it lapses and frees its place."""
    return _end_claim(claim, ClaimStatus.LAPSED)


@transaction.atomic
def checkin_record(*, claim: Claim, on: date, note: str = "", photo=None) -> CheckIn:
    """A check-in on an active claim, within the task's period, at most one a day."""
    if claim.status != ClaimStatus.ACTIVE:
        raise ValidationError(_("Check-ins are only possible on an active claim."), code="claim_not_active")
    task = claim.task
    if not task.period_start <= on <= task.period_end:
        raise ValidationError({"on": _("The date is outside the task's period.")}, code="outside_period")
    if on > timezone.localdate():
        raise ValidationError({"on": _("A check-in cannot be in the future.")}, code="future")
    if CheckIn.objects.filter(claim=claim, on=on).exists():
        raise ValidationError({"on": _("You have already checked in on this day.")}, code="duplicate")
    checkin = CheckIn.objects.create(claim=claim, on=on, note=note, photo=photo or "", hours=task.hours_per_checkin)
    Claim.objects.filter(pk=claim.pk).filter(Q(last_checkin_on__isnull=True) | Q(last_checkin_on__lt=on)).update(
        last_checkin_on=on
    )
    return checkin


def volunteer_hours(*, resident: Resident) -> Decimal:
    """Hours a resident has given through check-ins on claimed tasks."""
    total = CheckIn.objects.filter(claim__resident=resident).aggregate(total=Sum("hours"))["total"]
    return total or Decimal("0")
