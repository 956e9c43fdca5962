"""Officials' complaint, risk and supervision-report pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability.models import ComplaintStatus, Risk, RiskStatus
from audit.models import AuditEntry
from tests import factories
from tests.pages import official_of, queries_to_get, resident_user_of, staff_of

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"dashboard:{name}", kwargs=kwargs)


@pytest.fixture
def community():
    return factories.CommunityFactory()


@pytest.fixture
def official(community):
    return official_of(community)


# --- Complaints ------------------------------------------------------------------------------


def test_complaints_are_refused_to_the_organisation_they_are_routed_to(client):
    complaint = factories.ComplaintFactory()
    client.force_login(staff_of(complaint.routed_to))
    assert client.get(url("complaint_detail", pk=complaint.pk)).status_code == 403


def test_another_communitys_complaint_is_not_found(client, official):
    complaint = factories.ComplaintFactory()
    client.force_login(official)
    assert client.get(url("complaint_detail", pk=complaint.pk)).status_code == 404


def test_the_complaint_list_shows_age_status_and_an_overdue_flag(client, community, official):
    filed = timezone.now() - timedelta(days=5)
    overdue = factories.ComplaintFactory(
        project__community=community, subject="Cold meals", filed_at=filed, response_due_at=filed + timedelta(days=3)
    )
    answered = factories.ComplaintFactory(
        project__community=community,
        status=ComplaintStatus.ANSWERED,
        response="Heated trays bought.",
        responded_at=timezone.now(),
    )
    factories.ComplaintFactory()  # another community's
    client.force_login(official)

    response = client.get(url("complaint_list", code=community.code))

    rows = {complaint.pk: complaint for complaint in response.context["complaints"]}
    assert set(rows) == {overdue.pk, answered.pk}
    assert rows[overdue.pk].is_overdue and not rows[answered.pk].is_overdue
    page = response.content.decode()
    assert "5\xa0days" in page and "Overdue" in page
    filtered = client.get(url("complaint_list", code=community.code) + "?status=answered")
    assert [complaint.pk for complaint in filtered.context["complaints"]] == [answered.pk]


def test_the_complaint_page_shows_the_thread(client, community, official):
    complaint = factories.ComplaintFactory(
        project__community=community,
        body="The meals arrived cold.",
        status=ComplaintStatus.ANSWERED,
        response="Heated trays bought.",
        responded_at=timezone.now(),
    )
    client.force_login(official)
    page = client.get(url("complaint_detail", pk=complaint.pk)).content.decode()
    assert "The meals arrived cold." in page and "Heated trays bought." in page


def test_the_complaint_list_makes_as_many_queries_for_thirty_as_for_three(client, community, official):
    client.force_login(official)
    project = factories.ProjectFactory(community=community)
    factories.ComplaintFactory.create_batch(3, project=project)
    small = queries_to_get(client, url("complaint_list", code=community.code))
    factories.ComplaintFactory.create_batch(27, project=project)
    assert queries_to_get(client, url("complaint_list", code=community.code)) == small


# --- Risks -----------------------------------------------------------------------------------


def test_residents_may_not_see_risks(client, community):
    client.force_login(resident_user_of(community))
    assert client.get(url("risk_list", code=community.code)).status_code == 403


def test_the_risk_list_shows_risks_not_closed_by_default(client, community, official):
    open_risk = factories.RiskFactory(community=community, summary="Duties with nobody responsible.")
    factories.RiskFactory(community=community, status=RiskStatus.CLOSED, closed_at=timezone.now())
    factories.RiskFactory()  # another community's
    client.force_login(official)

    response = client.get(url("risk_list", code=community.code))

    assert list(response.context["risks"]) == [open_risk]
    assert url("risk_acknowledge", pk=open_risk.pk) in response.content.decode()
    assert len(client.get(url("risk_list", code=community.code) + "?status=closed").context["risks"]) == 1


def test_the_risk_list_makes_as_many_queries_for_thirty_as_for_three(client, community, official):
    client.force_login(official)
    factories.RiskFactory.create_batch(3, community=community)
    small = queries_to_get(client, url("risk_list", code=community.code))
    factories.RiskFactory.create_batch(27, community=community)
    assert queries_to_get(client, url("risk_list", code=community.code)) == small


def test_an_official_acknowledges_a_risk(client, community, official):
    risk = factories.RiskFactory(community=community)
    client.force_login(official)

    response = client.post(url("risk_acknowledge", pk=risk.pk), follow=True)

    assert Risk.objects.get(pk=risk.pk).status == RiskStatus.ACKNOWLEDGED
    assert "Risk acknowledged." in response.content.decode()


def test_acknowledging_a_risk_twice_is_refused_with_a_message(client, community, official):
    risk = factories.RiskFactory(community=community, status=RiskStatus.ACKNOWLEDGED)
    client.force_login(official)
    response = client.post(url("risk_acknowledge", pk=risk.pk), follow=True)
    assert "Only an open risk can be acknowledged." in response.content.decode()
    assert Risk.objects.get(pk=risk.pk).status == RiskStatus.ACKNOWLEDGED


def test_acknowledging_needs_a_post(client, community, official):
    risk = factories.RiskFactory(community=community)
    client.force_login(official)
    assert client.get(url("risk_acknowledge", pk=risk.pk)).status_code == 405


def test_an_official_closes_a_risk_with_a_note(client, community, official):
    risk = factories.RiskFactory(community=community)
    client.force_login(official)
    response = client.post(url("risk_close", pk=risk.pk), {"note": "Duties reassigned at the meeting."})
    assert response.status_code == 302
    assert Risk.objects.get(pk=risk.pk).status == RiskStatus.CLOSED


def test_closing_a_risk_without_a_note_is_refused_inline_with_nothing_written(client, community, official):
    risk = factories.RiskFactory(community=community)
    client.force_login(official)
    entries = AuditEntry.objects.count()

    response = client.post(url("risk_close", pk=risk.pk), {"note": ""})

    assert response.context["form"].errors["note"] == ["Say what was found or done about the risk."]
    assert Risk.objects.get(pk=risk.pk).status == RiskStatus.OPEN
    assert AuditEntry.objects.count() == entries


def test_another_communitys_risk_may_not_be_closed(client, official):
    risk = factories.RiskFactory()
    client.force_login(official)
    assert client.post(url("risk_close", pk=risk.pk), {"note": "x"}).status_code == 404
    assert Risk.objects.get(pk=risk.pk).status == RiskStatus.OPEN


# --- Supervision reports ---------------------------------------------------------------------


@pytest.fixture
def supervision_report(community):
    return factories.SupervisionReportFactory(
        community=community,
        data={
            "breaches": {"opened": 4, "resolved": 1},
            "top_risks": [{"kind": "rent_seeking", "severity": "high", "summary": "Single applicant"}],
        },
    )


def test_supervision_reports_are_the_officials_only(client, supervision_report):
    client.force_login(resident_user_of(supervision_report.community))
    assert client.get(url("supervision_list", code=supervision_report.community.code)).status_code == 403


def test_another_communitys_supervision_report_is_not_found(client, supervision_report):
    client.force_login(official_of(factories.CommunityFactory()))
    for name in ("supervision_detail", "supervision_csv", "supervision_print"):
        assert client.get(url(name, pk=supervision_report.pk)).status_code == 404


def test_the_list_shows_the_communitys_reports(client, community, official, supervision_report):
    factories.SupervisionReportFactory()  # another community's
    client.force_login(official)
    response = client.get(url("supervision_list", code=community.code))
    assert list(response.context["supervision_reports"]) == [supervision_report]
    assert url("supervision_csv", pk=supervision_report.pk) in response.content.decode()


def test_the_list_makes_as_many_queries_for_thirty_reports_as_for_three(client, community, official):
    client.force_login(official)

    def months(first, count):
        for month in range(first, first + count):
            start = timezone.datetime(2020 + month // 12, month % 12 + 1, 1).date()
            factories.SupervisionReportFactory(community=community, period_start=start, period_end=start)

    months(0, 3)
    small = queries_to_get(client, url("supervision_list", code=community.code))
    months(3, 27)
    assert queries_to_get(client, url("supervision_list", code=community.code)) == small


def test_the_detail_page_shows_the_figures_by_section(client, official, supervision_report):
    client.force_login(official)
    response = client.get(url("supervision_detail", pk=supervision_report.pk))
    sections = dict(response.context["sections"])
    assert sections["Breaches"] == [("Opened", "4"), ("Resolved", "1")]
    assert sections["Top risks"] == [("1", "High · Rent-seeking: Single applicant")]
    assert "Single applicant" in response.content.decode()
    assert "dashboard/supervision.css" in response.content.decode()


def test_the_csv_download_holds_the_figures(client, official, supervision_report):
    client.force_login(official)
    response = client.get(url("supervision_csv", pk=supervision_report.pk))
    assert response["Content-Type"].startswith("text/csv")
    expected = f"supervision-{supervision_report.community.code}-monthly-2025-03-01.csv"
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'
    assert response.content.decode().splitlines()[:2] == ["section,figure,value", "breaches,opened,4"]


def test_the_printable_page_has_its_own_print_styles(client, official, supervision_report):
    client.force_login(official)
    page = client.get(url("supervision_print", pk=supervision_report.pk)).content.decode()
    assert "@media print" in page and "Supervision report" in page
