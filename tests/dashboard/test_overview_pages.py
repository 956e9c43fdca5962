"""The officials' dashboard pages of a community, a street and a district: who may open them, what they show,
and their query counts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from coproduction.models import GovernanceLevel, Stage
from jobs.models import JobOutcome
from tests import factories
from tests.pages import (
    administrator,
    manager_of,
    official_of,
    queries_to_get,
    resident_user_of,
    street_official_of,
)

pytestmark = pytest.mark.django_db


def community_url(community):
    return reverse("dashboard:community", kwargs={"code": community.code})


def street_url(street):
    return reverse("dashboard:street", kwargs={"street_id": street.pk})


def district_url(district):
    return reverse("dashboard:district", kwargs={"district_id": district.pk})


def district_official_of(district):
    return factories.OfficialPostFactory(community=None, district=district).user


@pytest.fixture
def community():
    return factories.CommunityFactory(name="Houtai")


# --- Who may open them ---------------------------------------------------------------------


@pytest.mark.parametrize("url", [community_url, street_url, district_url], ids=["community", "street", "district"])
def test_visitors_are_sent_to_the_login_page(client, community, url):
    target = {community_url: community, street_url: community.street, district_url: community.street.district}[url]
    response = client.get(url(target))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_residents_and_partner_staff_are_refused(client, community):
    client.force_login(resident_user_of(community))
    assert client.get(community_url(community)).status_code == 403
    client.force_login(manager_of(factories.OrganisationFactory(home_community=community)))
    assert client.get(community_url(community)).status_code == 403


def test_an_official_of_one_community_does_not_find_another_community_s_dashboard(client, community):
    client.force_login(official_of(community))
    assert client.get(community_url(factories.CommunityFactory())).status_code == 404


def test_a_community_official_does_not_find_the_roll_up_of_their_own_street_or_district(client, community):
    client.force_login(official_of(community))
    assert client.get(street_url(community.street)).status_code == 404
    assert client.get(district_url(community.street.district)).status_code == 404


def test_a_street_official_opens_their_street_and_its_communities_but_not_another_street(client, community):
    client.force_login(street_official_of(community.street))
    assert client.get(street_url(community.street)).status_code == 200
    assert client.get(community_url(community)).status_code == 200
    assert client.get(street_url(factories.StreetFactory())).status_code == 404
    assert client.get(district_url(community.street.district)).status_code == 404


def test_a_district_official_opens_the_district_and_every_street_of_it(client, community):
    client.force_login(district_official_of(community.street.district))
    assert client.get(district_url(community.street.district)).status_code == 200
    assert client.get(street_url(community.street)).status_code == 200
    assert client.get(district_url(factories.DistrictFactory())).status_code == 404


def test_an_administrator_opens_every_dashboard(client, community):
    client.force_login(administrator())
    for url in (community_url(community), street_url(community.street), district_url(community.street.district)):
        assert client.get(url).status_code == 200


def test_an_unknown_street_is_not_found(client):
    client.force_login(administrator())
    assert client.get(reverse("dashboard:street", kwargs={"street_id": 999999})).status_code == 404


# --- What they show ------------------------------------------------------------------------


def test_the_community_dashboard_shows_stages_quadrant_and_charts(client, community):
    project = factories.ProjectFactory(
        community=community,
        name="Dining hall",
        governance_authority=GovernanceLevel.HIGH,
        government_share=Decimal("0.8"),
    )
    factories.ProjectFactory(community=community, name="New plots", stage=Stage.DESIGN)
    client.force_login(official_of(community))

    response = client.get(community_url(community))

    page = response.content.decode()
    figures = response.context["figures"]
    assert [row["count"] for row in figures["stages"]] == [1, 1, 0, 0]
    assert [point["id"] for point in figures["quadrant"]["placed"]] == [project.pk]
    assert "Administrative absorption" in page and "Dining hall" in page and "New plots" in page
    for chart in ("stage-chart", "quadrant-chart", "satisfaction-chart"):
        assert f'data-chart="{chart}"' in page and f'id="{chart}"' in page
    assert "dashboard/quadrant.js" in page and "web/vendor/chart.umd.min.js" in page


def needing_attention(community):
    """A project "Dining hall" with a duty 6 days overdue, a breach, a complaint past its deadline and
    a report of "Sunshine NGO" awaiting review: one row in each of the dashboard's attention lists."""
    project = factories.ProjectFactory(community=community, name="Dining hall")
    today = timezone.localdate()
    factories.DutyFactory(project=project, title="Weekly kitchen check", next_due_on=today - timedelta(days=6))
    factories.BreachFactory(project=project, detected_at=timezone.now() - timedelta(days=4))
    factories.ComplaintFactory(project=project, subject="Cold meals", filed_at=timezone.now() - timedelta(days=5))
    factories.ServiceReportFactory(project=project, organisation=factories.OrganisationFactory(name="Sunshine NGO"))
    return project


