"""API tokens for partners' own systems: one DRF token per manager, issued, replaced and revoked here.

rest_framework.authtoken keeps one token per user, so each manager holds their own; staff who
are not managers hold none, as the API would let a token act for the organisation. The key is
the token's primary key: the audit entries name only its last four characters.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from audit.models import AuditAction
from audit.services import record
from partners.roles import organisations_of

SHOWN_CHARACTERS = 4


def masked(key: str) -> str:
    """…a1b2: enough to tell tokens apart, not enough to use one."""
    return f"…{key[-SHOWN_CHARACTERS:]}"


def _require_manager(user) -> None:
    if not organisations_of(user, managed=True).exists():
        raise PermissionDenied(_("Only managers of an organisation may hold an API token."))


def _locked_user(user):
    """The user's row, locked so that two tabs issuing at once queue behind each other."""
    return get_user_model().objects.select_for_update().get(pk=user.pk)


@transaction.atomic
def token_issue(*, user) -> Token:
    """A new token for the manager, replacing (and so disabling) any token they held."""
    _require_manager(user)
    owner = _locked_user(user)
    previous = Token.objects.filter(user=owner).first()
    # Masked before deleting: a deleted row's key (its primary key) reads None.
    before = {"api_token": masked(previous.key)} if previous else None
    if previous is not None:
        previous.delete()
    token = Token.objects.create(user=owner)
    record(
        actor=user,
        action=AuditAction.CHANGE if previous else AuditAction.CREATE,
        instance=owner,
        before=before,
        after={"api_token": masked(token.key)},
        note=_("API token replaced.") if previous else _("API token issued."),
    )
    return token


@transaction.atomic
def token_revoke(*, user) -> None:
    """The manager's token stops working at once."""
    owner = _locked_user(user)
    token = Token.objects.filter(user=owner).first()
    if token is None:
        raise ValidationError(_("You hold no API token to revoke."), code="no_token")
    before = {"api_token": masked(token.key)}
    token.delete()
    record(actor=user, action=AuditAction.DELETE, instance=owner, before=before, note=_("API token revoked."))
