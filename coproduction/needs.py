"""Residents' needs: what a resident asks the community for, where the design stage of a project starts."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_created
from partners.models import Resident
from partners.roles import is_official_for, is_signed_in
from services.models import ListItemStatus, ServiceListItem

from .models import Need, NeedStatus

TITLE_MAX_LENGTH = Need._meta.get_field("title").max_length


def _require_resident_or_official(user, resident: Resident) -> None:
    """The resident themself, or an official of their community writing it down for them
    (a need heard at the residents' committee office counts as much as one typed on a phone)."""
    if is_signed_in(user) and resident.user_id == user.pk:
        return
    if is_official_for(user, resident.community_id):
        return
    raise PermissionDenied(_("Only the resident, or an official of their community, may express this need."))


def _errors(title: str, service_item: ServiceListItem | None) -> dict[str, ValidationError]:
    errors = {}
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
    *, resident: Resident, title: str, description: str, service_item: ServiceListItem | None = None, user
) -> Need:
    """A resident's need is recorded for their community, open until the officials plan or decline it."""
    _require_resident_or_official(user, resident)
    title, description = (title or "").strip(), (description or "").strip()
    errors = _errors(title, service_item)
    if errors:
        raise ValidationError(errors)
    need = Need.objects.create(
        community_id=resident.community_id, resident=resident, service_item=service_item,
        title=title, description=description, status=NeedStatus.OPEN,
    )
    record_created(actor=user, instance=need)
    return need
