"""Selection of partners: calls, applications, conflicts of interest, scored reviews and the award.

A call moves open -> reviewing -> awarded (or cancelled). A project has one call under way at a
time, and a call stays open at least settings.CALL_MIN_APPLICATION_DAYS so that every organisation
has time to apply. Applications are taken while the call is open and before its deadline; the
first review, which can only come after the deadline, moves the call to reviewing, so there is no
separate step to close applications. The award needs every application in contention to have its
reviews, and records two rent-seeking red flags on the call (a single applicant; a winner below
the top of the ranking) that the accountability app follows up through the `call_awarded` event.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models.fields.files import FieldFile
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.models import AuditAction
from audit.services import record, record_changed, record_created, snapshot
from common.actors import Account
from common.errors import field_error
from coproduction import signals
from coproduction.attachments import (
    CheckedUpload,
    attachments_save,
    stored_files_discarded_on_error,
    uploads_check,
)
from coproduction.models import (
    Application,
    ApplicationAttachment,
    ApplicationStatus,
    Call,
    CallStatus,
    ConflictDeclaration,
    Criterion,
    Participation,
    ParticipationRole,
    Project,
    Review,
    ReviewScore,
    Stage,
)
from coproduction.models.selection import UNDECIDED_CALL_STATUSES
from coproduction.selectors.selection import (
    RankedApplication,
    application_ranking,
    conflict_declared,
    reviews_missing,
)
from partners.models import Organisation, OrganisationStatus
from partners.roles import (
    checked_account,
    is_administrator,
    is_member_of,
    is_official,
    is_signed_in,
    require_can_act_for,
    require_official_for,
)
from service_list.models import ListItemStatus

MIN_REVIEWERS = 2
CRITERIA_TOTAL_WEIGHT = 100
MAX_SCORE = 100
# Each a CharField's or a TextField's, which always has one here.
NAME_LENGTH = cast(int, Criterion._meta.get_field("name").max_length)
DESCRIPTION_LENGTH = cast(int, Criterion._meta.get_field("description").max_length)
TITLE_LENGTH = cast(int, Call._meta.get_field("title").max_length)


def _refuse_fields(errors: dict[str, list[ValidationError]]) -> None:
    if errors:
        raise ValidationError(errors)


# --- Opening a call --------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionSpec:
    name: str
    weight: object  # as given: _criteria_errors refuses anything but a whole number in range
    description: str = ""


def _criterion_spec(entry: object) -> CriterionSpec:
    if isinstance(entry, dict):
        return CriterionSpec(
            name=str(entry.get("name", "")).strip(),
            weight=entry.get("weight"),
            description=str(entry.get("description", "")).strip(),
        )
    try:
        name, weight, *rest = cast(Iterable[object], entry)
    except (TypeError, ValueError):  # neither a pair nor a triple: the weight check refuses it
        return CriterionSpec(name=str(entry).strip(), weight=None)
    return CriterionSpec(name=str(name).strip(), weight=weight, description=str(rest[0]).strip() if rest else "")


def _criteria_errors(criteria: list[CriterionSpec]) -> list[ValidationError]:
    if not criteria:
        return [ValidationError(_("Give at least one criterion to score applications on."), code="no_criteria")]
    errors: list[ValidationError] = []
    names = [criterion.name.casefold() for criterion in criteria]
    if "" in names:
        errors.append(ValidationError(_("Every criterion needs a name."), code="criterion_name_missing"))
    if any(len(c.name) > NAME_LENGTH or len(c.description) > DESCRIPTION_LENGTH for c in criteria):
        errors.append(
            ValidationError(
                _("Keep criterion names within %(name)s characters and descriptions within %(description)s.")
                % {"name": NAME_LENGTH, "description": DESCRIPTION_LENGTH},
                code="criterion_too_long",
            )
        )
    duplicates = sorted({c.name for c in criteria if c.name and names.count(c.name.casefold()) > 1})
    if duplicates:
        errors.append(
            ValidationError(
                _("Each criterion appears once; repeated: %(names)s.") % {"names": ", ".join(duplicates)},
                code="criterion_name_repeated",
            )
        )
    out_of_range = [c for c in criteria if type(c.weight) is not int or not 1 <= c.weight <= CRITERIA_TOTAL_WEIGHT]
    for criterion in out_of_range:
        errors.append(
            ValidationError(
                _("The weight of %(name)s must be a whole number from 1 to 100.") % {"name": criterion.name or "?"},
                code="criterion_weight_range",
            )
        )
    if not out_of_range:
        total = sum(criterion.weight for criterion in criteria if isinstance(criterion.weight, int))
        if total != CRITERIA_TOTAL_WEIGHT:
            errors.append(
                ValidationError(
                    _("The weights add up to %(total)s; they must add up to exactly 100.") % {"total": total},
                    code="criteria_weights_sum",
                )
            )
    return errors


def _aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _when(moment: datetime) -> str:
    """A moment as the reader's language writes it, in the platform's time zone."""
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def earliest_deadline() -> datetime:
    """The earliest deadline a call opened now may have, to the minute (forms take minutes)."""
    moment = timezone.now() + timedelta(days=settings.CALL_MIN_APPLICATION_DAYS)
    return moment.replace(second=0, microsecond=0)


def call_under_way(project: Project | int) -> Call | None:
    """The project's call still choosing a partner (open or under review), if it has one."""
    under_way: Call | None = (
        Call.objects.filter(project=project, status__in=UNDECIDED_CALL_STATUSES).order_by("opened_at").first()
    )
    return under_way


