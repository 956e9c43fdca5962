"""The visibility subqueries written in SQL for speed say exactly what partners.roles says.

coproduction/querysets.py reads the user's communities and organisations with UNION ALL of index
lookups instead of the ORM's OR of subqueries; these tests keep the two forms equal for every
kind of user, so the rule still lives in partners.roles and the SQL only repeats it faster.
"""

import pytest
from django.db.models import Q

from coproduction.models import Project
from coproduction.querysets import OFFICIAL_COMMUNITIES_SQL, ids_for_user
from partners import roles
from partners.models import Community, Resident
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    """Two streets of one district, two communities each, a project in each, and one user per kind of role."""
    district = factories.DistrictFactory()
    streets = [factories.StreetFactory(district=district) for _ in range(2)]
    communities = [factories.CommunityFactory(street=street) for street in streets for _ in range(2)]
    projects = [factories.ProjectFactory(community=community) for community in communities]
    organisation = factories.OrganisationFactory()
    factories.ParticipationFactory(project=projects[3], organisation=organisation)
    users = {
        "nobody": factories.UserFactory(),
        "community official": factories.OfficialPostFactory(community=communities[0]).user,
        "street official": factories.OfficialPostFactory(community=None, street=streets[1]).user,
        "district official": factories.OfficialPostFactory(community=None, district=district).user,
        "partner staff": factories.MembershipFactory(organisation=organisation).user,
        "resident": factories.ResidentFactory(community=communities[2], user=factories.UserFactory()).user,
    }
    several = factories.OfficialPostFactory(community=communities[1]).user
    factories.MembershipFactory(user=several, organisation=organisation)
    factories.ResidentFactory(community=communities[0], user=several)
    users["official, staff and resident at once"] = several
    return users


def test_the_sql_finds_the_communities_partners_roles_gives_each_official(district):
    for kind, user in district.items():
        from_sql = set(Community.objects.filter(pk__in=ids_for_user(OFFICIAL_COMMUNITIES_SQL, user)))
        assert from_sql == set(roles.official_communities(user)), kind


def test_the_sql_finds_the_projects_the_rule_of_partners_roles_gives_each_user(district):
    for kind, user in district.items():
        by_the_rule = Project.objects.filter(
            Q(community__in=roles.official_communities(user))
            | Q(participations__organisation__in=roles.organisations_of(user))
            | Q(community__in=Resident.objects.filter(user=user).values("community"))
        ).distinct()
        assert set(Project.objects.visible_to(user)) == set(by_the_rule), kind
