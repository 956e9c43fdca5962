"""Who a user is on the platform, and over which communities and organisations they act.

A user may hold several roles at once: an official post (community, street or district level;
a street or district post covers every community below it), memberships of organisations
(a manager acts for the organisation as a whole), a resident record, and the administrator
flag (superuser). Every visibility rule (`<Model>.objects.visible_to(user)`) and every
permission check in the domain services is built from these functions.
"""

from typing import cast

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from common import scoping
from common.actors import Account
from partners.models import Community, Membership, MembershipRole, OfficialPost, Organisation, Resident, User

# The account's own flags, kept with the scoping base every visible_to() opens with.
is_administrator = scoping.is_administrator
is_signed_in = scoping.is_signed_in


def official_communities(user) -> QuerySet[Community]:
    """Communities an official oversees, through any of their posts. Empty for non-officials."""
    if not is_signed_in(user):
        return Community.objects.none()
    posts = OfficialPost.objects.filter(user=user)
    return Community.objects.filter(
        Q(pk__in=posts.values("community"))
        | Q(street__in=posts.values("street"))
        | Q(street__district__in=posts.values("district"))
    )


def is_official(user) -> bool:
    return is_signed_in(user) and OfficialPost.objects.filter(user=user).exists()


def may_maintain_service_list(user) -> bool:
    """The service list and its indicators are shared by every community: administrators and
    officials whose post covers a street or a district maintain them, not a single community."""
    if is_administrator(user):
        return True
    return is_signed_in(user) and OfficialPost.objects.filter(user=user, community__isnull=True).exists()


def is_official_for(user, community: Community | int) -> bool:
    community_id = community.pk if isinstance(community, Community) else community
    return is_administrator(user) or official_communities(user).filter(pk=community_id).exists()


def organisations_of(user, *, managed: bool = False) -> QuerySet[Organisation]:
    """Organisations the user works for (or, with managed=True, may act for)."""
    if not is_signed_in(user):
        return Organisation.objects.none()
    memberships = Membership.objects.filter(user=user)
    if managed:
        memberships = memberships.filter(role=MembershipRole.MANAGER)
    return Organisation.objects.filter(pk__in=memberships.values("organisation"))


def is_member_of(user, organisation: Organisation | int) -> bool:
    organisation_id = organisation.pk if isinstance(organisation, Organisation) else organisation
    return is_signed_in(user) and Membership.objects.filter(user=user, organisation_id=organisation_id).exists()


def can_act_for(user, organisation: Organisation | int) -> bool:
    """A manager of the organisation (or an administrator) may act in its name."""
    organisation_id = organisation.pk if isinstance(organisation, Organisation) else organisation
    return is_administrator(user) or organisations_of(user, managed=True).filter(pk=organisation_id).exists()


def resident_of(user) -> Resident | None:
    if not is_signed_in(user):
        return None
    return Resident.objects.filter(user=user).select_related("community").first()


def roles_of(user) -> set[str]:
    """The names of the roles a user holds: administrator, official, staff, manager, resident."""
    roles: set[str] = set()
    if not is_signed_in(user):
        return roles
    if user.is_superuser:
        roles.add("administrator")
    if is_official(user):
        roles.add("official")
    memberships = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    if memberships:
        roles.add("staff")
    if MembershipRole.MANAGER in memberships:
        roles.add("manager")
    if Resident.objects.filter(user=user).exists():
        roles.add("resident")
    return roles


# --- Refusals with a message that says why --------------------------------------------------


def require_official_for(user, community: Community | int) -> None:
    if not is_official_for(user, community):
        raise PermissionDenied(_("Only an official of this community may do this."))


def require_can_act_for(user, organisation: Organisation | int) -> None:
    if not can_act_for(user, organisation):
        raise PermissionDenied(_("Only a manager of this organisation may act for it."))


def checked_account(user: Account) -> User:
    """The account behind `user` once one of the checks above has let it through (each lets only a
    signed-in account through), for the column that records who acted."""
    return cast(User, user)
