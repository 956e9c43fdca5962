"""/supervision-reports/: the officials' stored snapshots, and the same CSV download as the admin's."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator

from accountability.models import PeriodKind, SupervisionReport
from accountability.services.supervision_reports import supervision_report_csv
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    OfficialPostFactory,
    ParticipationFactory,
    ProjectFactory,
    SupervisionReportFactory,
)

pytestmark = pytest.mark.django_db

FIGURES = {
    "duties": {"due": 4, "completed": 3, "missed": 1},
    "complaints": {"filed": 2, "answered": 2, "mean_response_hours": 20.5, "overdue": 0},
    "top_risks": [{"kind": "free_riding", "severity": "high", "status": "open", "summary": "Plots unattended"}],
}


@pytest.fixture
def report(community):
    return SupervisionReportFactory(community=community, data=FIGURES)


def ids(response) -> set[int]:
    return {row["id"] for row in response.data["results"]}


# --- Reading ---------------------------------------------------------------------------------


def test_an_official_lists_the_reports_of_their_community(client_for, official, report):
    SupervisionReportFactory()
    response = client_for(official).get("/api/v1/supervision-reports/")
    assert ids(response) == {report.pk}
    assert response.data["results"][0]["data"] == FIGURES


def test_staff_and_residents_do_not_see_supervision_reports(client_for, resident, report, community):
    participation = ParticipationFactory(project=ProjectFactory(community=community))
    staff = MembershipFactory(organisation=participation.organisation)
    for user in (resident.user, staff.user):
        assert ids(client_for(user).get("/api/v1/supervision-reports/")) == set()
        assert client_for(user).get(f"/api/v1/supervision-reports/{report.pk}/").status_code == 404


def test_another_communitys_report_is_a_404(client_for, official):
    other = SupervisionReportFactory()
    assert client_for(official).get(f"/api/v1/supervision-reports/{other.pk}/").status_code == 404


def test_an_administrator_sees_every_communitys_reports(client_for, administrator, report):
    other = SupervisionReportFactory()
    assert ids(client_for(administrator).get("/api/v1/supervision-reports/")) == {report.pk, other.pk}
    assert client_for(administrator).get(f"/api/v1/supervision-reports/{other.pk}/").status_code == 200


def test_reports_are_filtered_by_community_period_kind_and_start(client_for, official, community, report):
    SupervisionReportFactory(
        community=community, period_kind=PeriodKind.WEEKLY, period_start=date(2025, 3, 3), period_end=date(2025, 3, 9)
    )
    SupervisionReportFactory(community=community, period_start=date(2025, 2, 1), period_end=date(2025, 2, 28))
    url = (
        f"/api/v1/supervision-reports/?community={community.pk}&period_kind=monthly"
        "&period_start_after=2025-03-01&period_start_before=2025-03-31"
    )
    assert ids(client_for(official).get(url)) == {report.pk}


def test_a_street_official_sees_the_reports_of_every_community_on_the_street(client_for, report, community):
    neighbour = SupervisionReportFactory(community=CommunityFactory(street=community.street))
    street_official = OfficialPostFactory(community=None, street=community.street).user
    assert ids(client_for(street_official).get("/api/v1/supervision-reports/")) == {report.pk, neighbour.pk}


# --- The CSV download ------------------------------------------------------------------------


def test_an_official_downloads_the_report_as_the_admins_csv(client_for, official, report, community):
    response = client_for(official).get(f"/api/v1/supervision-reports/{report.pk}/csv/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="supervision-{community.code}-monthly-2025-03-01.csv"'
    )
    # As stored: PostgreSQL's jsonb keeps the figures in its own key order.
    assert response.content.decode() == supervision_report_csv(SupervisionReport.objects.get(pk=report.pk))
    assert "duties,due,4" in response.content.decode()


def test_another_communitys_csv_is_a_404_in_the_error_shape(client_for, official):
    response = client_for(official).get(f"/api/v1/supervision-reports/{SupervisionReportFactory().pk}/csv/")
    assert response.status_code == 404
    assert response.json() == {"message": "Not found.", "code": "not_found", "errors": {}}


def test_a_resident_cannot_download_a_report(client_for, resident, report):
    assert client_for(resident.user).get(f"/api/v1/supervision-reports/{report.pk}/csv/").status_code == 404


def test_an_anonymous_download_is_a_401(client_for, report):
    assert client_for().get(f"/api/v1/supervision-reports/{report.pk}/csv/").status_code == 401


def test_the_csv_download_is_documented_as_text_csv():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    responses = schema["paths"]["/api/v1/supervision-reports/{id}/csv/"]["get"]["responses"]
    assert list(responses["200"]["content"]) == ["text/csv"]
    assert "404" in responses


# --- Query counts ----------------------------------------------------------------------------


def test_the_list_keeps_its_query_count_from_5_to_50_rows(client_for, official, community, django_assert_num_queries):
    client = client_for(official)

    def monthly_reports(first_month: int, count: int) -> None:
        for month in range(first_month, first_month + count):
            year, index = divmod(month, 12)
            start = date(2020 + year, index + 1, 1)
            SupervisionReportFactory(community=community, period_start=start, period_end=start)

    monthly_reports(0, 5)
    with CaptureQueriesContext(connection) as at_five:
        assert client.get("/api/v1/supervision-reports/").status_code == 200
    monthly_reports(5, 45)
    with django_assert_num_queries(len(at_five)):
        response = client.get("/api/v1/supervision-reports/")
    assert response.data["count"] == 50