def _call_under_way_refusal(call: Call) -> ValidationError:
    return ValidationError(
        _(
            "This project already has a call under way: “%(call)s” (%(status)s). Award or cancel it before "
            "opening another."
        )
        % {"call": call.title, "status": call.get_status_display()},
        code="call_already_open",
    )


def _deadline_errors(deadline: datetime | None) -> list[ValidationError]:
    if deadline is None or _aware(deadline) <= timezone.now():
        return [ValidationError(_("The deadline must be in the future."), code="deadline_past")]
    earliest = earliest_deadline()
    if _aware(deadline) < earliest:
        days = settings.CALL_MIN_APPLICATION_DAYS
        return [
            ValidationError(
                ngettext(
                    "Organisations need at least %(days)s day to apply: the earliest deadline allowed is %(earliest)s.",
                    "Organisations need at least %(days)s days to apply: "
                    "the earliest deadline allowed is %(earliest)s.",
                    days,
                )
                % {"days": days, "earliest": _when(earliest)},
                code="deadline_too_soon",
            )
        ]
    return []


@transaction.atomic
def call_open(
    *,
    project: Project,
    title: str,
    description: str = "",
    deadline: datetime,
    criteria: Iterable[object] | None,
    user: Account,
    min_reviewers: int = MIN_REVIEWERS,
) -> Call:
    """An official calls for partners to deliver a project's published service-list item.

    `criteria` is a list of (name, weight) or (name, weight, description) tuples, or of dicts
    with those keys; the weights add up to exactly 100 so that a review total reads as a score
    out of 100.
    """
    project = Project.objects.select_for_update(of=("self",)).select_related("service_item").get(pk=project.pk)
    require_official_for(user, project.community_id)
    if project.stage != Stage.DESIGN:
        raise ValidationError(
            _("Partners are selected in the design stage; this project is in %(stage)s.")
            % {"stage": Stage(project.stage).label},
            code="project_not_in_design",
        )
    if project.service_item.status == ListItemStatus.RETIRED:
        raise ValidationError(
            _(
                "%(item)s is retired: a newer version of the service replaced it. Move the project to the current "
                "version with “Move to the current version” on the project's page, then open the call."
            )
            % {"item": project.service_item.version_label},
            code="item_retired",
        )
    if project.service_item.status != ListItemStatus.PUBLISHED:
        raise ValidationError(
            _("Calls are only opened on a published service-list item; %(item)s is not published.")
            % {"item": project.service_item.version_label},
            code="item_not_published",
        )
    if (under_way := call_under_way(project)) is not None:
        raise _call_under_way_refusal(under_way)
    specs = [_criterion_spec(entry) for entry in criteria or []]
    errors: dict[str, list[ValidationError]] = {}
    if not title.strip():
        errors["title"] = [ValidationError(_("Give the call a title."), code="title_required")]
    elif len(title.strip()) > TITLE_LENGTH:
        errors["title"] = [
            ValidationError(
                _("Keep the title within %(length)s characters.") % {"length": TITLE_LENGTH}, code="title_too_long"
            )
        ]
    if deadline_errors := _deadline_errors(deadline):
        errors["deadline"] = deadline_errors
    if type(min_reviewers) is not int or min_reviewers < MIN_REVIEWERS:
        errors["min_reviewers"] = [
            ValidationError(_("Each application needs at least two reviewers."), code="too_few_reviewers")
        ]
    if criterion_errors := _criteria_errors(specs):
        errors["criteria"] = criterion_errors
    _refuse_fields(errors)

    try:
        with transaction.atomic():
            call = Call.objects.create(
                project=project,
                title=title.strip(),
                description=description.strip(),
                deadline=_aware(deadline),
                min_reviewers=min_reviewers,
                opened_by=checked_account(user),
            )
    except IntegrityError:
        # The project's lock serialises openings; the constraint is the backstop should anything bypass it.
        if (under_way := call_under_way(project)) is not None:
            raise _call_under_way_refusal(under_way) from None
        raise
    created = Criterion.objects.bulk_create(
        # Each weight is a whole number: _refuse_fields() refused the rest.
        Criterion(call=call, name=spec.name, weight=cast(int, spec.weight), description=spec.description)
        for spec in specs
    )
    # The criteria are fixed with the call: they are recorded in the call's own entry.
    record(
        actor=user,
        action=AuditAction.CREATE,
        instance=call,
        after={**snapshot(call), "criteria": [snapshot(criterion) for criterion in created]},
    )
    return call


