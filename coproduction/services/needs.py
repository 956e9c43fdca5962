"""Residents' needs: what a resident asks the community for, where the design stage of a project starts.

Each need is answered by the officials of its community: planned (saying what is planned),
declined (saying why) or merged into one of the community's projects. The resident reads the
answer and its date in the resident portal.
"""

from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_changed, record_created, snapshot
from common.actors import Account
from coproduction.models import Need, NeedStatus, Project, Stage
from coproduction.signals import need_answered
from partners.models import Resident, User
from partners.roles import is_official_for, is_signed_in
from service_list.models import ListItemStatus, ServiceListItem

TITLE_MAX_LENGTH = cast(int, Need._meta.get_field("title").max_length)  # a CharField always has one


def _require_resident_or_official(user: Account, resident: Resident) -> None:
    """The resident themself, or an official of their community writing it down for them
    (a need heard at the residents' committee office counts as much as one typed on a phone)."""
    if is_signed_in(user) and resident.user_id == user.pk:
        return
    if is_official_for(user, resident.community_id):
        return
    raise PermissionDenied(_("Only the resident, or an official of their community, may express this need."))


def _errors(title: str, service_item: ServiceListItem | None) -> dict[str, ValidationError]:
    errors: dict[str, ValidationError] = {}
    if not title:
        errors["title"] = ValidationError(_("Say in a few words what is needed."), code="title_required")
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = ValidationError(
            _("Keep the title under %(limit)d characters.") % {"limit": TITLE_MAX_LENGTH}, code="title_too_long"
        )
    # Only what is on offer: a draft or retired item is no service a need can point at.
    if service_item is not None and service_item.status != ListItemStatus.PUBLISHED:
        errors["service_item"] = ValidationError(
            _("Choose a service from the published service list."), code="service_item_not_published"
        )
    return errors


@transaction.atomic
def need_express(
    *,
    resident: Resident,
    title: str,
    description: str,
    service_item: ServiceListItem | None = None,
    user: Account,
) -> Need:
    """A resident's need is recorded for their community, open until the officials plan or decline it."""
    _require_resident_or_official(user, resident)
    title, description = (title or "").strip(), (description or "").strip()
    errors = _errors(title, service_item)
    if errors:
        raise ValidationError(errors)
    need = Need.objects.create(
        community_id=resident.community_id,
        resident=resident,
        service_item=service_item,
        title=title,
        description=description,
        status=NeedStatus.OPEN,
    )
    record_created(actor=user, instance=need)
    return need


# The answers an official may give; `open` is where a need starts, not an answer.
ANSWERS = (NeedStatus.PLANNED, NeedStatus.DECLINED, NeedStatus.MERGED)
# A planned need may still be merged into the project that meets it, or declined after all;
# a declined or merged need has its final answer.
AWAITING_ANSWER = (NeedStatus.OPEN, NeedStatus.PLANNED)


def _answer_errors(need: Need, status: str, response: str, project: Project | None) -> dict[str, ValidationError]:
    errors = {}
    if status not in ANSWERS:
        errors["status"] = ValidationError(
            _("Choose an answer: planned, declined, or merged into a project."), code="answer_required"
        )
    elif status == NeedStatus.PLANNED and not response:
        errors["response"] = ValidationError(
            _("Say what is planned and roughly when: the resident reads this answer."), code="response_required"
        )
    elif status == NeedStatus.DECLINED and not response:
        errors["response"] = ValidationError(
            _("Give the reason for declining: the resident reads it."), code="reason_required"
        )
    elif status == NeedStatus.MERGED:
        if project is None:
            errors["project"] = ValidationError(
                _("Choose the project of the community that will meet this need."), code="project_required"
            )
        elif project.community_id != need.community_id:
            errors["project"] = ValidationError(
                _("Choose a project of the need's own community."), code="project_other_community"
            )
        elif project.stage == Stage.CLOSED:
            errors["project"] = ValidationError(
                _("This project is closed: choose one being designed or running."), code="project_closed"
            )
    return errors


@transaction.atomic
def need_answer(*, need: Need, user: Account, status: str, response: str = "", project: Project | None = None) -> Need:
    """An official of the need's community answers it: planned, declined (with the reason) or
    merged into a project of the community. The answer, its date and who gave it are recorded."""
    need = Need.objects.select_for_update(of=("self",)).get(pk=need.pk)
    if not is_official_for(user, need.community_id):
        raise PermissionDenied(_("Only an official of the need's community may answer it."))
    if need.status not in AWAITING_ANSWER:
        raise ValidationError(
            _("This need already has its final answer (declined or merged into a project)."), code="already_answered"
        )
    response = (response or "").strip()
    errors = _answer_errors(need, status, response, project)
    if errors:
        raise ValidationError(errors)
    before = snapshot(need)
    need.status, need.response = status, response
    need.project = project if status == NeedStatus.MERGED else None
    # Only an official's signed-in account passed the check above.
    need.responded_at, need.responded_by = timezone.now(), cast(User, user)
    need.save(update_fields=["status", "response", "project", "responded_at", "responded_by"])
    record_changed(actor=user, instance=need, before=before)
    need_answered.send(sender=Need, need=need, by=user)
    return need
