"""Writes to coproduction projects: contributions and the derived mode, claims and check-ins.

Each function is the one place its rule lives; pages, the API, the admin, jobs and the demo
data all call it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, CharField, Count, F, QuerySet, Sum, Value, When
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_changed, record_changed_from, record_created, snapshot
from common.actors import Actor, is_trusted
from coproduction.attachments import PHOTO_TYPES, stored_files_discarded_on_error, upload_check, upload_store
from coproduction.models import (
    CheckIn,
    Claim,
    ClaimStatus,
    Project,
    Stage,
    Task,
    TaskStatus,
)
from coproduction.selectors.claims import claims_overdue
from coproduction.signals import claim_created
from partners.models import Resident
from partners.roles import is_official_for, is_signed_in


class TaskFull(ValidationError):
    """The task has no place left: the API answers 409 Conflict."""


# --- Residents' claims and check-ins ---------------------------------------------------------


def _require_acting_for(user: Actor, resident: Resident) -> None:
    """The resident themself, an official of their community (who may register a claim for a
    resident without a phone), or an administrator.

    For TRUSTED the platform (a job, the demo data) acts for the resident, and the resident's own
    account is recorded as the actor.
    """
    if is_trusted(user):
        return
    if is_signed_in(user) and resident.user_id == user.pk:
        return
    if is_official_for(user, resident.community_id):
        return
    raise PermissionDenied(_("Only the resident, or an official of their community, may do this."))


def _actor(user: Actor, resident: Resident) -> AbstractBaseUser | AnonymousUser | None:
    return resident.user if is_trusted(user) else user


@transaction.atomic
def claim_create(*, task: Task, resident: Resident, user: Actor) -> Claim:
    """A resident takes a place on a task.

    The task row is locked, so that concurrent claims on it run one after the other and a
    second claim by the same resident sees the first; the place is then taken by a conditional
    UPDATE, so that even without the lock the database never lets a task overfill.
    """
    _require_acting_for(user, resident)
    task = Task.objects.select_for_update(of=("self",)).select_related("project").get(pk=task.pk)
    if task.project.community_id != resident.community_id:
        raise ValidationError(
            _("Only residents of the project's community may claim its tasks."), code="other_community"
        )
    if task.status != TaskStatus.OPEN:
        raise ValidationError(_("This task is not open for claims."), code="task_closed")
    if task.project.stage != Stage.OPERATION:
        raise ValidationError(
            _("Tasks can only be claimed while the project is in operation."), code="project_not_running"
        )
    if timezone.localdate() > task.period_end:
        raise ValidationError(_("This task's period is over."), code="task_ended")
    if Claim.objects.filter(task=task, resident=resident, status=ClaimStatus.ACTIVE).exists():
        raise _already_claimed()
    room_left = Task.objects.filter(pk=task.pk, active_claims__lt=F("capacity"))
    taken = room_left.update(active_claims=F("active_claims") + 1)
    if not taken:
        raise TaskFull(_("Every place on this task is taken."), code="task_full")
    try:
        with transaction.atomic():
            claim = Claim.objects.create(task=task, resident=resident, status=ClaimStatus.ACTIVE)
    except IntegrityError:
        # The one-active-claim index caught a concurrent twin; the place taken above rolls back.
        raise _already_claimed() from None
    task.active_claims += 1
    record_created(actor=_actor(user, resident), instance=claim)
    claim_created.send(sender=Claim, claim=claim, by=user)
    return claim


def _already_claimed() -> ValidationError:
    return ValidationError(_("You already hold a claim on this task."), code="already_claimed")


def _end_claim(claim: Claim, status: str, user: Actor) -> Claim:
    """End an active claim and give its place back; the caller's instance is brought up to date."""
    claim.refresh_from_db(from_queryset=Claim.objects.select_for_update())
    _require_acting_for(user, claim.resident)
    if claim.status != ClaimStatus.ACTIVE:
        raise ValidationError(_("This claim is no longer active."), code="claim_not_active")
    before = snapshot(claim)
    claim.status, claim.ended_at = status, timezone.now()
    claim.save(update_fields=["status", "ended_at"])
    Task.objects.filter(pk=claim.task_id).update(active_claims=F("active_claims") - 1)
    record_changed(actor=_actor(user, claim.resident), instance=claim, before=before)
    return claim


@transaction.atomic
def claim_release(*, claim: Claim, user: Actor) -> Claim:
    """The resident gives the place back."""
    return _end_claim(claim, ClaimStatus.RELEASED, user)


@transaction.atomic
def claim_lapse(*, claim: Claim, user: Actor) -> Claim:
    """The claim has missed too many check-ins: it lapses and frees its place."""
    return _end_claim(claim, ClaimStatus.LAPSED, user)


def _checkin_date_errors(claim: Claim, task: Task, on: date) -> list[ValidationError]:
    if not task.period_start <= on <= task.period_end:
        return [ValidationError(_("The date is outside the task's period."), code="outside_period")]
    if on > timezone.localdate():
        return [ValidationError(_("A check-in cannot be in the future."), code="future")]
    if CheckIn.objects.filter(claim=claim, on=on).exists():
        return [_duplicate_checkin()]
    return []