def _lock_call(call: Call) -> Call:
    """The call, re-read under a row lock: status moves on it are serialised."""
    locked: Call = Call.objects.select_for_update(of=("self",)).select_related("project__service_item").get(pk=call.pk)
    return locked


@transaction.atomic
def call_cancel(*, call: Call, user: Account, reason: str) -> Call:
    """An official cancels a call not yet awarded; the applications in it are not awarded."""
    call = _lock_call(call)
    require_official_for(user, call.project.community_id)
    if call.status in (CallStatus.AWARDED, CallStatus.CANCELLED):
        raise ValidationError(
            _("This call is already %(status)s.") % {"status": CallStatus(call.status).label.lower()},
            code="call_decided",
        )
    if not reason.strip():
        raise field_error("reason", _("Say why the call is cancelled."), "reason_required")
    before = snapshot(call)
    call.status = CallStatus.CANCELLED
    call.save(update_fields=["status"])
    record(actor=user, action=AuditAction.TRANSITION, instance=call, before=before, note=reason.strip())
    _close_applications(call.applications.filter(status=ApplicationStatus.SUBMITTED), user=user)
    return call


def _close_applications(applications: Iterable[Application], *, user: Account) -> None:
    """Mark the applications not awarded, each with its audit entry (a call has a handful)."""
    closing = list(applications)
    Application.objects.filter(pk__in=[a.pk for a in closing]).update(status=ApplicationStatus.NOT_AWARDED)
    for application in closing:
        before = snapshot(application)
        application.status = ApplicationStatus.NOT_AWARDED
        record_changed(actor=user, instance=application, before=before)


# --- Conflicts of interest -------------------------------------------------------------------


