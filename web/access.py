"""Who may open a page: role decorators and mixins built on partners.roles, and each role's home.

Every page app guards its views with these, so that pages refuse exactly as the domain does:

    from web.access import official_required
    from common.scoping import visible_or_404

    @official_required                       # anonymous -> login page; no official post -> 403
    def community(request, code):
        community = visible_or_404(Community.objects, request.user, code=code)   # not theirs -> 404
        ...

    class ReviewView(OfficialRequiredMixin, View): ...

Administrators count as officials (they oversee every community); the portals need the role
itself, since they show the user's own organisations or resident record.

Each refusal raised here (and any PermissionDenied a view raises) is written to the security log
by common.security_log.SecurityLogMiddleware, with the user, the path and the reason.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partners.roles import roles_of

# Which roles open each area, and the refusal shown on the 403 page to everyone else.
OFFICIAL_ROLES = frozenset({"official", "administrator"})
STAFF_ROLES = frozenset({"staff"})
RESIDENT_ROLES = frozenset({"resident"})

_REFUSALS = {
    OFFICIAL_ROLES: _("This page is for community and street officials."),
    STAFF_ROLES: _("This page is for the staff of partner organisations."),
    RESIDENT_ROLES: _("This page is for residents registered in a community."),
}


def user_roles(request) -> frozenset[str]:
    """The request user's roles (see partners.roles.roles_of), computed once per request."""
    if not hasattr(request, "_web_roles"):
        request._web_roles = frozenset(roles_of(request.user))
    return request._web_roles


def refusal_unless(request, roles: frozenset[str]) -> HttpResponse | None:
    """None when the user holds one of `roles`; a login redirect for anonymous users; raises
    PermissionDenied (the 403 page, with the reason) for signed-in users without the role."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not user_roles(request) & roles:
        raise PermissionDenied(_REFUSALS.get(roles, _("You may not open this page.")))
    return None


def role_required(roles: frozenset[str]):
    """A view decorator letting in users who hold at least one of `roles`."""

    def decorator(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            refusal = refusal_unless(request, roles)
            return refusal if refusal is not None else view(request, *args, **kwargs)

        return guarded

    return decorator


# Officials of any level, and administrators.
official_required = role_required(OFFICIAL_ROLES)
# Members (staff or managers) of at least one organisation; whether a member may act for the
# organisation is the domain service's check (partners.roles.require_can_act_for).
staff_required = role_required(STAFF_ROLES)
resident_required = role_required(RESIDENT_ROLES)


class RoleRequiredMixin:
    """For class-based views: set `required_roles` (one of the *_ROLES sets above)."""

    required_roles: frozenset[str] = frozenset()

    def dispatch(self, request, *args, **kwargs):
        refusal = refusal_unless(request, self.required_roles)
        return refusal if refusal is not None else super().dispatch(request, *args, **kwargs)


class OfficialRequiredMixin(RoleRequiredMixin):
    required_roles = OFFICIAL_ROLES


class StaffRequiredMixin(RoleRequiredMixin):
    required_roles = STAFF_ROLES


class ResidentRequiredMixin(RoleRequiredMixin):
    required_roles = RESIDENT_ROLES


# Where "/" sends each role, first match wins: a user with several roles lands on the first
# and finds the others in the navigation.
HOMES = (
    (OFFICIAL_ROLES, "dashboard:home"),
    (STAFF_ROLES, "partner_portal:home"),
    (RESIDENT_ROLES, "resident_portal:home"),
)


def home_url_for(request) -> str:
    """The user's own home page; the public pages for visitors and users with no role."""
    roles = user_roles(request)
    for area_roles, url_name in HOMES:
        if roles & area_roles:
            return reverse(url_name)
    return reverse("transparency:home")
