"""GET /api/v1/communities/<id>/dashboard/: the dashboard page's figures as JSON, for the same people."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jobs.models import JobOutcome
from tests import factories
from tests.dashboard.test_overview_pages import busy_community, needing_attention
from tests.pages import manager_of, official_of, street_official_of

pytestmark = pytest.mark.django_db


def dashboard_url(community) -> str:
    return reverse("community-dashboard", kwargs={"pk": community.pk})


def test_an_official_gets_the_figures_of_the_community_they_oversee(client_for, community):
    needing_attention(community)
    today = timezone.localdate()
    factories.JobRunFactory(job="accountability.detect_risks", outcome=JobOutcome.FAILED, error="database locked")

    response = client_for(official_of(community)).get(dashboard_url(community))

    assert response.status_code == 200
    figures = response.json()
    assert figures["community"] == {"id": community.pk, "code": community.code, "name": community.name}
    assert sum(stage["count"] for stage in figures["stages"]) == 1
    duty = figures["overdue_duties"]["rows"][0]
    assert (duty["title"], duty["days_overdue"], duty["project_name"]) == ("Weekly kitchen check", 6, "Dining hall")
    assert (figures["breaches"]["count"], figures["complaints"]["overdue"], figures["reports"]["count"]) == (1, 1, 1)
    assert figures["reports"]["rows"][0]["organisation_name"] == "Sunshine NGO"
    assert [month["month"] for month in figures["satisfaction"]][-1] == today.replace(day=1).isoformat()
    assert {"job": "accountability.detect_risks", "failed": True}.items() <= figures["jobs"][0].items()


def test_the_figures_count_only_the_community_asked(client_for, community):
    factories.BreachFactory(project=factories.ProjectFactory(community=community))
    street_neighbour = factories.CommunityFactory(street=community.street)
    factories.BreachFactory(project=factories.ProjectFactory(community=street_neighbour))

    figures = client_for(street_official_of(community.street)).get(dashboard_url(community)).json()

    assert figures["breaches"]["count"] == 1


def test_administrators_get_any_community_s_figures(client_for, administrator, community):
    assert client_for(administrator).get(dashboard_url(community)).status_code == 200


def test_residents_and_partner_staff_who_see_the_community_are_refused(client_for, community, resident):
    organisation = factories.OrganisationFactory(home_community=community)
    for user in (resident.user, manager_of(organisation)):
        response = client_for(user).get(dashboard_url(community))
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"


def test_another_community_reads_as_missing(client_for, community, other_community):
    response = client_for(official_of(other_community)).get(dashboard_url(community))
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_an_unknown_or_impossible_id_is_a_404(client_for, administrator):
    client = client_for(administrator)
    assert client.get("/api/v1/communities/999999/dashboard/").status_code == 404
    assert client.get(f"/api/v1/communities/{10**30}/dashboard/").status_code == 404


def test_anonymous_callers_must_authenticate(client_for, community):
    assert client_for().get(dashboard_url(community)).status_code == 401


def test_the_figures_take_as_many_queries_for_ten_times_the_data(client_for):
    small, large = busy_community(factories.StreetFactory(), 2), busy_community(factories.StreetFactory(), 20)

    def queries(community) -> int:
        client = client_for(official_of(community))
        client.get(dashboard_url(community))  # warm: the session and content types
        with CaptureQueriesContext(connection) as captured:
            assert client.get(dashboard_url(community)).status_code == 200
        return len(captured)

    assert queries(large) == queries(small)


def test_an_official_who_lives_in_a_community_they_do_not_oversee_gets_a_404_as_on_the_page(
    client_for, community, other_community
):
    official = official_of(other_community)
    factories.ResidentFactory(community=community, user=official)
    response = client_for(official).get(dashboard_url(community))
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert client_for(official).get(reverse("dashboard:community", kwargs={"code": community.code})).status_code == 404