@transaction.atomic
def conflict_declare(
    *, reviewer: Account, organisation: Organisation, reason: str, call: Call | None = None
) -> ConflictDeclaration:
    """A reviewer declares an interest in an organisation, for one call or (call=None) for all.

    Reviewers are officials, so only they declare: an official of the call's community for one
    call, any official for every call. Declaring is otherwise always allowed, since it only bars the
    reviewer from scoring that organisation.
    """
    if not is_signed_in(reviewer):
        raise PermissionDenied(_("Sign in to declare a conflict of interest."))
    if call is not None:
        require_official_for(reviewer, call.project.community_id)
    elif not (is_official(reviewer) or is_administrator(reviewer)):
        raise PermissionDenied(_("Only officials, who review applications, declare conflicts of interest."))
    if not reason.strip():
        raise field_error("reason", _("Say what the conflict of interest is."), "reason_required")
    if len(reason.strip()) > cast(int, ConflictDeclaration._meta.get_field("reason").max_length):
        raise field_error("reason", _("Keep the reason within 300 characters."), "reason_too_long")
    account = checked_account(reviewer)
    declared = ConflictDeclaration.objects.filter(reviewer=account, organisation=organisation)
    if declared.filter(call__isnull=True).exists():
        raise ValidationError(
            _("You have already declared a conflict with %(organisation)s for every call.")
            % {"organisation": organisation},
            code="already_declared",
        )
    if call is not None and declared.filter(call=call).exists():
        raise ValidationError(
            _("You have already declared a conflict with %(organisation)s for this call.")
            % {"organisation": organisation},
            code="already_declared",
        )
    conflict = ConflictDeclaration.objects.create(
        reviewer=account, organisation=organisation, call=call, reason=reason.strip()
    )
    record_created(actor=reviewer, instance=conflict)
    return conflict


# --- Applications ----------------------------------------------------------------------------


def take_part_refusal(*, organisation: Organisation, project: Project) -> ValidationError | None:
    """Why the organisation may not apply to (or be awarded) a call on this project; None if it may.

    Only approved organisations of a kind the service-list item allows take part. Public so that
    pages can say, before anyone applies, which calls an organisation may answer; it reads only
    the organisation and project given (select_related the project's service_item for a list).
    """
    refusals: dict[str, tuple[str, str]] = {
        OrganisationStatus.SUSPENDED: (_("%(organisation)s is suspended and may not take part in calls."), "suspended"),
        OrganisationStatus.BLACKLISTED: (
            _("%(organisation)s is blacklisted and may not take part in calls."),
            "blacklisted",
        ),
        OrganisationStatus.APPLICANT: (
            _("%(organisation)s is not approved yet; only approved organisations take part in calls."),
            "not_approved",
        ),
    }
    if organisation.status in refusals:
        message, code = refusals[organisation.status]
        return field_error("organisation", message % {"organisation": organisation}, code)
    item = project.service_item
    if not item.allows_kind(organisation.kind):
        return field_error(
            "organisation",
            _("%(item)s may not be delivered by organisations of the kind “%(kind)s”.")
            % {"item": item.name, "kind": organisation.get_kind_display()},
            "kind_not_allowed",
        )
    return None


def may_take_part(*, organisation: Organisation, project: Project) -> bool:
    return take_part_refusal(organisation=organisation, project=project) is None


def _require_may_take_part(organisation: Organisation, project: Project) -> None:
    refusal = take_part_refusal(organisation=organisation, project=project)
    if refusal is not None:
        raise refusal


def _require_taking_applications(call: Call) -> None:
    if call.status != CallStatus.OPEN:
        raise ValidationError(
            _("This call is %(status)s and takes no applications.") % {"status": CallStatus(call.status).label.lower()},
            code="call_not_open",
        )
    if timezone.now() >= call.deadline:
        raise ValidationError(_("Applications closed at the deadline."), code="deadline_passed")


def application_submit(
    *,
    call: Call,
    organisation: Organisation,
    user: Account,
    proposal: str,
    proposed_budget: Decimal,
    attachments: Iterable[File[Any]] = (),
) -> Application:
    """A manager applies to an open call for their organisation, once per call, with any supporting files.

    The files are checked as a report's are (type read from the bytes, size, count).
    """
    with stored_files_discarded_on_error() as stored, transaction.atomic():
        return _application_submit(
            call=call,
            organisation=organisation,
            user=user,
            proposal=proposal,
            proposed_budget=proposed_budget,
            attachments=attachments,
            stored=stored,
        )


