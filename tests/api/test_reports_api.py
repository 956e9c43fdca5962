"""Service reports through the API: who reads them, submission with files, review, resubmission, downloads."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditAction, AuditEntry
from coproduction.models import ReportAttachment, ReportEvent, ReportEventKind, ReportStatus, ServiceReport
from coproduction.services.reports import report_review, report_submit
from tests.coproduction.report_fixtures import (
    exe_named_pdf,
    march,
    media,
    pdf,
    png,
    provider,
    sized,
    stored_files,
)
from tests.factories import (
    MembershipFactory,
    OfficialPostFactory,
    ParticipationFactory,
    ProjectFactory,
    ReportAttachmentFactory,
    ReportEventFactory,
    ResidentFactory,
    ServiceReportFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def ids(response) -> set[int]:
    return {row["id"] for row in response.data["results"]}


def submitted(provider, **changes) -> ServiceReport:
    """A March report submitted through the domain, with one PDF attached."""
    figures = {"attachments": [pdf()], **march(**changes)}
    return report_submit(project=provider.project, organisation=provider.organisation, user=provider.staff, **figures)


def returned(provider) -> ServiceReport:
    report = submitted(provider)
    return report_review(report=report, user=provider.official, accept=False, comment="Receipts are missing.")


def form(provider, **changes) -> dict:
    """The multipart body of a March report by the provider."""
    return {"project": provider.project.pk, "organisation": provider.organisation.pk, **march(**changes)}


def nothing_written(media) -> bool:
    return not (
        ServiceReport.objects.exists()
        or ReportEvent.objects.exists()
        or ReportAttachment.objects.exists()
        or AuditEntry.objects.exists()
        or stored_files(media)
    )


def stranger_official():
    """An official of a community that has nothing to do with the provider's project."""
    return OfficialPostFactory().user


# --- Reading ---------------------------------------------------------------------------------


def test_an_official_lists_the_reports_of_their_community_with_files_and_history(client_for, provider):
    report = submitted(provider)
    response = client_for(provider.official).get("/api/v1/reports/")
    assert response.status_code == 200
    assert ids(response) == {report.pk}
    row = response.data["results"][0]
    attachment = report.attachments.get()
    assert row["community"] == provider.project.community_id
    assert row["attachments"][0]["download_url"] == (
        f"http://testserver/api/v1/reports/{report.pk}/attachments/{attachment.pk}/"
    )
    assert [event["kind"] for event in row["events"]] == [ReportEventKind.SUBMITTED]


def test_no_attachment_is_exposed_by_its_stored_path(client_for, provider):
    submitted(provider)
    row = client_for(provider.official).get("/api/v1/reports/").data["results"][0]
    assert "media" not in str(row["attachments"]) and "file" not in row["attachments"][0]


def test_the_providers_staff_read_their_report(client_for, provider):
    report = submitted(provider)
    response = client_for(provider.staff).get(f"/api/v1/reports/{report.pk}/")
    assert response.status_code == 200
    assert response.data["organisation_name"] == provider.organisation.name
    assert response.data["submitted_by_name"] == str(provider.staff)
    assert response.data["reviewed_by_name"] is None


def test_an_administrator_sees_every_report(client_for, administrator):
    reports = ServiceReportFactory.create_batch(2)
    assert ids(client_for(administrator).get("/api/v1/reports/")) == {report.pk for report in reports}


def test_another_communitys_report_is_absent_from_the_list_and_a_404(client_for, provider):
    report = ServiceReportFactory(project=provider.project, organisation=provider.organisation)
    client = client_for(stranger_official())
    assert client.get("/api/v1/reports/").data["count"] == 0
    response = client.get(f"/api/v1/reports/{report.pk}/")
    assert response.status_code == 404
    assert response.data == {"message": "Not found.", "code": "not_found", "errors": {}}


def test_staff_of_an_organisation_outside_the_project_see_no_report(client_for, provider):
    report = ServiceReportFactory(project=provider.project, organisation=provider.organisation)
    outsider = MembershipFactory().user
    assert client_for(outsider).get("/api/v1/reports/").data["count"] == 0
    assert client_for(outsider).get(f"/api/v1/reports/{report.pk}/").status_code == 404


