"""In the portal: a future period is refused, a report is withdrawn before review, a returned one's period corrected."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coproduction.models import ReportEventKind, ReportStatus, ServiceReport
from tests import factories
from tests.pages import manager_of, staff_of
from tests.partner_portal.making import returned_report

pytestmark = pytest.mark.django_db

FIGURES = {
    "people_served": "120",
    "service_units": "900",
    "cost": "20000.00",
    "income": "9000.00",
    "subsidy": "10000.00",
    "narrative": "Meals served every weekday.",
}


def report_url(report):
    return reverse("partner_portal:report", args=[report.pk])


def withdraw_url(report):
    return reverse("partner_portal:report_withdraw", args=[report.pk])


def test_a_report_on_a_period_not_yet_over_is_refused_on_the_period_naming_the_first_day_to_file(
    client, provider, staff
):
    today = timezone.localdate()
    client.force_login(staff)

    response = client.post(
        reverse("partner_portal:report_new", args=[provider.project_id]),
        {
            **FIGURES,
            "organisation": provider.organisation_id,
            "period_start": today.replace(day=1).isoformat(),
            "period_end": (today + timedelta(days=2)).isoformat(),
        },
    )

    assert response.status_code == 200
    [message] = response.context["form"].errors["period_end"]
    assert "has not ended yet" in message and (today + timedelta(days=3)).isoformat() in message
    assert response.context["form"]["narrative"].value() == "Meals served every weekday."
    assert not ServiceReport.objects.exists()


def test_the_submitter_sees_the_withdraw_button_and_withdraws(client, provider, staff):
    report = factories.ServiceReportFactory(
        project=provider.project, organisation=provider.organisation, submitted_by=staff
    )
    client.force_login(staff)
    assert withdraw_url(report) in client.get(report_url(report)).content.decode()

    response = client.post(withdraw_url(report), follow=True)

    report.refresh_from_db()
    assert report.status == ReportStatus.WITHDRAWN
    assert report.events.filter(kind=ReportEventKind.WITHDRAWN).exists()
    html = response.content.decode()
    assert "Report withdrawn" in html and "Correct and resubmit" in html


def test_a_colleague_who_did_not_submit_sees_no_withdraw_button_and_is_refused(client, provider):
    report = factories.ServiceReportFactory(project=provider.project, organisation=provider.organisation)
    colleague = staff_of(provider.organisation)
    client.force_login(colleague)

    assert withdraw_url(report) not in client.get(report_url(report)).content.decode()
    assert client.post(withdraw_url(report)).status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_a_manager_withdraws_a_colleague_s_report(client, provider):
    report = factories.ServiceReportFactory(project=provider.project, organisation=provider.organisation)
    client.force_login(manager_of(provider.organisation))

    client.post(withdraw_url(report))

    report.refresh_from_db()
    assert report.status == ReportStatus.WITHDRAWN


def test_withdrawing_a_report_reviewed_meanwhile_says_why(client, provider, staff):
    report = returned_report(project=provider.project, organisation=provider.organisation, submitted_by=staff)
    client.force_login(staff)

    response = client.post(withdraw_url(report), follow=True)

    assert "Only a report awaiting review can be withdrawn" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED


def test_a_withdrawn_report_is_edited_and_submitted_again(client, provider, staff):
    report = factories.ServiceReportFactory(
        project=provider.project, organisation=provider.organisation, submitted_by=staff, status=ReportStatus.WITHDRAWN
    )
    client.force_login(staff)

    response = client.post(
        report_url(report),
        {
            **FIGURES,
            "people_served": "150",
            "period_start": report.period_start.isoformat(),
            "period_end": report.period_end.isoformat(),
        },
    )

    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.people_served, report.revision) == (ReportStatus.SUBMITTED, 150, 2)


def test_a_returned_report_s_period_is_corrected(client, provider, staff):
    report = returned_report(project=provider.project, organisation=provider.organisation)
    client.force_login(staff)
    html = client.get(report_url(report)).content.decode()
    assert 'id="id_period_start"' in html and 'id="id_period_end"' in html

    response = client.post(report_url(report), {**FIGURES, "period_start": "2025-04-01", "period_end": "2025-04-30"})

    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.period_start.isoformat(), report.period_end.isoformat()) == ("2025-04-01", "2025-04-30")
    assert report.status == ReportStatus.SUBMITTED


def test_a_corrected_period_overlapping_another_report_is_refused_and_the_input_kept(client, provider, staff):
    factories.ServiceReportFactory(
        project=provider.project,
        organisation=provider.organisation,
        period_start=date(2025, 4, 1),
        period_end=date(2025, 4, 30),
    )
    report = returned_report(project=provider.project, organisation=provider.organisation)
    client.force_login(staff)

    response = client.post(report_url(report), {**FIGURES, "period_start": "2025-04-15", "period_end": "2025-05-14"})

    assert response.status_code == 200
    assert "overlaps the report for 2025-04-01 to 2025-04-30" in response.context["form"].errors["period_start"][0]
    assert response.context["form"]["period_start"].value() == "2025-04-15"
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
