"""Writes to the partners register: an organisation's status (approval, suspension, blacklist)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_changed, snapshot
from common.actors import Account
from partners.models import Organisation, OrganisationStatus
from partners.roles import is_administrator, is_official


@transaction.atomic
def organisation_set_status(*, organisation: Organisation, status: str, user: Account, reason: str) -> Organisation:
    """Change whether an organisation may take part (approved) or not (applicant, suspended, blacklisted).

    The register is platform-wide, so any official may change a status (a sanction decided in
    one community bars the organisation from calls everywhere); the audit entry keeps who did it
    and why. Only approved organisations may apply to calls (Organisation.may_take_part).
    """
    if not (is_administrator(user) or is_official(user)):
        raise PermissionDenied(_("Only an official may change an organisation's status."))
    if status not in OrganisationStatus.values:
        raise ValidationError({"status": ValidationError(_("Choose a valid status."), code="invalid_status")})
    if not reason.strip():
        raise ValidationError({"reason": ValidationError(_("Say why the status changes."), code="reason_required")})
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.status == status:
        message = _("The organisation is already %(status)s.") % {"status": OrganisationStatus(status).label}
        raise ValidationError({"status": ValidationError(message, code="unchanged")})
    before = snapshot(organisation)
    organisation.status = status
    organisation.save(update_fields=["status"])
    record_changed(actor=user, instance=organisation, before=before, note=reason.strip())
    return organisation
