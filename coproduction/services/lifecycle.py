"""The coproduction lifecycle: design -> operation -> evaluation -> closed, or back to operation on renewal.

A move is refused with a message naming everything that is missing. The checks are guards per
target stage: this app's own, below, then those of the apps above it, which answer the
`lifecycle_guard` signal (coproduction/signals.py) on their own data (accountability: every duty
has its accountable party; evaluation: closing needs a final evaluation), so each rule lives with
the data it reads.
"""

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from typing import cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import record, snapshot
from coproduction.models import ParticipationRole, Project, ProjectTransition, Stage
from coproduction.signals import lifecycle_guard
from partners.models import User
from partners.roles import require_official_for

ALLOWED_MOVES: dict[str, set[str]] = {
    Stage.DESIGN: {Stage.OPERATION},
    Stage.OPERATION: {Stage.EVALUATION},
    Stage.EVALUATION: {Stage.CLOSED, Stage.OPERATION},  # back to operation = renewal
    Stage.CLOSED: set(),
}
# Projects on specific assets shorter than this need a written justification (sunk-cost risk).
SPECIFIC_ASSETS_MIN_YEARS = 2

Guard = Callable[[Project], list[str]]
_guards: dict[str, list[Guard]] = defaultdict(list)


def guard(to_stage: str) -> Callable[[Guard], Guard]:
    """Add one of this app's checks run before a project moves to `to_stage`; it returns what is missing."""

    def register(check: Guard) -> Guard:
        _guards[to_stage].append(check)
        return check

    return register


def missing_for(project: Project, to_stage: str) -> list[str]:
    """What stops `project` moving to `to_stage`: this app's guards first, then the higher apps'."""
    missing = [message for check in _guards[to_stage] for message in check(project)]
    for _receiver, messages in lifecycle_guard.send(sender=Project, project=project, to_stage=to_stage):
        missing.extend(cast(list[str], messages))  # django-stubs types a receiver's answer as str | None
    return missing


@transaction.atomic
def project_transition(
    *, project: Project, to_stage: str, user: AbstractBaseUser | AnonymousUser, reason: str
) -> ProjectTransition:
    """Move a project to another stage, recording who, when and why."""
    project = Project.objects.select_for_update().select_related("service_item").get(pk=project.pk)
    require_official_for(user, project.community_id)
    if to_stage not in Stage.values:
        raise ValidationError(
            {
                "to_stage": ValidationError(
                    _("There is no stage called %(stage)s.") % {"stage": to_stage}, code="unknown_stage"
                )
            }
        )
    if to_stage not in ALLOWED_MOVES[project.stage]:
        raise ValidationError(
            _("A project cannot move from %(from)s to %(to)s.")
            % {"from": Stage(project.stage).label, "to": Stage(to_stage).label},
            code="invalid_transition",
        )
    if not reason.strip():
        raise ValidationError({"reason": ValidationError(_("Say why the project moves on."), code="reason_required")})
    missing = missing_for(project, to_stage)
    if missing:
        heading = _("The project cannot move to %(stage)s yet:") % {"stage": Stage(to_stage).label}
        raise ValidationError([ValidationError(message, code="transition_blocked") for message in (heading, *missing)])
    before = snapshot(project)
    transition = ProjectTransition.objects.create(
        # require_official_for let only a signed-in account through.
        project=project,
        from_stage=project.stage,
        to_stage=to_stage,
        by=cast(User, user),
        reason=reason.strip(),
    )
    project.stage = to_stage
    project.save(update_fields=["stage", "updated_at"])
    record(actor=user, action=AuditAction.TRANSITION, instance=project, before=before, note=reason.strip())
    return transition


# --- The guards on this app's own data ------------------------------------------------------


def _two_years_after(start: date) -> date:
    try:
        return start.replace(year=start.year + SPECIFIC_ASSETS_MIN_YEARS)
    except ValueError:  # 29 February
        return start.replace(year=start.year + SPECIFIC_ASSETS_MIN_YEARS, day=28)


@guard(Stage.OPERATION)
def has_a_provider(project: Project) -> list[str]:
    if project.participations.filter(role=ParticipationRole.PROVIDER, left_on__isnull=True).exists():
        return []
    return [_("at least one provider must take part")]


@guard(Stage.OPERATION)
def has_dates_and_budget(project: Project) -> list[str]:
    missing = []
    if project.start_date is None or project.end_date is None:
        missing.append(_("the start and end dates must be set"))
    if project.budget is None:
        missing.append(_("the budget must be set"))
    return missing


@guard(Stage.OPERATION)
def short_project_on_specific_assets_is_justified(project: Project) -> list[str]:
    item = project.service_item
    if not item.needs_specific_assets or project.start_date is None or project.end_date is None:
        return []
    if project.end_date >= _two_years_after(project.start_date) or project.asset_justification.strip():
        return []
    return [
        _(
            "the service needs specific assets (%(assets)s) and the project lasts under two years: "
            "write a justification, or a change of provider will leave sunk costs"
        )
        % {"assets": item.specific_assets_note or item.name}
    ]
