"""The officials' dashboard home: the communities they oversee, projects counted by stage."""

import pytest
from django.urls import reverse

from coproduction.models import Stage
from tests import factories
from tests.pages import administrator, official_of, queries_to_get, resident_user_of, street_official_of

pytestmark = pytest.mark.django_db
HOME = reverse("dashboard:home")


def community_url(community):
    return reverse("dashboard:community", kwargs={"code": community.code})


def test_visitors_are_sent_to_the_login_page(client):
    response = client.get(HOME)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_users_without_an_official_post_are_refused(client):
    client.force_login(resident_user_of(factories.CommunityFactory()))
    assert client.get(HOME).status_code == 403


def test_an_official_sees_their_communities_with_projects_by_stage(client):
    community = factories.CommunityFactory(name="Houtai")
    factories.ProjectFactory(community=community, stage=Stage.OPERATION)
    factories.ProjectFactory(community=community, stage=Stage.OPERATION)
    factories.ProjectFactory(community=community, stage=Stage.DESIGN)
    factories.ProjectFactory(stage=Stage.OPERATION)  # another community's
    client.force_login(official_of(community))

    response = client.get(HOME)

    [row] = response.context["communities"]
    assert row == community
    assert dict(zip(Stage.values, row.stage_counts, strict=True)) == {
        "design": 1,
        "operation": 2,
        "evaluation": 0,
        "closed": 0,
    }
    assert f'href="{community_url(community)}"' in response.content.decode()


def test_a_street_official_sees_every_community_of_the_street(client):
    street = factories.StreetFactory()
    communities = factories.CommunityFactory.create_batch(2, street=street)
    factories.CommunityFactory()
    client.force_login(street_official_of(street))
    assert list(client.get(HOME).context["communities"]) == sorted(communities, key=lambda c: c.name)


def test_an_administrator_sees_every_community(client):
    factories.CommunityFactory.create_batch(3)
    client.force_login(administrator())
    assert len(client.get(HOME).context["communities"]) == 3


def test_the_community_page_lists_its_projects(client):
    project = factories.ProjectFactory(name="Dining hall")
    client.force_login(official_of(project.community))
    response = client.get(community_url(project.community))
    assert list(response.context["projects"]) == [project]
    assert b"Dining hall" in response.content


def test_another_community_is_not_found(client):
    client.force_login(official_of(factories.CommunityFactory()))
    assert client.get(community_url(factories.CommunityFactory())).status_code == 404


def make_communities(official_street, count):
    for community in factories.CommunityFactory.create_batch(count, street=official_street):
        factories.ProjectFactory(community=community)


def test_the_home_makes_as_many_queries_for_30_communities_as_for_3(client):
    small, large = factories.StreetFactory(), factories.StreetFactory()
    make_communities(small, 3)
    make_communities(large, 30)
    client.force_login(street_official_of(small))
    few = queries_to_get(client, HOME)
    client.force_login(street_official_of(large))
    assert queries_to_get(client, HOME) == few


def test_the_community_page_makes_as_many_queries_for_30_projects_as_for_3(client):
    small, large = factories.CommunityFactory(), factories.CommunityFactory()
    factories.ProjectFactory.create_batch(3, community=small)
    factories.ProjectFactory.create_batch(30, community=large)
    client.force_login(official_of(small))
    few = queries_to_get(client, community_url(small))
    client.force_login(official_of(large))
    assert queries_to_get(client, community_url(large)) == few
