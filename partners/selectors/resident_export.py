"""Everything the platform holds about a resident, as JSON-ready data, for the resident to download.

This app holds the profile; the records the resident made elsewhere (claims, check-ins, needs,
complaints, ratings) belong to the apps above this one, which it may not import. Each of them
answers the `resident_data_requested` signal (partners/signals.py) with the sections on its own
data. Every section reads with a fixed number of queries, so the size of the export never changes
how many queries it takes.
"""

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _

from common.actors import Actor, is_trusted
from common.signals import signal_answers
from partners.models import Resident
from partners.signals import resident_data_requested


def _profile(resident: Resident) -> dict[str, Any]:
    profile: dict[str, Any] = {
        "id": resident.pk,
        "name": resident.name,
        "community": resident.community.name,
        "phone": resident.phone,
        "building": resident.building,
        "unit": resident.unit,
        "is_volunteer": resident.is_volunteer,
        "joined_on": resident.joined_on,
    }
    user = resident.user
    if user is not None:
        profile["account"] = {
            "username": user.username,
            "display_name": user.display_name,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        }
    return profile


def resident_data(*, resident: Resident, user: Actor) -> dict[str, Any]:
    """The resident's profile and the other apps' sections, with dates and amounts as strings.

    Only the resident themself (or the platform, TRUSTED) may download it: an official reads a
    resident's records through the pages and the API, where each view of their contact details is audited.
    """
    if not is_trusted(user) and (not user.is_authenticated or resident.user_id != user.pk):
        raise PermissionDenied(_("Only the resident themself may download their data."))
    resident = Resident.objects.select_related("community", "user").get(pk=resident.pk)
    data: dict[str, Any] = {
        "generated_at": timezone.now(),
        "profile": _profile(resident),
    }
    for sections in signal_answers(resident_data_requested, Resident, resident=resident):
        data.update(sections)
    encoded: dict[str, Any] = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    return encoded
