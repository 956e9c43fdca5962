"""The breach list shows every breach it counts, a page at a time, each aged from its own deadline."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability.models import BreachKind
from dashboard.views.supervision import BREACHES_PER_PAGE
from tests import factories
from tests.pages import official_of, queries_to_get

pytestmark = pytest.mark.django_db


@pytest.fixture
def community():
    return factories.CommunityFactory()


@pytest.fixture
def official(community):
    return official_of(community)


def list_url(community, query=""):
    return reverse("dashboard:breach_list", kwargs={"code": community.code}) + query


def open_breaches(community, count):
    project = factories.ProjectFactory(community=community)
    return factories.BreachFactory.create_batch(count, project=project)


def test_every_counted_breach_is_on_one_of_the_pages(client, community, official):
    created = open_breaches(community, BREACHES_PER_PAGE + 3)
    client.force_login(official)

    first = client.get(list_url(community))
    second = client.get(list_url(community, "?page=2"))

    assert first.context["page_obj"].paginator.count == BREACHES_PER_PAGE + 3
    shown = [*first.context["breaches"], *second.context["breaches"]]
    assert sorted(breach.pk for breach in shown) == sorted(breach.pk for breach in created)
    page = first.content.decode()
    assert f"{BREACHES_PER_PAGE + 3} breaches match; showing 1 to {BREACHES_PER_PAGE}." in page
    assert 'href="?page=2"' in page


def test_the_page_links_keep_the_filters(client, community, official):
    open_breaches(community, BREACHES_PER_PAGE + 1)
    client.force_login(official)

    page = client.get(list_url(community, "?status=open&severity=medium")).content.decode()

    assert 'href="?status=open&amp;severity=medium&amp;page=2"' in page


def test_a_page_past_the_last_shows_the_last(client, community, official):
    open_breaches(community, 3)
    client.force_login(official)
    response = client.get(list_url(community, "?page=9"))
    assert len(response.context["breaches"]) == 3


def test_a_full_page_makes_as_many_queries_as_a_short_one(client, community, official):
    client.force_login(official)
    open_breaches(community, 3)
    small = queries_to_get(client, list_url(community))
    open_breaches(community, BREACHES_PER_PAGE * 2)
    assert queries_to_get(client, list_url(community)) == small
    assert queries_to_get(client, list_url(community, "?page=3")) == small


def test_an_overdue_duty_counts_from_its_due_date_not_from_its_detection(client, community, official):
    project = factories.ProjectFactory(community=community)
    factories.BreachFactory(
        project=project, due_on=timezone.localdate() - timedelta(days=65), detected_at=timezone.now()
    )
    client.force_login(official)

    response = client.get(list_url(community), HTTP_ACCEPT_LANGUAGE="zh-Hans")

    assert response.context["breaches"][0].age_days == 65
    assert "逾期 65 天" in response.content.decode()


def test_a_missed_report_counts_from_the_reporting_deadline():
    breach = factories.BreachFactory.build(kind=BreachKind.MISSED_REPORT, duty=None, due_on=date(2025, 12, 1))
    assert breach.overdue_since() == date(2026, 1, 10)
    assert breach.days_overdue(date(2026, 1, 25)) == 15


def test_an_unanswered_complaint_counts_from_its_answer_deadline(client, community, official):
    filed = timezone.now() - timedelta(days=20)
    complaint = factories.ComplaintFactory(
        project__community=community, filed_at=filed, response_due_at=filed + timedelta(days=3)
    )
    factories.BreachFactory(
        project=complaint.project,
        kind=BreachKind.UNANSWERED_COMPLAINT,
        duty=None,
        due_on=None,
        complaint=complaint,
        organisation=complaint.routed_to,
    )
    client.force_login(official)

    response = client.get(list_url(community))

    assert response.context["breaches"][0].age_days == 17
    assert "17 days overdue" in response.content.decode()


def test_a_failed_inspection_says_when_it_was_found(client, community, official):
    inspection = factories.InspectionFactory(
        project=factories.ProjectFactory(community=community), inspected_on=timezone.localdate() - timedelta(days=4)
    )
    factories.BreachFactory(
        project=inspection.project,
        kind=BreachKind.FAILED_INSPECTION,
        duty=None,
        due_on=None,
        inspection=inspection,
        organisation=inspection.organisation,
    )
    client.force_login(official)

    page = client.get(list_url(community)).content.decode()

    assert "found 4 days ago" in page and "overdue" not in page.split("<tbody>")[1]