def _application_submit(
    *,
    call: Call,
    organisation: Organisation,
    user: Account,
    proposal: str,
    proposed_budget: Decimal,
    attachments: Iterable[File[Any]],
    stored: list[FieldFile],
) -> Application:
    require_can_act_for(user, organisation)
    call = _lock_call(call)
    _require_taking_applications(call)
    organisation = Organisation.objects.get(pk=organisation.pk)  # its status as it stands now
    _require_may_take_part(organisation, call.project)
    if Application.objects.filter(call=call, organisation=organisation).exists():
        raise ValidationError(
            _("%(organisation)s has already applied to this call.") % {"organisation": organisation},
            code="already_applied",
        )
    errors: dict[str, list[ValidationError]] = {}
    if not proposal.strip():
        errors["proposal"] = [
            ValidationError(_("Describe how you would deliver the service."), code="proposal_required")
        ]
    budget: Decimal | None = None
    try:
        # The model field's own cleaning: a number, with at most 12 digits before the point and 2 after.
        budget = Application._meta.get_field("proposed_budget").clean(proposed_budget, None)
    except ValidationError as error:
        errors["proposed_budget"] = error.error_list
    if budget is not None and budget < 0:
        errors["proposed_budget"] = [ValidationError(_("The budget cannot be negative."), code="budget_negative")]
    uploads: list[CheckedUpload] = []
    try:
        uploads = uploads_check(
            uploads=attachments, too_many_message=_("An application may have at most %(max)d attachments.")
        )
    except ValidationError as error:
        errors["attachments"] = error.error_list
    _refuse_fields(errors)
    application = Application.objects.create(
        # The budget is a number here: _refuse_fields() refused its errors, None among them.
        call=call,
        organisation=organisation,
        submitted_by=checked_account(user),
        proposal=proposal.strip(),
        proposed_budget=cast(Decimal, budget),
    )
    record_created(actor=user, instance=application)
    for attachment in attachments_save(
        model=ApplicationAttachment, uploads=uploads, stored=stored, application=application
    ):
        record_created(actor=user, instance=attachment)
    return application


@transaction.atomic
def application_withdraw(*, application: Application, user: Account) -> Application:
    """The organisation withdraws before the deadline; it cannot apply to this call again."""
    require_can_act_for(user, application.organisation_id)
    _require_taking_applications(_lock_call(application.call))
    application = Application.objects.get(pk=application.pk)
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted application can be withdrawn."), code="not_submitted")
    before = snapshot(application)
    application.status = ApplicationStatus.WITHDRAWN
    application.save(update_fields=["status"])
    record_changed(actor=user, instance=application, before=before)
    return application


# --- Reviews ---------------------------------------------------------------------------------


def review_refusal(call: Call) -> ValidationError | None:
    """Why the call's applications may not be reviewed, nor the call awarded, now; None if they may.

    Public so that pages offer the review and award forms only when they would be accepted, and
    say otherwise when reviewing opens (at the deadline).
    """
    if call.status in (CallStatus.AWARDED, CallStatus.CANCELLED):
        return ValidationError(
            _("This call is already %(status)s.") % {"status": CallStatus(call.status).label.lower()},
            code="call_decided",
        )
    if timezone.now() < call.deadline:
        return ValidationError(
            _("Applications are open until %(deadline)s; reviews open then.") % {"deadline": _when(call.deadline)},
            code="applications_open",
        )
    return None


def _require_under_review(call: Call) -> None:
    if (refusal := review_refusal(call)) is not None:
        raise refusal


