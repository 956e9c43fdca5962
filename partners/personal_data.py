"""Residents' personal data: who sees contact details in full, and the audit of every such view.

The rule, the same for the API, the pages and the admin:

- a resident's phone, building and unit are shown in full to the resident themself, to the
  officials whose post covers the resident's community (they answer the resident's complaints
  and needs and register claims for residents without a phone) and to administrators; everyone
  else who may see the row (the staff of partner organisations, in particular) sees them masked;
- an organisation's contact phone is a business contact: shown in full to the organisation's
  managers, to any official and to administrators.

Each interface asks a `ContactViewer` (one per request, with a fixed number of queries),
never the roles row by row. When it shows a resident's contact details in full to someone other
than the resident, it says so through `shows_resident_contact`, and at the end of the request
`record_contact_views` writes who saw which residents, where: one insert for the whole request.
"""

from functools import cached_property
from typing import Any

from audit.services import record_personal_data_views
from partners import roles
from partners.models import Resident, mask_phone


def mask_name(name: str) -> str:
    """张**: the family name alone does not say who it is."""
    return name[:1] + "*" * (len(name) - 1)


def mask_address_part(value: str) -> str:
    """A building or unit number tells where someone lives: none of it is shown."""
    return "*" * len(value)


class ContactViewer:
    """What one user may see unmasked; it also keeps which residents it was shown in full.

    The user's posts and managed organisations are read on first need, one query each, and kept
    for the rest of the request: a resident looking at their own claim costs no query at all.
    """

    def __init__(self, user: Any = None) -> None:
        # Any account or none: the viewer, whose rights decide what is shown (never a trusted caller).
        signed_in = user is not None and roles.is_signed_in(user)
        self.user = user if signed_in else None
        self.user_id = user.pk if signed_in else None
        self.administrator = signed_in and roles.is_administrator(user)
        self.shown_residents: set[int] = set()

    @cached_property
    def official(self) -> bool:
        return self.user is not None and roles.is_official(self.user)

    @cached_property
    def official_communities(self) -> frozenset[int]:
        if self.user is None:
            return frozenset()
        return frozenset(roles.official_communities(self.user).values_list("pk", flat=True))

    @cached_property
    def managed_organisations(self) -> frozenset[int]:
        if self.user is None:
            return frozenset()
        return frozenset(roles.organisations_of(self.user, managed=True).values_list("pk", flat=True))

    def may_see_resident_contact(self, resident: Resident) -> bool:
        return (
            self.administrator
            or self.is_resident_themself(resident)
            or resident.community_id in self.official_communities
        )

    def is_resident_themself(self, resident: Resident) -> bool:
        return self.user_id is not None and resident.user_id == self.user_id

    def shows_resident_contact(self, resident: Resident) -> bool:
        """Whether to show the resident's contact details in full; when so, the view is audited
        (unless the viewer is the resident)."""
        if not self.may_see_resident_contact(resident):
            return False
        # A removed resident's row holds nothing personal any more: showing it is not a view of anyone.
        if not self.is_resident_themself(resident) and resident.removed_at is None:
            self.shown_residents.add(resident.pk)
        return True

    def shows_organisation_contact(self, organisation_id: int) -> bool:
        return self.administrator or self.official or organisation_id in self.managed_organisations

    def resident_contact(self, resident: Resident) -> dict[str, str]:
        """The resident's phone, building and unit, in full or masked for this viewer."""
        if self.shows_resident_contact(resident):
            return {"phone": resident.phone, "building": resident.building, "unit": resident.unit}
        return {
            "phone": mask_phone(resident.phone),
            "building": mask_address_part(resident.building),
            "unit": mask_address_part(resident.unit),
        }


def contact_viewer(user) -> ContactViewer:
    """The viewer for `user`, whatever the number of rows it will look at: at most three queries."""
    return ContactViewer(user)


def _http_request(request):
    """The Django request behind a DRF one, where the middleware will look for the viewer."""
    return getattr(request, "_request", request)


def contact_viewer_for(request) -> ContactViewer:
    """The request's viewer, built once and shared by every serializer, page and admin view of it."""
    http_request = _http_request(request)
    viewer = getattr(http_request, "_contact_viewer", None)
    if viewer is None:
        viewer = http_request._contact_viewer = contact_viewer(request.user)
    return viewer


def record_contact_views(request) -> None:
    """Write to the audit log which residents' contact details the request showed in full, and to whom."""
    viewer = getattr(_http_request(request), "_contact_viewer", None)
    if viewer is None or not viewer.shown_residents or viewer.user_id is None:
        return
    record_personal_data_views(
        actor_id=viewer.user_id,
        model=Resident,
        object_ids=sorted(viewer.shown_residents),
        # The path without its query string: a search may hold the very number being looked up.
        where=f"{request.method} {request.path}",
    )
    viewer.shown_residents.clear()
