"""Page-numbered lists read their total with the page itself: the same counts, one query fewer."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/projects/"


@pytest.fixture
def seven_projects(community):
    return [ProjectFactory(community=community) for _ in range(7)]


def test_each_page_gives_the_full_count_and_its_share_of_rows(client_for, official, seven_projects):
    client = client_for(official)
    first = client.get(URL, {"page_size": 3}).json()
    last = client.get(URL, {"page_size": 3, "page": 3}).json()
    assert (first["count"], len(first["results"]), first["next"] is not None) == (7, 3, True)
    assert (last["count"], len(last["results"]), last["next"]) == (7, 1, None)


def test_the_last_page_by_name_is_the_last_one(client_for, official, seven_projects):
    response = client_for(official).get(URL, {"page_size": 3, "page": "last"}).json()
    assert (response["count"], len(response["results"])) == (7, 1)


def test_an_empty_list_counts_zero_on_its_first_page(client_for, official, other_community):
    ProjectFactory(community=other_community)
    response = client_for(official).get(URL).json()
    assert (response["count"], response["results"]) == (0, [])


@pytest.mark.parametrize("page", ["4", "0", "two"])
def test_a_page_past_the_end_or_not_a_page_is_not_found(client_for, official, seven_projects, page):
    response = client_for(official).get(URL, {"page_size": 3, "page": page})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_count_takes_no_query_of_its_own(client_for, official, seven_projects):
    client = client_for(official)
    client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        client.get(URL, {"page_size": 3})
    assert not [query for query in queries.captured_queries if "COUNT(*) AS" in query["sql"]]


def test_a_search_across_rows_that_may_repeat_is_still_counted_once_each(client_for, official, seven_projects):
    name = seven_projects[0].name
    response = client_for(official).get(URL, {"search": name}).json()
    assert response["count"] == len(response["results"]) >= 1
