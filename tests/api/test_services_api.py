"""The service list: filters, search, and drafts only for those who maintain the list."""

import pytest

from tests.factories import OfficialPostFactory, ServiceListItemFactory, StreetFactory

pytestmark = pytest.mark.django_db


def codes(response) -> set[str]:
    return {row["code"] for row in response.data["results"]}


def test_residents_see_published_items_but_not_drafts(client_for, resident):
    published = ServiceListItemFactory()
    ServiceListItemFactory(draft=True)
    response = client_for(resident.user).get("/api/v1/service-items/")
    assert response.status_code == 200
    assert codes(response) == {published.code}


def test_a_street_official_who_maintains_the_list_sees_drafts(client_for):
    draft = ServiceListItemFactory(draft=True)
    maintainer = OfficialPostFactory(community=None, street=StreetFactory()).user
    response = client_for(maintainer).get("/api/v1/service-items/?status=draft")
    assert codes(response) == {draft.code}


def test_a_community_official_gets_404_for_a_draft(client_for, official):
    draft = ServiceListItemFactory(draft=True)
    assert client_for(official).get(f"/api/v1/service-items/{draft.pk}/").status_code == 404


def test_items_are_filtered_by_the_kind_that_may_deliver_them(client_for, official):
    for_ngos = ServiceListItemFactory()
    ServiceListItemFactory(allows_ngo=False, allows_enterprise=False, allows_government=True)
    response = client_for(official).get("/api/v1/service-items/?eligible_kind=ngo")
    assert codes(response) == {for_ngos.code}


def test_items_are_filtered_by_nature_and_category(client_for, official):
    market = ServiceListItemFactory(nature="market")
    ServiceListItemFactory()
    response = client_for(official).get(f"/api/v1/service-items/?nature=market&category={market.category.code}")
    assert codes(response) == {market.code}


def test_items_are_searched_by_name(client_for, official):
    dining = ServiceListItemFactory(name="Elderly dining hall")
    ServiceListItemFactory(name="Green-space care")
    assert codes(client_for(official).get("/api/v1/service-items/?search=dining")) == {dining.code}


def test_an_anonymous_caller_cannot_read_the_service_list(client_for):
    ServiceListItemFactory()
    assert client_for().get("/api/v1/service-items/").status_code == 401
