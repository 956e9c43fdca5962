"""A resident's account removed at their request: the person leaves, what they did stays, anonymised.

The resident row is kept and anonymised rather than deleted: ratings, check-ins, claims, needs
and complaints keep their foreign key to it, so the satisfaction scores, volunteer hours and
participation figures built from them keep counting them, and no other row has to change to
stop pointing at a person. What said who the person was goes: the name, phone, building and
unit are blanked, and the login is disabled and renamed to a random token.

The apps above this one release or erase what they hold that is personal (an active claim's
place, check-in photos) as they answer the `resident_removing` signal (partners/signals.py);
each answer runs in the same transaction as the anonymisation, so a removal is whole or nothing.
"""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import entry
from common.actors import Actor, acting_user, is_trusted
from common.signals import signal_answers
from partners import roles
from partners.models import Membership, OfficialPost, Resident, User
from partners.signals import resident_removing


def _require_may_remove(user: Actor, resident: Resident) -> None:
    """The resident themself (whose account is already inactive on a repeated request), an administrator,
    or the platform (TRUSTED)."""
    if is_trusted(user):
        return
    own_account = bool(user.is_authenticated and resident.user_id == user.pk)
    if not (own_account or roles.is_administrator(user)):
        raise PermissionDenied(_("Only the resident themself, or an administrator, may remove a resident's account."))


def _require_resident_only(resident: Resident) -> None:
    """An account that also acts as an official, for an organisation or in the admin is closed by
    an administrator, who hands its work over first: removing it here would leave that work orphaned."""
    user = resident.user
    if user is None:
        return
    if (
        user.is_superuser
        or user.is_staff
        or OfficialPost.objects.filter(user=user).exists()
        or Membership.objects.filter(user=user).exists()
    ):
        raise ValidationError(
            _(
                "This account is also used by an official, a partner organisation's staff or an administrator, "
                "so it cannot be removed here: ask an administrator to close it."
            ),
            code="not_only_resident",
        )


def _anonymise_account(user: User) -> None:
    user.username = f"removed-{secrets.token_hex(8)}"
    user.set_unusable_password()
    user.is_active = False
    user.first_name = user.last_name = user.email = user.display_name = ""
    user.save(update_fields=["username", "password", "is_active", "first_name", "last_name", "email", "display_name"])


def _anonymise_resident(resident: Resident) -> None:
    resident.name = resident.phone = resident.building = resident.unit = ""
    resident.removed_at = timezone.now()
    resident.save(update_fields=["name", "phone", "building", "unit", "removed_at"])


@transaction.atomic
def resident_remove(*, resident: Resident, user: Actor) -> Resident:
    """Remove the resident's account: the login is disabled, the personal data blanked, the
    resident's active claims released and their photos deleted; what they did stays, anonymised.

    Asking again for a removed resident changes nothing. The audit entry says who removed which
    resident row and what was released, never who the person was.
    """
    resident = Resident.objects.select_for_update(of=("self",)).select_related("user").get(pk=resident.pk)
    _require_may_remove(user, resident)
    if resident.removed_at is not None:
        return resident
    _require_resident_only(resident)
    done: dict[str, int] = {}
    for counts in signal_answers(resident_removing, Resident, resident=resident, by=user):
        done.update(counts)
    if resident.user is not None:
        _anonymise_account(resident.user)
    _anonymise_resident(resident)
    entry(
        actor=acting_user(user),
        action=AuditAction.ANONYMISE,
        instance=resident,
        after=done,
        object_repr=f"resident #{resident.pk}",
        note="Removed at the resident's request.",
    ).save()
    return resident
