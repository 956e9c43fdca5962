"""Residents' satisfaction ratings of the projects in their community, once a month each."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_created
from common.errors import field_error
from coproduction.models import Project, Stage
from evaluation.models import Rating
from partners.models import Resident

RATEABLE_STAGES = (Stage.OPERATION, Stage.EVALUATION)
LOWEST_SCORE, HIGHEST_SCORE = 1, 5


def _already_rated_error(period: date) -> ValidationError:
    return ValidationError(
        _("You have already rated this project for %(month)s.") % {"month": period.strftime("%Y-%m")},
        code="already_rated",
    )


def _already_rated(*, project: Project, resident: Resident, period: date) -> bool:
    return Rating.objects.filter(project=project, resident=resident, period=period).exists()


def _check(project: Project, resident: Resident, score: object, on: date) -> None:
    if resident.community_id != project.community_id:
        raise ValidationError(_("Only residents of the project's community may rate it."), code="other_community")
    if project.stage not in RATEABLE_STAGES:
        raise ValidationError(
            _("Only a project that is delivering its service can be rated; this one is at %(stage)s.")
            % {"stage": Stage(project.stage).label},
            code="wrong_stage",
        )
    if isinstance(score, bool) or not isinstance(score, int) or not LOWEST_SCORE <= score <= HIGHEST_SCORE:
        raise field_error("score", _("Give a score from 1 to 5."), code="score_range")
    if on > timezone.localdate():
        raise field_error("on", _("A month that has not begun cannot be rated."), code="future")
    month = on.replace(day=1)
    if (project.start_date is not None and month < project.start_date.replace(day=1)) or (
        project.end_date is not None and month > project.end_date
    ):
        # A month outside the project's period had no service to rate.
        raise field_error(
            "on",
            _("Only a month within the project's period, from %(start)s to %(end)s, can be rated.")
            % {"start": project.start_date or "-", "end": project.end_date or "-"},
            code="outside_project_period",
        )


@transaction.atomic
def rating_submit(
    *, project: Project, resident: Resident, score: int, comment: str = "", on: date | None = None
) -> Rating:
    """A resident rates a project for the month of `on` (today by default), once per month."""
    on = on or timezone.localdate()
    _check(project, resident, score, on)
    period = on.replace(day=1)
    if _already_rated(project=project, resident=resident, period=period):
        raise _already_rated_error(period)
    try:
        # A savepoint: a concurrent rating that won the race leaves this transaction usable.
        with transaction.atomic():
            rating = Rating.objects.create(
                project=project, resident=resident, period=period, score=score, comment=comment.strip()
            )
    except IntegrityError as race:
        raise _already_rated_error(period) from race
    record_created(actor=resident.user, instance=rating)
    return rating
