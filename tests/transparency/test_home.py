"""The public pages: every community, and each one's projects under way, without a login."""

import pytest
from django.urls import reverse

from coproduction.models import Stage
from tests import factories
from tests.pages import queries_to_get

pytestmark = pytest.mark.django_db
HOME = reverse("transparency:home")


def community_url(community):
    return reverse("transparency:community", kwargs={"code": community.code})


def test_visitors_see_every_community_with_a_link(client):
    communities = factories.CommunityFactory.create_batch(2)
    response = client.get(HOME)
    assert response.status_code == 200
    for community in communities:
        assert f'href="{community_url(community)}"' in response.content.decode()


def test_a_community_page_shows_projects_past_the_design_stage(client):
    community = factories.CommunityFactory()
    factories.ProjectFactory(community=community, name="Dining hall", stage=Stage.OPERATION)
    factories.ProjectFactory(community=community, name="Still a plan", stage=Stage.DESIGN)
    html = client.get(community_url(community)).content.decode()
    assert "Dining hall" in html and "Still a plan" not in html


def test_an_unknown_community_is_not_found(client):
    assert client.get(reverse("transparency:community", kwargs={"code": "nowhere"})).status_code == 404


def test_the_home_makes_as_many_queries_for_30_communities_as_for_3(client):
    factories.CommunityFactory.create_batch(3)
    few = queries_to_get(client, HOME)
    factories.CommunityFactory.create_batch(27)
    assert queries_to_get(client, HOME) == few


def test_the_community_page_makes_as_many_queries_for_30_projects_as_for_3(client):
    small, large = factories.CommunityFactory(), factories.CommunityFactory()
    factories.ProjectFactory.create_batch(3, community=small)
    factories.ProjectFactory.create_batch(30, community=large)
    assert queries_to_get(client, community_url(small)) == queries_to_get(client, community_url(large))


def test_the_home_groups_communities_under_their_district(client):
    community = factories.CommunityFactory(street__district__name="Xiqing", street__name="Zhongbei")
    html = client.get(HOME).content.decode()
    assert html.index(">Xiqing</h3>") < html.index(community.name)
    assert "Zhongbei" in html


def test_the_home_counts_public_projects_and_open_calls_of_each_community(client):
    community = factories.CommunityFactory()
    factories.ProjectFactory.create_batch(2, community=community, stage=Stage.OPERATION)
    factories.ProjectFactory(community=community, stage=Stage.DESIGN)
    factories.CallFactory.create_batch(3, project__community=community)
    response = client.get(HOME)
    row = response.context["communities"].get(pk=community.pk)
    assert (row.public_project_count, row.open_call_count) == (2, 3)