def _duplicate_checkin() -> ValidationError:
    return ValidationError(_("You have already checked in on this day."), code="duplicate")


@transaction.atomic
def checkin_record(*, claim: Claim, on: date, note: str = "", photo: File[Any] | None = None, user: Actor) -> CheckIn:
    """A check-in on an active claim, within the task's period, at most one a day, with an optional photo.

    The claim is locked, so that a release or a lapse cannot slip in between the check that the
    claim is active and the check-in, and so that its last check-in date only ever moves forward.
    """
    claim.refresh_from_db(from_queryset=Claim.objects.select_for_update())
    _require_acting_for(user, claim.resident)
    if claim.status != ClaimStatus.ACTIVE:
        raise ValidationError(_("Check-ins are only possible on an active claim."), code="claim_not_active")
    task = claim.task
    errors: dict[str, list[ValidationError]] = {}
    try:
        on = CheckIn._meta.get_field("on").to_python(on)
    except ValidationError as error:
        errors["on"] = error.error_list
    if on is None and "on" not in errors:
        errors["on"] = [ValidationError(_("Give the day of the check-in."), code="required")]
    if "on" not in errors:
        errors["on"] = _checkin_date_errors(claim, task, on)
    checked_photo = None
    if photo:
        try:
            checked_photo = upload_check(upload=photo, allowed=PHOTO_TYPES)
        except ValidationError as error:
            errors["photo"] = error.error_list
    errors = {field: problems for field, problems in errors.items() if problems}
    if errors:
        raise ValidationError(errors)

    with stored_files_discarded_on_error() as stored:
        checkin = CheckIn(claim=claim, on=on, note=(note or "").strip(), hours=task.hours_per_checkin)
        if checked_photo:
            upload_store(checked=checked_photo, field_file=checkin.photo)
            stored.append(checkin.photo)
        try:
            with transaction.atomic():
                checkin.save(force_insert=True)
        except IntegrityError:
            raise ValidationError({"on": [_duplicate_checkin()]}) from None
        if claim.last_checkin_on is None or on > claim.last_checkin_on:
            claim.last_checkin_on = on
            claim.save(update_fields=["last_checkin_on"])
        record_created(actor=_actor(user, claim.resident), instance=checkin)
    return checkin


def volunteer_hours(*, resident: Resident) -> Decimal:
    """Hours a resident has given through check-ins on claimed tasks."""
    total = CheckIn.objects.filter(claim__resident=resident).aggregate(total=Sum("hours"))["total"]
    return total or Decimal("0")


# --- Lapsing claims whose check-ins stopped --------------------------------------------------


@transaction.atomic
def claims_lapse_overdue(*, today: date | None = None, projects: QuerySet[Project] | None = None) -> int:
    """Lapse every overdue claim and free its place, in a fixed number of queries however many there are.

    The claims are ended by one UPDATE stamped with this run's moment; that stamp then tells
    the second UPDATE how many places each task gets back, and the audit entries are written by
    one INSERT ... SELECT. Returns the number of claims lapsed.
    """
    today = today or timezone.localdate()
    overdue = claims_overdue(today=today)
    if projects is not None:
        overdue = overdue.filter(task__project__in=projects)
    moment = timezone.now()
    # Active again in the outer filter: a claim released while this runs must not give its place back twice.
    lapsed_count = Claim.objects.filter(pk__in=overdue.values("pk"), status=ClaimStatus.ACTIVE).update(
        status=ClaimStatus.LAPSED, ended_at=moment
    )
    if not lapsed_count:
        return 0
    lapsed = Claim.objects.filter(status=ClaimStatus.LAPSED, ended_at=moment)
    _free_places(lapsed)
    _record_lapses(lapsed)
    return lapsed_count


def _free_places(claims: QuerySet[Claim]) -> None:
    """Give each task back one place per claim of `claims`, in one UPDATE ... FROM the claims grouped by task.

    A correlated count per task would be planned on statistics that do not yet know the claims
    just lapsed, and at district scale it then rescans every lapsed claim once per task.
    """
    per_task = claims.order_by().values("task_id").annotate(n=Count("pk"))
    grouped_sql, params = per_task.query.sql_with_params()
    table = connection.ops.quote_name(Task._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET active_claims = active_claims - freed.n "
            f"FROM ({grouped_sql}) AS freed WHERE {table}.id = freed.task_id",
            params,
        )


def _record_lapses(claims: QuerySet[Claim]) -> None:
    """One audit entry per lapsed claim, in one INSERT ... SELECT: the platform's job is the actor."""
    # Claim.__str__ in SQL: the resident (unless removed), then the task's code and title.
    resident = Case(
        When(resident__removed_at__isnull=True, then=F("resident__name")),
        default=Value(_("Removed resident")),
        output_field=CharField(),
    )
    name = Concat(resident, Value(" -> "), F("task__code"), Value(" "), F("task__title"), output_field=CharField())
    record_changed_from(
        claims,
        object_repr=name,
        replaced_before={"status": ClaimStatus.ACTIVE, "ended_at": None},
        note=_("No check-in within the task's rule: the claim lapsed and its place was freed."),
    )
