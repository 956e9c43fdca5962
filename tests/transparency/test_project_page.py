"""A project's public page: partners, contributions by kind, awards, and its evaluations over time."""

import pytest
from django.urls import reverse

from coproduction.models import Stage
from tests import factories
from tests.pages import queries_to_get
from tests.transparency.public_record import AWARD_REASON, awarded_project

pytestmark = pytest.mark.django_db


def url_of(project, community=None):
    return reverse("transparency:project", kwargs={"code": (community or project.community).code, "pk": project.pk})


def test_the_project_page_shows_partners_contributions_and_the_award(client, project):
    html = client.get(url_of(project)).content.decode()
    assert "Sunshine Elderly Care" in html and "Lead" in html
    assert "30,000.00" in html and "5,000.00" in html
    assert AWARD_REASON in html and "86,000.00" in html


def test_the_project_page_lists_every_evaluation_oldest_first(client, project):
    html = client.get(url_of(project)).content.decode()
    assert html.index("72.00") < html.index("91.00")
    assert "Final evaluation" in html


def test_the_evaluation_chart_holds_the_same_totals_as_the_table(client, project):
    response = client.get(url_of(project))
    chart = response.context["evaluation_chart"]
    assert chart["data"]["datasets"][0]["data"] == [72.0, 91.0]
    assert '"data": [72.0, 91.0]' in response.content.decode()


def test_a_project_in_design_is_not_found(client, community):
    plan = factories.ProjectFactory(community=community, stage=Stage.DESIGN)
    assert client.get(url_of(plan)).status_code == 404


def test_a_project_under_another_communitys_address_is_not_found(client, project):
    other = factories.CommunityFactory()
    assert client.get(url_of(project, community=other)).status_code == 404


def test_the_project_page_makes_as_many_queries_for_ten_times_the_data(client, community):
    small = awarded_project(community, name="Small")
    large = awarded_project(community, name="Large", organisation_name="Large org")
    for _ in range(10):
        factories.ParticipationFactory(project=large)
        factories.RatingFactory(project=large)
    for month in range(1, 11):
        factories.EvaluationFactory(
            project=large, period_start=f"2024-{month:02d}-01", period_end=f"2024-{month:02d}-28"
        )
    assert queries_to_get(client, url_of(small)) == queries_to_get(client, url_of(large))