def _score_errors(
    criteria: list[Criterion], scores: dict[int | None, object], unknown: list[int | None]
) -> list[ValidationError]:
    errors: list[ValidationError] = []
    missing = [criterion.name for criterion in criteria if criterion.pk not in scores]
    if missing:
        errors.append(
            ValidationError(
                _("Score every criterion; missing: %(names)s.") % {"names": ", ".join(missing)}, code="score_missing"
            )
        )
    if unknown:
        errors.append(
            ValidationError(_("Some scores are for criteria of another call."), code="score_unknown_criterion")
        )
    for criterion in criteria:
        score = scores.get(criterion.pk)
        if criterion.pk in scores and (type(score) is not int or not 0 <= score <= MAX_SCORE):
            errors.append(
                ValidationError(
                    _("The score for %(name)s must be a whole number from 0 to 100.") % {"name": criterion.name},
                    code="score_range",
                )
            )
    return errors


def _criterion_key(key: object) -> int | None:
    """Scores arrive keyed by criterion id: an int, a numeric string (JSON), or the criterion."""
    given: Any = getattr(key, "pk", key)  # whatever it is, int() accepts it or refuses it below
    try:
        return int(given)
    except (TypeError, ValueError):
        return None


@transaction.atomic
def review_submit(
    *, application: Application, reviewer: Account, scores: Mapping[Any, object] | None, comment: str = ""
) -> Review:
    """An official scores an application on every criterion of its call, after the deadline.

    The reviewer may not be a member of the applicant, nor have declared a conflict with it.
    The weighted total (sum of score x weight / 100) is stored on the review.
    """
    call = _lock_call(application.call)
    require_official_for(reviewer, call.project.community_id)
    _require_under_review(call)
    application = Application.objects.select_related("organisation").get(pk=application.pk)
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError(_("This application was withdrawn."), code="application_withdrawn")
    if is_member_of(reviewer, application.organisation_id):
        raise PermissionDenied(
            _("You work for %(organisation)s and cannot review its application.")
            % {"organisation": application.organisation}
        )
    account = checked_account(reviewer)
    if conflict_declared(reviewer=account, organisation=application.organisation_id, call=call):
        raise PermissionDenied(
            _("You declared a conflict of interest with %(organisation)s and cannot review its application.")
            % {"organisation": application.organisation}
        )
    if Review.objects.filter(application=application, reviewer=account).exists():
        raise ValidationError(_("You have already reviewed this application."), code="already_reviewed")

    criteria = list(call.criteria.all())
    keyed = {_criterion_key(key): value for key, value in (scores or {}).items()}
    unknown = [key for key in keyed if key not in {criterion.pk for criterion in criteria}]
    if errors := _score_errors(criteria, keyed, unknown):
        raise ValidationError({"scores": errors})

    score_of = {criterion.pk: cast(int, keyed[criterion.pk]) for criterion in criteria}  # each checked above
    weighted = sum(score_of[criterion.pk] * criterion.weight for criterion in criteria)
    total = (Decimal(weighted) / CRITERIA_TOTAL_WEIGHT).quantize(Decimal("0.01"))
    review = Review.objects.create(application=application, reviewer=account, comment=comment.strip(), total=total)
    ReviewScore.objects.bulk_create(
        ReviewScore(review=review, criterion=criterion, score=score_of[criterion.pk]) for criterion in criteria
    )
    record(
        actor=reviewer,
        action=AuditAction.CREATE,
        instance=review,
        after={**snapshot(review), "scores": {criterion.name: score_of[criterion.pk] for criterion in criteria}},
    )
    if call.status == CallStatus.OPEN:
        before = snapshot(call)
        call.status = CallStatus.REVIEWING
        call.save(update_fields=["status"])
        record(
            actor=reviewer,
            action=AuditAction.TRANSITION,
            instance=call,
            before=before,
            note=_("The first review arrived after the deadline."),
        )
    return review


# --- The award -------------------------------------------------------------------------------


def _close_other_calls(awarded: Call, *, user: Account) -> None:
    """Any other call of the project still under way is cancelled: its partner has been chosen.

    call_open and the database allow one call under way per project, so this finds nothing unless
    that constraint was bypassed; should it be, an award still never leaves a rival call open.
    """
    others = (
        Call.objects.select_for_update()
        .filter(project=awarded.project_id, status__in=UNDECIDED_CALL_STATUSES)
        .exclude(pk=awarded.pk)
    )
    for other in others:
        before = snapshot(other)
        other.status = CallStatus.CANCELLED
        other.save(update_fields=["status"])
        record(
            actor=user,
            action=AuditAction.TRANSITION,
            instance=other,
            before=before,
            note=_("Closed: the project's partner was chosen through “%(call)s”.") % {"call": awarded.title},
        )
        _close_applications(other.applications.filter(status=ApplicationStatus.SUBMITTED), user=user)