def test_residents_see_no_reports_even_of_their_own_community(client_for, resident, community):
    report = ServiceReportFactory(project=ProjectFactory(community=community))
    assert client_for(resident.user).get("/api/v1/reports/").data["count"] == 0
    assert client_for(resident.user).get(f"/api/v1/reports/{report.pk}/").status_code == 404


def test_reports_are_filtered_by_status_organisation_and_period(client_for, provider):
    wanted = ServiceReportFactory(project=provider.project, organisation=provider.organisation)
    ServiceReportFactory(
        project=provider.project,
        organisation=provider.organisation,
        period_start=date(2025, 4, 1),
        period_end=date(2025, 4, 30),
    )
    ServiceReportFactory(project=provider.project, period_start=date(2025, 3, 1))
    ServiceReportFactory(
        project=provider.project,
        organisation=provider.organisation,
        status=ReportStatus.ACCEPTED,
        reviewed_by=provider.official,
        reviewed_at=wanted.submitted_at,
        period_start=date(2025, 2, 1),
        period_end=date(2025, 2, 28),
    )
    url = (
        f"/api/v1/reports/?status=submitted&organisation={provider.organisation.pk}"
        "&period_start_after=2025-03-01&period_start_before=2025-03-31"
    )
    assert ids(client_for(provider.official).get(url)) == {wanted.pk}


def test_reports_are_filtered_by_community_and_project(client_for, provider):
    wanted = ServiceReportFactory(project=provider.project)
    ServiceReportFactory(project=ProjectFactory(community=provider.project.community))
    url = f"/api/v1/reports/?community={provider.project.community_id}&project={provider.project.pk}"
    assert ids(client_for(provider.official).get(url)) == {wanted.pk}


def test_reports_are_searched_by_narrative(client_for, provider):
    wanted = ServiceReportFactory(project=provider.project, narrative="Hot lunches for 120 elderly residents.")
    ServiceReportFactory(
        project=provider.project, narrative="Plots weeded.", period_start=date(2025, 4, 1), period_end=date(2025, 4, 30)
    )
    assert ids(client_for(provider.official).get("/api/v1/reports/?search=lunches")) == {wanted.pk}


def test_an_invalid_status_filter_is_a_400_naming_the_field(client_for, provider):
    response = client_for(provider.official).get("/api/v1/reports/?status=lost")
    assert response.status_code == 400
    assert "status" in response.data["errors"]


def test_an_anonymous_caller_is_refused_with_401(client_for):
    assert client_for().get("/api/v1/reports/").status_code == 401


def report_with_history(project):
    """A report (by an organisation of its own) with two files and two events."""
    report = ServiceReportFactory(project=project)
    ReportAttachmentFactory.create_batch(2, report=report)
    ReportEventFactory.create_batch(2, report=report)
    return report


@pytest.mark.parametrize("role", ["official", "administrator"])
def test_the_list_keeps_its_query_count_from_5_to_50_reports(
    role, client_for, provider, administrator, django_assert_num_queries
):
    client = client_for(provider.official if role == "official" else administrator)
    for _ in range(5):
        report_with_history(provider.project)
    with CaptureQueriesContext(connection) as at_five:
        assert client.get("/api/v1/reports/").status_code == 200
    for _ in range(45):
        report_with_history(provider.project)
    with django_assert_num_queries(len(at_five)):
        response = client.get("/api/v1/reports/")
    assert response.data["count"] == 50
    assert all(len(row["attachments"]) == 2 and len(row["events"]) == 2 for row in response.data["results"])


# --- Submitting ------------------------------------------------------------------------------


def test_staff_submit_a_report_with_files_as_multipart(client_for, provider, media):
    response = client_for(provider.staff).post("/api/v1/reports/", {**form(provider), "attachments": [pdf(), png()]})
    assert response.status_code == 201
    report = ServiceReport.objects.get()
    assert response.data["id"] == report.pk and response.data["status"] == ReportStatus.SUBMITTED
    assert (report.organisation, report.cost, report.submitted_by) == (
        provider.organisation,
        Decimal("20000.00"),
        provider.staff,
    )
    assert sorted(report.attachments.values_list("content_type", flat=True)) == ["application/pdf", "image/png"]
    assert [row["content_type"] for row in response.data["attachments"]] == ["application/pdf", "image/png"]
    assert report.events.get().kind == ReportEventKind.SUBMITTED
    assert len(stored_files(media)) == 2


