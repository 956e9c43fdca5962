"""A community's public page: awarded projects with partners, amounts, reasons and grades; calls;
the service list; never a person's data; the same number of queries whatever the data size."""

import pytest
from django.urls import reverse

from coproduction.models import CallStatus, Stage
from tests import factories
from tests.pages import official_of, queries_to_get, resident_user_of, staff_of
from tests.transparency.public_record import AWARD_REASON, award, awarded_project

pytestmark = pytest.mark.django_db


def page_of(client, community) -> str:
    response = client.get(reverse("transparency:community", kwargs={"code": community.code}))
    assert response.status_code == 200
    return response.content.decode()


def test_visitors_see_an_awarded_project_with_partner_amounts_and_reason(client, community, project):
    html = page_of(client, community)
    assert "Elderly dining hall" in html
    assert "Sunshine Elderly Care" in html
    assert "86,000.00" in html and "120,000.00" in html
    assert AWARD_REASON in html


def test_the_project_card_shows_contributions_by_kind(client, community, project):
    html = page_of(client, community)
    assert "Money: ¥30,000.00" in html and "Facility: ¥5,000.00" in html
    assert "35,000.00" in html


def test_the_project_card_shows_the_latest_and_final_grades(client, community, project):
    html = page_of(client, community)
    assert "Excellent · 91.0" in html
    assert html.count('class="grade grade--a"') == 2


def test_the_page_links_each_project_to_its_public_page(client, community, project):
    url = reverse("transparency:project", kwargs={"code": community.code, "pk": project.pk})
    assert f'href="{url}"' in page_of(client, community)


def test_projects_still_in_design_are_not_shown(client, community):
    factories.ProjectFactory(community=community, name="Still a plan", stage=Stage.DESIGN)
    assert "Still a plan" not in page_of(client, community)


def test_another_communitys_projects_are_not_shown(client, community, project):
    awarded_project(factories.CommunityFactory(), name="Elsewhere hall")
    assert "Elsewhere hall" not in page_of(client, community)


def test_open_calls_show_service_deadline_and_weighted_criteria(client, community):
    call = factories.CallFactory(project__community=community, title="Call for home visits")
    factories.CriterionFactory(call=call, name="Staff training", weight=70)
    html = page_of(client, community)
    assert "Call for home visits" in html and call.project.service_item.name in html
    assert "Staff training: 70" in html


def test_calls_under_review_or_cancelled_are_not_shown(client, community):
    factories.CallFactory(project__community=community, title="Being scored", status=CallStatus.REVIEWING)
    factories.CallFactory(project__community=community, title="Called off", status=CallStatus.CANCELLED)
    html = page_of(client, community)
    assert "Being scored" not in html and "Called off" not in html


def test_an_award_on_a_project_still_in_design_is_listed_with_the_awarded_calls(client, community):
    call = factories.CallFactory(project__community=community, title="Plots call")
    award(call, factories.OrganisationFactory(name="Green Hands"), reason="Only local group")
    html = page_of(client, community)
    assert "Plots call" in html and "Green Hands" in html and "Only local group" in html


def test_the_service_list_shows_published_items_with_nature_and_who_may_deliver(client, community):
    factories.ServiceListItemFactory(name="Meal delivery", allows_government=False)
    factories.ServiceListItemFactory(name="Unfinished item", draft=True)
    html = page_of(client, community)
    assert "Meal delivery" in html and "Welfare service" in html
    assert "Enterprise, NGO / social organisation" in html
    assert "Unfinished item" not in html


def test_satisfaction_is_shown_as_a_mean_of_three_ratings_or_more(client, community, project):
    assert "satisfaction: 4.3 out of 5 (3 ratings)" in page_of(client, community)


def test_satisfaction_under_three_ratings_is_not_shown(client, community):
    lone = factories.ProjectFactory(community=community)
    factories.RatingFactory(project=lone, score=1)
    html = page_of(client, community)
    assert "out of 5" not in html and "is shown from 3 ratings on" in html


def test_no_personal_data_is_shown(client, community, project):
    organisation = project.participations.get().organisation
    organisation.legal_representative, organisation.contact_phone = "Zhang Wei", "13900001111"
    organisation.save()
    html = page_of(client, community)
    for rating in project.ratings.select_related("resident"):
        assert rating.resident.name not in html and rating.resident.phone not in html
    assert "Zhang Wei" not in html and "13900001111" not in html
    awarded_by = project.calls.get().awarded_by
    assert awarded_by.username not in html and str(awarded_by) not in html


def test_the_page_documents_the_download_columns(client, community):
    html = page_of(client, community)
    for column in ("award_reason", "awarded_amount_yuan", "final_grade", "may_deliver", "criteria"):
        assert f"<code>{column}</code>" in html
    assert 'href="/public/communities/houtai/awards.csv"' in html


def test_signed_in_users_of_every_role_see_the_same_page(client, community, project):
    for user in (official_of(community), staff_of(factories.OrganisationFactory()), resident_user_of(community)):
        client.force_login(user)
        assert "Sunshine Elderly Care" in page_of(client, community)


def test_an_unknown_community_is_not_found(client):
    assert client.get(reverse("transparency:community", kwargs={"code": "nowhere"})).status_code == 404


def test_the_page_makes_as_many_queries_for_ten_times_the_data(client):
    small, large = factories.CommunityFactory(), factories.CommunityFactory()
    for community, count in ((small, 2), (large, 20)):
        for number in range(count):
            awarded_project(community, name=f"Project {number}", organisation_name=f"Org {community.pk}-{number}")
            factories.CallFactory(project__community=community)
    assert queries_to_get(client, reverse("transparency:community", kwargs={"code": small.code})) == queries_to_get(
        client, reverse("transparency:community", kwargs={"code": large.code})
    )