def test_the_attention_lists_show_overdue_duties_breaches_complaints_and_reports_with_their_age(client, community):
    needing_attention(community)
    client.force_login(official_of(community))

    response = client.get(community_url(community))

    page = response.content.decode()
    figures = response.context["figures"]
    assert figures["overdue_duties"]["rows"][0]["days_overdue"] == 6
    assert (figures["breaches"]["count"], figures["complaints"]["overdue"], figures["reports"]["count"]) == (1, 1, 1)
    assert "Weekly kitchen check" in page and "Cold meals" in page and "Sunshine NGO" in page
    assert "Past the response deadline" in page  # the overdue complaint is said in words


def test_a_failed_job_is_marked_in_words(client, community):
    factories.JobRunFactory(job="accountability.detect_risks", outcome=JobOutcome.FAILED, error="database locked")
    client.force_login(official_of(community))

    page = client.get(community_url(community)).content.decode()

    assert "Risk detection" in page and "Failed" in page and "database locked" in page
    assert "accountability.detect_risks" not in page  # named in words, never by its code


def test_the_street_roll_up_adds_up_its_communities_and_links_to_each(client):
    street = factories.StreetFactory(name="Zhongbei")
    communities = factories.CommunityFactory.create_batch(2, street=street)
    for community in communities:
        factories.ProjectFactory(community=community, stage=Stage.OPERATION)
    factories.ProjectFactory(stage=Stage.OPERATION)  # another street's
    client.force_login(street_official_of(street))

    response = client.get(street_url(street))

    assert response.context["figures"]["stages"][1]["count"] == 2
    page = response.content.decode()
    for community in communities:
        assert f'href="{community_url(community)}"' in page


def test_the_district_roll_up_links_to_its_streets(client, community):
    client.force_login(district_official_of(community.street.district))
    page = client.get(district_url(community.street.district)).content.decode()
    assert f'href="{street_url(community.street)}"' in page and f'href="{community_url(community)}"' in page


def test_the_home_links_to_the_roll_ups_the_official_s_posts_open(client, community):
    client.force_login(street_official_of(community.street))
    page = client.get(reverse("dashboard:home")).content.decode()
    assert f'href="{street_url(community.street)}"' in page
    assert f'href="{district_url(community.street.district)}"' not in page


def test_a_community_official_s_home_offers_no_roll_up(client, community):
    client.force_login(official_of(community))
    response = client.get(reverse("dashboard:home"))
    assert list(response.context["streets"]) == [] and list(response.context["districts"]) == []


# --- Query counts ---------------------------------------------------------------------------


def busy_community(street, size):
    """A community with `size` projects, each with an overdue duty, a breach, a complaint, a report,
    ratings, a risk, a claimed task and an evaluation."""
    community = factories.CommunityFactory(street=street)
    for number in range(size):
        project = factories.ProjectFactory(
            community=community,
            governance_authority=GovernanceLevel.LOW,
            government_share=Decimal("0.3"),
        )
        factories.DutyFactory(project=project, next_due_on=timezone.localdate() - timedelta(days=number + 1))
        factories.BreachFactory(project=project)
        factories.ComplaintFactory(project=project)
        factories.ServiceReportFactory(project=project)
        factories.RatingFactory.create_batch(2, project=project)
        factories.RiskFactory(community=community, project=project)
        factories.ClaimFactory(task=factories.TaskFactory(project=project))
        month = timezone.localdate().replace(day=1)
        factories.EvaluationFactory(project=project, period_start=month, period_end=month + timedelta(days=27))
        factories.JobRunFactory(community=community, job=f"job-{number % 3}")
    return community


def test_the_community_dashboard_makes_as_many_queries_for_ten_times_the_data(client):
    small, large = busy_community(factories.StreetFactory(), 2), busy_community(factories.StreetFactory(), 20)
    client.force_login(official_of(small))
    few = queries_to_get(client, community_url(small))
    client.force_login(official_of(large))
    assert queries_to_get(client, community_url(large)) == few


def test_the_street_roll_up_makes_as_many_queries_for_ten_times_the_communities(client):
    small, large = factories.StreetFactory(), factories.StreetFactory()
    busy_community(small, 2)
    for _ in range(10):
        busy_community(large, 2)
    client.force_login(street_official_of(small))
    few = queries_to_get(client, street_url(small))
    client.force_login(street_official_of(large))
    assert queries_to_get(client, street_url(large)) == few
