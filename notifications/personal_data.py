"""What the notifications app holds about a resident: the notices sent to their account.

They are exported with the resident's data, and erased when the account is removed: their
parameters name complaints and needs in the resident's own words, and once the login is gone
nobody can read them (the deliveries and the digests go with them).
"""

from notifications.models import DigestMail, Notification, Preference, UserLanguage
from partners.models import Resident


def notifications_of(resident: Resident) -> list[dict[str, object]]:
    if resident.user_id is None:
        return []
    rows = (
        Notification.objects.filter(recipient_id=resident.user_id)
        .order_by("created_at", "pk")
        .values("id", "kind", "params", "url", "created_at", "read_at")
    )
    return [dict(row) for row in rows]


def notifications_erase(resident: Resident) -> dict[str, int]:
    """Deletes the account's notices, their e-mail deliveries, its digests, preferences and language."""
    if resident.user_id is None:
        return {"notifications_erased": 0}
    _, per_model = Notification.objects.filter(recipient_id=resident.user_id).delete()
    DigestMail.objects.filter(user_id=resident.user_id).delete()
    Preference.objects.filter(user_id=resident.user_id).delete()
    UserLanguage.objects.filter(user_id=resident.user_id).delete()
    return {"notifications_erased": per_model.get(Notification._meta.label, 0)}