def test_the_answer_to_a_submission_is_the_report_as_read_back(client_for, provider, media):
    client = client_for(provider.staff)
    response = client.post("/api/v1/reports/", {**form(provider), "attachments": [pdf()]})
    assert response.status_code == 201
    assert response.data == client.get(f"/api/v1/reports/{response.data['id']}/").data


def test_the_answer_to_a_resubmission_shows_the_new_revision_and_all_files(client_for, provider, media):
    report = returned(provider)
    client = client_for(provider.staff)
    response = client.post(f"/api/v1/reports/{report.pk}/resubmit/", {"cost": "18000.00", "attachments": [png()]})
    assert response.status_code == 200
    assert [event["kind"] for event in response.data["events"]][-1] == ReportEventKind.RESUBMITTED
    assert response.data == client.get(f"/api/v1/reports/{report.pk}/").data


def test_a_submitted_report_is_audited_with_the_caller_as_actor(client_for, provider):
    response = client_for(provider.staff).post("/api/v1/reports/", form(provider))
    entry = AuditEntry.objects.get(object_id=str(response.data["id"]), content_type__model="servicereport")
    assert (entry.action, entry.actor) == (AuditAction.CREATE, provider.staff)


def test_a_report_without_files_is_accepted(client_for, provider):
    response = client_for(provider.staff).post("/api/v1/reports/", form(provider))
    assert response.status_code == 201
    assert response.data["attachments"] == []
    assert ServiceReport.objects.count() == 1


def test_a_file_whose_bytes_are_not_an_accepted_type_is_a_400_and_nothing_is_written(client_for, provider, media):
    response = client_for(provider.staff).post("/api/v1/reports/", {**form(provider), "attachments": [exe_named_pdf()]})
    assert response.status_code == 400
    assert response.data["code"] == "file_type"
    assert list(response.data["errors"]) == ["attachments"]
    assert nothing_written(media)


