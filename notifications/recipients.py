"""Who an event concerns: an organisation's managers, the officials whose post covers a community.

Each function returns one queryset of active accounts, read by one query whatever the number of
people, for notify() to tell.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from partners.models import Membership, MembershipRole, OfficialPost, OrganisationKind, User


def managers_of(organisation_id: int) -> QuerySet[User]:
    """The managers of the organisation: they act in its name and answer for its duties, reports and breaches."""
    managing = Membership.objects.filter(
        user=OuterRef("pk"), organisation_id=organisation_id, role=MembershipRole.MANAGER
    )
    return User.objects.filter(Exists(managing), is_active=True)


def managers_of_any(organisation_ids: QuerySet) -> QuerySet[User]:
    """The managers of any of the organisations whose ids `organisation_ids` (a values() queryset) lists."""
    managing = Membership.objects.filter(
        user=OuterRef("pk"), organisation_id__in=organisation_ids, role=MembershipRole.MANAGER
    )
    return User.objects.filter(Exists(managing), is_active=True)


def officials_for(community_id: int) -> QuerySet[User]:
    """The officials whose post covers the community: its own, its street's and its district's."""
    covering = OfficialPost.objects.filter(user=OuterRef("pk")).filter(
        Q(community_id=community_id)
        | Q(street__communities__pk=community_id)
        | Q(district__streets__communities__pk=community_id)
    )
    return User.objects.filter(Exists(covering), is_active=True)


def answering_for(*, organisation_id: int, organisation_kind: str, community_id: int) -> QuerySet[User]:
    """Who answers for the organisation in the community: a government body (the residents' committee,
    the street office) acts through the officials covering the community, any other through its managers."""
    if organisation_kind == OrganisationKind.GOVERNMENT:
        return officials_for(community_id)
    return managers_of(organisation_id)