def _require_reviews_complete(ranking: Sequence[RankedApplication], min_reviewers: int) -> None:
    short = reviews_missing(ranking, min_reviewers=min_reviewers)
    if short:
        missing = sum(short.values())
        raise ValidationError(
            ngettext(
                "%(missing)s review is still missing on %(applications)s application; each needs %(needed)s.",
                "%(missing)s reviews are still missing on %(applications)s applications; each needs %(needed)s.",
                missing,
            )
            % {"missing": missing, "applications": len(short), "needed": min_reviewers},
            code="reviews_missing",
        )


def _join_as_provider(*, call: Call, organisation: Organisation, user: Account) -> Participation:
    """The winner takes part as a provider; one already providing is not added twice."""
    participation, created = Participation.objects.get_or_create(
        project=call.project,
        organisation=organisation,
        role=ParticipationRole.PROVIDER,
        defaults={"joined_on": timezone.localdate(), "note": (_("Awarded through %(call)s") % {"call": call})[:200]},
    )
    if created:
        record_created(actor=user, instance=participation, note=call.title)
    elif participation.left_on is not None:
        before = snapshot(participation)
        participation.left_on = None
        participation.save(update_fields=["left_on"])
        record_changed(actor=user, instance=participation, before=before, note=call.title)
    return participation


@transaction.atomic
def call_award(*, call: Call, application: Application, user: Account, reason: str) -> Call:
    """An official awards the call to one application, with the reason, once every review is in.

    The call is locked, so a second official awarding at the same moment finds it awarded.
    Red flags are recorded on the call: a single applicant, or a winner whose mean review total
    is below the best (a tie for first place is not against the ranking).
    """
    call = _lock_call(call)
    require_official_for(user, call.project.community_id)
    _require_under_review(call)
    if call.project.stage == Stage.CLOSED:
        raise ValidationError(_("The project is closed."), code="project_closed")
    if not reason.strip():
        raise field_error("reason", _("Say why this application wins."), "reason_required")
    if application.call_id != call.pk:
        raise field_error("application", _("This application was made to another call."), "wrong_call")
    ranking = list(application_ranking(call))
    winner = next((candidate for candidate in ranking if candidate.pk == application.pk), None)
    if winner is None:
        raise field_error("application", _("This application was withdrawn."), "application_withdrawn")
    _require_may_take_part(winner.organisation, call.project)
    _require_reviews_complete(ranking, call.min_reviewers)

    before = snapshot(call)
    call.status = CallStatus.AWARDED
    call.awarded_application = winner
    call.award_reason = reason.strip()
    call.awarded_by = checked_account(user)
    call.awarded_at = timezone.now()
    call.single_applicant = len(ranking) == 1
    # Every application in contention has its reviews by now, so a mean total.
    call.against_ranking = cast(Decimal, winner.mean_total) < cast(Decimal, ranking[0].mean_total)
    call.save(
        update_fields=[
            "status",
            "awarded_application",
            "award_reason",
            "awarded_by",
            "awarded_at",
            "single_applicant",
            "against_ranking",
        ]
    )
    record(actor=user, action=AuditAction.TRANSITION, instance=call, before=before, note=call.award_reason)

    winner_before = snapshot(winner)
    winner.status = ApplicationStatus.AWARDED
    winner.save(update_fields=["status"])
    record_changed(actor=user, instance=winner, before=winner_before)
    _close_applications([candidate for candidate in ranking if candidate.pk != winner.pk], user=user)
    _join_as_provider(call=call, organisation=winner.organisation, user=user)
    _close_other_calls(call, user=user)

    signals.call_awarded.send(sender=Call, call=call, by=user)
    return call
