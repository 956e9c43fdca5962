"""A person's choices: how each kind reaches them by e-mail, unsubscribing from a mail, and their language."""

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.actors import Account
from notifications.kinds import KINDS, Kind
from notifications.mail import read_unsubscribe_token
from notifications.models import EmailChoice, Preference, UserLanguage
from partners.models import User


def _require_signed_in(user: Account) -> User:
    if isinstance(user, User) and user.is_authenticated:
        return user
    raise PermissionDenied(_("Log in to change your notification settings."))


def preferences_save(*, user: Account, choices: dict[str, str]) -> None:
    """Store how each kind reaches the person by e-mail; all or nothing, with the field named on bad input."""
    person = _require_signed_in(user)
    errors = {}
    for code, choice in choices.items():
        if code not in KINDS:
            errors[code] = _("Unknown kind of notification.")
        elif choice not in EmailChoice.values:
            errors[code] = _("Choose immediately, daily digest or off.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for code, choice in choices.items():
            Preference.objects.update_or_create(user=person, kind=code, defaults={"email": choice})


def unsubscribe(*, token: str) -> tuple[User, Kind]:
    """Turn off the e-mails of the kind a signed unsubscribe link names; its person and kind.

    The signature is the authority (the link was mailed to that person), so no sign-in is needed. Only
    that kind is turned off; in-app notifications go on.
    """
    try:
        user_id, code = read_unsubscribe_token(token)
    except (signing.BadSignature, KeyError, ValueError, TypeError) as error:
        raise ValidationError(_("This unsubscribe link is not valid. Open the preferences page instead.")) from error
    kind = KINDS.get(code)
    person = User.objects.filter(pk=user_id).first()
    if kind is None or person is None:
        raise ValidationError(_("This unsubscribe link is not valid. Open the preferences page instead."))
    Preference.objects.update_or_create(user=person, kind=code, defaults={"email": EmailChoice.OFF})
    return person, kind


def language_remember(*, user: Account, language: str) -> None:
    """Remember the language the person chose, for the mail they will get; an unknown one is ignored."""
    if not user.is_authenticated or not isinstance(user, User):
        return
    if language not in dict(settings.LANGUAGES):
        return
    UserLanguage.objects.update_or_create(user=user, defaults={"language": language})
