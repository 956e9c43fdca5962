"""Through the API: a future period is refused, a report is withdrawn before review, a returned period corrected."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coproduction.models import ReportEventKind, ReportStatus, ServiceReport
from coproduction.services.reports import report_review, report_submit
from partners.models import MembershipRole
from tests.coproduction.report_fixtures import march, media, provider
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def submitted(provider) -> ServiceReport:
    return report_submit(project=provider.project, organisation=provider.organisation, user=provider.staff, **march())


def test_a_period_not_yet_over_is_a_400_on_period_end_naming_the_first_day_to_file(client_for, provider):
    today = timezone.localdate()
    body = {
        "project": provider.project.pk,
        "organisation": provider.organisation.pk,
        **march(period_start=today, period_end=today),
    }

    response = client_for(provider.staff).post("/api/v1/reports/", body)

    assert response.status_code == 400
    assert response.data["code"] == "period_not_ended"
    assert (today + timedelta(days=1)).isoformat() in response.data["errors"]["period_end"][0]
    assert not ServiceReport.objects.exists()


def test_the_submitter_withdraws_a_report_before_review(client_for, provider):
    report = submitted(provider)

    response = client_for(provider.staff).post(f"/api/v1/reports/{report.pk}/withdraw/")

    assert response.status_code == 200
    assert response.data["status"] == ReportStatus.WITHDRAWN
    assert response.data["events"][-1]["kind"] == ReportEventKind.WITHDRAWN


def test_a_colleague_who_is_not_a_manager_is_refused_with_403(client_for, provider):
    report = submitted(provider)
    colleague = MembershipFactory(organisation=provider.organisation, role=MembershipRole.STAFF).user

    response = client_for(colleague).post(f"/api/v1/reports/{report.pk}/withdraw/")

    assert response.status_code == 403
    assert ServiceReport.objects.get().status == ReportStatus.SUBMITTED


def test_withdrawing_a_reviewed_report_is_a_409(client_for, provider):
    report = report_review(report=submitted(provider), user=provider.official, accept=True)

    response = client_for(provider.staff).post(f"/api/v1/reports/{report.pk}/withdraw/")

    assert response.status_code == 409 and response.data["code"] == "not_submitted"


def test_a_returned_report_s_period_is_corrected_on_resubmission(client_for, provider):
    report = report_review(report=submitted(provider), user=provider.official, accept=False, comment="Wrong month.")

    response = client_for(provider.staff).post(
        f"/api/v1/reports/{report.pk}/resubmit/", {"period_start": "2025-04-01", "period_end": "2025-04-30"}
    )

    assert response.status_code == 200
    assert (response.data["period_start"], response.data["period_end"]) == ("2025-04-01", "2025-04-30")


def test_a_withdrawn_report_is_resubmitted(client_for, provider):
    report = submitted(provider)
    client = client_for(provider.staff)
    client.post(f"/api/v1/reports/{report.pk}/withdraw/")

    response = client.post(f"/api/v1/reports/{report.pk}/resubmit/", {"people_served": "150"})

    assert response.status_code == 200
    assert (response.data["status"], response.data["revision"], response.data["people_served"]) == (
        ReportStatus.SUBMITTED,
        2,
        150,
    )
