"""List endpoints run the same number of queries for 5 rows as for 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    ClaimFactory,
    CommunityFactory,
    OrganisationFactory,
    ProjectFactory,
    ResidentFactory,
    ServiceListItemFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def rows_of(url: str, community):
    """Builders of one more visible row for each list endpoint."""
    project = ProjectFactory(community=community)
    return {
        "/api/v1/communities/": lambda: CommunityFactory(),
        "/api/v1/organisations/": lambda: OrganisationFactory(),
        "/api/v1/residents/": lambda: ResidentFactory(community=community),
        "/api/v1/service-items/": lambda: ServiceListItemFactory(),
        "/api/v1/projects/": lambda: ProjectFactory(community=community),
        "/api/v1/tasks/": lambda: TaskFactory(project=project),
        "/api/v1/claims/": lambda: ClaimFactory(task=TaskFactory(project=project)),
    }[url]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/communities/",
        "/api/v1/organisations/",
        "/api/v1/residents/",
        "/api/v1/service-items/",
        "/api/v1/projects/",
        "/api/v1/tasks/",
        "/api/v1/claims/",
    ],
)
def test_a_list_keeps_its_query_count_from_5_to_50_rows(
    url, client_for, administrator, community, django_assert_num_queries
):
    build = rows_of(url, community)
    client = client_for(administrator)
    for _ in range(5):
        build()
    client.get(url)  # warms the per-process caches (content types) so that both counts are of warm requests
    at_five = queries_for(client, url)
    for _ in range(45):
        build()
    with django_assert_num_queries(at_five):
        response = client.get(url)
    assert response.data["count"] >= 50


@pytest.mark.parametrize(
    "filtered",
    [
        "/api/v1/projects/?community={community}",
        "/api/v1/tasks/?project={project}",
        "/api/v1/organisations/?community={community}",
    ],
)
def test_filtering_by_a_reference_reads_no_row_to_check_the_id(filtered, client_for, official, community):
    project = ProjectFactory(community=community)
    TaskFactory(project=project)
    client = client_for(official)
    unfiltered = filtered.split("?")[0]
    client.get(unfiltered)  # warm
    assert queries_for(client, filtered.format(community=community.pk, project=project.pk)) == queries_for(
        client, unfiltered
    )


@pytest.mark.parametrize("query", ["community=999999", "service_item=999999"])
def test_a_reference_to_no_row_matches_nothing_like_another_communitys(
    query, client_for, official, community, other_community
):
    ProjectFactory(community=community)
    ProjectFactory(community=other_community)
    client = client_for(official)
    for url in (f"/api/v1/projects/?{query}", f"/api/v1/projects/?community={other_community.pk}"):
        response = client.get(url)
        assert response.status_code == 200, response.data
        assert response.data["count"] == 0


@pytest.mark.parametrize("value", ["abc", "1.5", "0", str(2**63)])
def test_a_malformed_reference_is_a_400_naming_the_filter(value, client_for, official):
    response = client_for(official).get(f"/api/v1/projects/?community={value}")
    assert response.status_code == 400
    assert list(response.data["errors"]) == ["community"]