def test_a_file_over_the_size_limit_is_a_400_and_nothing_is_written(client_for, provider, media, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    response = client_for(provider.staff).post("/api/v1/reports/", {**form(provider), "attachments": [sized(1025)]})
    assert response.status_code == 400
    assert response.data["code"] == "file_too_large"
    assert nothing_written(media)


def test_bad_figures_are_a_400_listing_every_field_and_nothing_is_written(client_for, provider, media):
    body = form(provider, cost="-5", narrative="  ", period_end=date(2025, 2, 1))
    response = client_for(provider.staff).post("/api/v1/reports/", {**body, "attachments": [pdf()]})
    assert response.status_code == 400
    assert {"cost", "narrative", "period_end"} <= set(response.data["errors"])
    assert nothing_written(media)


def test_a_figure_that_is_not_a_number_is_a_400_from_the_input_check(client_for, provider, media):
    response = client_for(provider.staff).post("/api/v1/reports/", form(provider, people_served="many"))
    assert response.status_code == 400
    assert response.data["errors"] == {"people_served": ["A valid integer is required."]}
    assert nothing_written(media)


def test_a_missing_field_is_a_400_naming_it(client_for, provider, media):
    body = form(provider)
    del body["period_start"]
    response = client_for(provider.staff).post("/api/v1/reports/", body)
    assert response.status_code == 400
    assert response.data["errors"] == {"period_start": ["This field is required."]}
    assert nothing_written(media)


def test_a_json_body_is_refused_as_unsupported(client_for, provider, media):
    response = client_for(provider.staff).post("/api/v1/reports/", form(provider), format="json")
    assert response.status_code == 415
    assert response.data["code"] == "unsupported_media_type"
    assert nothing_written(media)


def test_an_official_may_not_submit_a_providers_report(client_for, provider, media):
    response = client_for(provider.official).post("/api/v1/reports/", form(provider))
    assert response.status_code == 403
    assert response.data["message"] == "Only the staff of this organisation may report for it."
    assert nothing_written(media)


def test_a_project_the_caller_cannot_see_reads_as_one_that_does_not_exist(client_for, provider, media):
    elsewhere = ProjectFactory()
    client = client_for(provider.staff)
    hidden = client.post("/api/v1/reports/", {**form(provider), "project": elsewhere.pk})
    missing = client.post("/api/v1/reports/", {**form(provider), "project": elsewhere.pk + 1000})
    assert hidden.status_code == missing.status_code == 404
    assert hidden.data == missing.data == {"message": "Not found.", "code": "not_found", "errors": {}}
    assert nothing_written(media)
    assert nothing_written(media)


def test_a_second_report_on_the_same_period_is_a_409(client_for, provider):
    client = client_for(provider.staff)
    client.post("/api/v1/reports/", form(provider))
    response = client.post("/api/v1/reports/", form(provider, narrative="Again."))
    assert response.status_code == 409
    assert response.data["code"] == "duplicate_period"
    assert "period_start" in response.data["errors"]
    assert ServiceReport.objects.count() == 1


# --- Reviewing -------------------------------------------------------------------------------


def test_an_official_accepts_a_submitted_report(client_for, provider):
    report = submitted(provider)
    response = client_for(provider.official).post(
        f"/api/v1/reports/{report.pk}/review/", {"accept": True}, format="json"
    )
    assert response.status_code == 200
    assert response.data["status"] == ReportStatus.ACCEPTED
    report.refresh_from_db()
    assert (report.status, report.reviewed_by) == (ReportStatus.ACCEPTED, provider.official)
    assert report.events.filter(kind=ReportEventKind.ACCEPTED).exists()
    assert AuditEntry.objects.filter(
        object_id=str(report.pk), action=AuditAction.TRANSITION, actor=provider.official
    ).exists()


def test_an_official_returns_a_report_with_a_comment(client_for, provider):
    report = submitted(provider)
    body = {"accept": False, "comment": "Receipts are missing."}
    response = client_for(provider.official).post(f"/api/v1/reports/{report.pk}/review/", body, format="json")
    assert response.status_code == 200
    assert [event["kind"] for event in response.data["events"]] == [ReportEventKind.SUBMITTED, ReportEventKind.RETURNED]
    assert ServiceReport.objects.get(pk=report.pk).review_comment == "Receipts are missing."


def test_returning_a_report_without_a_comment_is_a_400_on_the_comment(client_for, provider):
    report = submitted(provider)
    response = client_for(provider.official).post(
        f"/api/v1/reports/{report.pk}/review/", {"accept": False}, format="json"
    )
    assert response.status_code == 400
    assert response.data["code"] == "comment_required"
    assert list(response.data["errors"]) == ["comment"]
    assert ServiceReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    assert report.events.count() == 1


def test_a_review_without_a_decision_is_a_400_on_accept(client_for, provider):
    report = submitted(provider)
    response = client_for(provider.official).post(f"/api/v1/reports/{report.pk}/review/", {}, format="json")
    assert response.status_code == 400
    assert response.data["errors"] == {"accept": ["This field is required."]}
    assert ServiceReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_reviewing_a_report_already_reviewed_is_a_409_conflict(client_for, provider):
    report = returned(provider)
    response = client_for(provider.official).post(
        f"/api/v1/reports/{report.pk}/review/", {"accept": True}, format="json"
    )
    assert response.status_code == 409
    assert response.data["code"] == "not_submitted"
    assert ServiceReport.objects.get(pk=report.pk).status == ReportStatus.RETURNED


def test_the_providers_staff_may_not_review_their_own_report(client_for, provider):
    report = submitted(provider)
    response = client_for(provider.staff).post(f"/api/v1/reports/{report.pk}/review/", {"accept": True}, format="json")
    assert response.status_code == 403
    assert ServiceReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_an_official_of_another_community_gets_404_for_the_review(client_for, provider):
    report = submitted(provider)
    response = client_for(stranger_official()).post(
        f"/api/v1/reports/{report.pk}/review/", {"accept": True}, format="json"
    )
    assert response.status_code == 404
    assert ServiceReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


# --- Resubmitting ----------------------------------------------------------------------------


def test_staff_resubmit_a_returned_report_with_corrections_and_a_file(client_for, provider, media):
    report = returned(provider)
    response = client_for(provider.staff).post(
        f"/api/v1/reports/{report.pk}/resubmit/", {"cost": "18000.00", "attachments": [png()]}
    )
    assert response.status_code == 200
    assert (response.data["status"], response.data["revision"]) == (ReportStatus.SUBMITTED, 2)
    report.refresh_from_db()
    assert (report.cost, report.people_served) == (Decimal("18000.00"), 120)
    assert report.attachments.count() == 2 and len(stored_files(media)) == 2
    assert report.events.order_by("id").last().kind == ReportEventKind.RESUBMITTED
    assert AuditEntry.objects.filter(
        object_id=str(report.pk), action=AuditAction.TRANSITION, actor=provider.staff
    ).exists()


def test_resubmitting_a_report_that_was_not_returned_is_a_400(client_for, provider):
    report = submitted(provider)
    response = client_for(provider.staff).post(f"/api/v1/reports/{report.pk}/resubmit/", {"cost": "1.00"})
    assert response.status_code == 400
    assert response.data["code"] == "not_returned"
    assert ServiceReport.objects.get(pk=report.pk).cost == Decimal("20000.00")


def test_a_resubmission_with_a_bad_figure_is_a_400_and_changes_nothing(client_for, provider, media):
    report = returned(provider)
    response = client_for(provider.staff).post(
        f"/api/v1/reports/{report.pk}/resubmit/", {"income": "lots", "attachments": [png()]}
    )
    assert response.status_code == 400
    assert list(response.data["errors"]) == ["income"]
    report.refresh_from_db()
    assert (report.status, report.revision, report.attachments.count()) == (ReportStatus.RETURNED, 1, 1)
    assert len(stored_files(media)) == 1


def test_an_official_may_not_resubmit_a_providers_report(client_for, provider):
    report = returned(provider)
    response = client_for(provider.official).post(f"/api/v1/reports/{report.pk}/resubmit/", {"cost": "1.00"})
    assert response.status_code == 403
    assert ServiceReport.objects.get(pk=report.pk).status == ReportStatus.RETURNED


def test_staff_of_another_organisation_get_404_for_the_resubmission(client_for, provider):
    report = returned(provider)
    outsider = MembershipFactory().user
    response = client_for(outsider).post(f"/api/v1/reports/{report.pk}/resubmit/", {"cost": "1.00"})
    assert response.status_code == 404
    assert ServiceReport.objects.get(pk=report.pk).revision == 1


# --- Downloading files -----------------------------------------------------------------------


def download(client, attachment: ReportAttachment, **headers):
    return client.get(f"/api/v1/reports/{attachment.report_id}/attachments/{attachment.pk}/", **headers)


def test_staff_download_an_attachment_under_a_name_the_platform_gives_it(client_for, provider):
    attachment = submitted(provider).attachments.get()
    response = download(client_for(provider.staff), attachment)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="report-{attachment.report_id}-{attachment.pk}.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_clients_file_name_never_reaches_the_download(client_for, provider):
    report = report_submit(
        project=provider.project,
        organisation=provider.organisation,
        user=provider.staff,
        attachments=[png(name='"evil".html')],
        **march(),
    )
    attachment = report.attachments.get()
    response = download(client_for(provider.official), attachment)
    assert response["Content-Disposition"] == f'attachment; filename="report-{report.pk}-{attachment.pk}.png"'
    assert response["Content-Type"] == "image/png"


def test_a_download_answers_a_client_that_asks_for_the_files_type(client_for, provider):
    attachment = submitted(provider).attachments.get()
    response = download(client_for(provider.staff), attachment, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200


def test_a_resident_gets_404_for_an_attachment(client_for, provider):
    attachment = submitted(provider).attachments.get()
    resident = ResidentFactory(community=provider.project.community, user=UserFactory())
    response = download(client_for(resident.user), attachment)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_an_official_of_another_community_gets_404_for_an_attachment(client_for, provider):
    attachment = submitted(provider).attachments.get()
    assert download(client_for(stranger_official()), attachment).status_code == 404


def test_an_attachment_of_another_report_is_a_404_under_this_report(client_for, provider):
    report = submitted(provider)
    other = ParticipationFactory(project=provider.project)
    foreign = ReportAttachmentFactory(
        report=ServiceReportFactory(project=provider.project, organisation=other.organisation)
    )
    response = client_for(provider.official).get(f"/api/v1/reports/{report.pk}/attachments/{foreign.pk}/")
    assert response.status_code == 404


def test_an_attachment_whose_file_is_gone_is_a_404(client_for, provider):
    attachment = ReportAttachmentFactory(report=ServiceReportFactory(project=provider.project))
    assert download(client_for(provider.official), attachment).status_code == 404
