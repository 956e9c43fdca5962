"""Writes to coproduction projects: contributions and the derived mode, claims and check-ins.

Each function is the one place its rule lives; pages, the API, the admin, jobs and the demo
data all call it.
"""
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, CharField, Count, DecimalField, F, FloatField, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, Concat, NullIf, Round
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_changed, record_changed_from, record_created, snapshot
from partners.models import OrganisationKind, Resident
from partners.roles import can_act_for, is_official_for, is_signed_in, require_official_for
from services.models import ListItemStatus
from services.selectors import list_item_current_version

from .attachments import PHOTO_TYPES, stored_files_discarded_on_error, upload_check, upload_store
from .models import (
    CheckIn, Claim, ClaimStatus, Contribution, GovernanceLevel, Participation, Project, Stage, Task, TaskStatus,
)
from .models.selection import UNDECIDED_CALL_STATUSES
from .selectors_claims import claims_overdue


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
    quantity: Decimal = Decimal("1"), unit: str = "", description: str = "", user=None,
) -> Contribution:
    """Record a valued contribution and recompute the project's mode from the new shares.

    Given a user, it must be an official of the project's community or a manager of the
    contributing organisation; without one, the platform itself records it (demo data, imports).
    """
    project = participation.project
    if user is not None and not (is_official_for(user, project.community_id)
                                 or can_act_for(user, participation.organisation_id)):
        raise PermissionDenied(_("Only an official of the community or a manager of the contributor may record this."))
    contribution = Contribution(
        project_id=participation.project_id, participation=participation, kind=kind, value=value,
        contributed_on=contributed_on, quantity=quantity, unit=unit, description=description,
    )
    contribution.full_clean()
    contribution.save()
    projects_recompute_concentration(projects=Project.objects.filter(pk=participation.project_id))
    record_created(actor=user, instance=contribution)
    return contribution


@transaction.atomic
def project_set_authority(*, project: Project, level: str, reason: str, user) -> Project:
    """The official's judgement of governance authority, with the reason; the mode follows."""
    require_official_for(user, project.community_id)
    list(Project.objects.select_for_update().filter(pk=project.pk).values_list("pk"))  # one judgement at a time
    if level not in GovernanceLevel.values:
        raise ValidationError({"governance_authority": ValidationError(_("Choose high or low."), code="invalid_level")})
    if not reason.strip():
        raise ValidationError(
            {"authority_reason": ValidationError(_("Give the reason for this judgement."), code="reason_required")}
        )
    before = snapshot(project)
    project.governance_authority = level
    project.authority_reason = reason.strip()
    project.save(update_fields=["governance_authority", "authority_reason", "updated_at"])
    project.refresh_from_db(fields=["mode", "resource_concentration"])
    record_changed(actor=user, instance=project, before=before)
    return project


@transaction.atomic
def project_adopt_current_service_version(*, project: Project, user) -> Project:
    """Move a project still in design from a retired version of its service-list item to the published one.

    Only in design: once partners are chosen the project is delivered to the version they applied
    for. A call still choosing partners was opened on the old version's terms, so it is decided first.
    """
    project = Project.objects.select_for_update(of=("self",)).select_related("service_item").get(pk=project.pk)
    require_official_for(user, project.community_id)
    old = project.service_item
    if project.stage != Stage.DESIGN:
        raise ValidationError(
            _("Only a project in design moves to another version of its service; this project is in %(stage)s "
              "and keeps %(item)s.") % {"stage": Stage(project.stage).label, "item": old.version_label},
            code="project_not_in_design",
        )
    if old.status == ListItemStatus.PUBLISHED:
        raise ValidationError(
            _("The project already uses %(item)s, the published version.") % {"item": old.version_label},
            code="already_current",
        )
    current = list_item_current_version(code=old.code)
    if current is None:
        raise ValidationError(
            _("No version of %(name)s is published yet: a street or district official publishes one from the "
              "service list first.") % {"name": old.name},
            code="no_published_version",
        )
    undecided = project.calls.filter(status__in=UNDECIDED_CALL_STATUSES).first()
    if undecided is not None:
        raise ValidationError(
            _("The call “%(call)s” was opened on %(item)s and is still choosing partners: award or cancel it "
              "first.") % {"call": undecided.title, "item": old.version_label},
            code="call_undecided",
        )
    before = snapshot(project)
    project.service_item = current
    project.save(update_fields=["service_item", "updated_at"])
    record_changed(
        actor=user, instance=project, before=before,
        note=_("Moved from %(old)s to %(new)s.") % {"old": old.version_label, "new": current.version_label},
    )
    return project


class TaskFull(ValidationError):
    """The task has no place left: the API answers 409 Conflict."""


# --- Residents' claims and check-ins ---------------------------------------------------------


def _require_acting_for(user, resident: Resident) -> None:
    """The resident themself, an official of their community (who may register a claim for a
    resident without a phone), or an administrator.

    Without a user the caller is trusted code (an admin action, a job, the demo data) acting for
    the resident, and the resident's own account is recorded as the actor.
    """
    if user is None:
        return
    if is_signed_in(user) and resident.user_id == user.pk:
        return
    if is_official_for(user, resident.community_id):
        return
    raise PermissionDenied(_("Only the resident, or an official of their community, may do this."))


def _actor(user, resident: Resident):
    return user if user is not None else resident.user


@transaction.atomic
def claim_create(*, task: Task, resident: Resident, user=None) -> Claim:
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
    return claim


def _already_claimed() -> ValidationError:
    return ValidationError(_("You already hold a claim on this task."), code="already_claimed")


def _end_claim(claim: Claim, status: str, user) -> Claim:
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
def claim_release(*, claim: Claim, user=None) -> Claim:
    """The resident gives the place back."""
    return _end_claim(claim, ClaimStatus.RELEASED, user)


@transaction.atomic
def claim_lapse(*, claim: Claim, user=None) -> Claim:
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
def checkin_record(*, claim: Claim, on: date, note: str = "", photo: File | None = None, user=None) -> CheckIn:
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
def claims_lapse_overdue(*, today: date | None = None, projects=None) -> int:
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


def _free_places(claims) -> None:
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


def _record_lapses(claims) -> None:
    """One audit entry per lapsed claim, in one INSERT ... SELECT: the platform's job is the actor."""
    # Claim.__str__ in SQL: the resident (unless removed), then the task's code and title.
    resident = Case(
        When(resident__removed_at__isnull=True, then=F("resident__name")), default=Value(_("Removed resident")),
        output_field=CharField(),
    )
    name = Concat(resident, Value(" -> "), F("task__code"), Value(" "), F("task__title"), output_field=CharField())
    record_changed_from(
        claims, object_repr=name, replaced_before={"status": ClaimStatus.ACTIVE, "ended_at": None},
        note=_("No check-in within the task's rule: the claim lapsed and its place was freed."),
    )
