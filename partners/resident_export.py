"""Everything the platform holds about a resident, as JSON-ready data, for the resident to download.

This app holds the profile; the records the resident made elsewhere (claims, check-ins, needs,
complaints, ratings) belong to the apps above this one, which it may not import. Each of them
registers the section on its own data with `export_section` in its AppConfig.ready(), as the
lifecycle guards are registered. Every section reads with a fixed number of queries, so the
size of the export never changes how many queries it takes.
"""
import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Resident

Section = Callable[[Resident], Any]
_sections: dict[str, Section] = {}


def export_section(name: str):
    """Register `build(resident)`, whose result is the export's `name` key."""

    def register(build: Section) -> Section:
        _sections[name] = build
        return build

    return register


def _profile(resident: Resident) -> dict:
    profile = {
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


def resident_data(*, resident: Resident, user) -> dict:
    """The resident's profile and every registered section, with dates and amounts as strings.

    Only the resident themself may download it: an official reads a resident's records through
    the pages and the API, where each view of their contact details is audited.
    """
    if user is None or not user.is_authenticated or resident.user_id != user.pk:
        raise PermissionDenied(_("Only the resident themself may download their data."))
    resident = Resident.objects.select_related("community", "user").get(pk=resident.pk)
    data = {
        "generated_at": timezone.now(),
        "profile": _profile(resident),
        **{name: build(resident) for name, build in _sections.items()},
    }
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))
