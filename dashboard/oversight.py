"""Whose dashboards a user may open: the communities, streets and districts they oversee.

The pages under /dashboard/ and the dashboard figures of the API ask here; a community, street
or district outside these answers 404, exactly like one that does not exist.
"""
from django.db.models import Q, QuerySet

from partners.models import Community, District, OfficialPost, Street
from partners.roles import is_administrator, official_communities


def overseen_communities(user) -> QuerySet[Community]:
    """Every community for administrators; those under the official's posts for officials."""
    return Community.objects.all() if is_administrator(user) else official_communities(user)


def overseen_streets(user) -> QuerySet[Street]:
    """Streets whose roll-up the user may open: through a street or district post, or as administrator.
    A community post does not open its street's roll-up, which covers neighbouring communities too."""
    if is_administrator(user):
        return Street.objects.all()
    posts = OfficialPost.objects.filter(user=user)
    return Street.objects.filter(Q(pk__in=posts.values("street")) | Q(district__in=posts.values("district")))


def overseen_districts(user) -> QuerySet[District]:
    if is_administrator(user):
        return District.objects.all()
    return District.objects.filter(pk__in=OfficialPost.objects.filter(user=user).values("district"))
