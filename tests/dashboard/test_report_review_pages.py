"""Officials' report pages: reports awaiting review per community, and the accept / return form."""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from audit.models import AuditEntry
from coproduction.models import ReportEvent, ReportEventKind, ReportStatus, ServiceReport
from tests import factories
from tests.pages import administrator, manager_of, official_of, queries_to_get, resident_user_of

pytestmark = pytest.mark.django_db


def list_url(community, **query):
    url = reverse("dashboard:report_list", kwargs={"code": community.code})
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def review_url(report):
    return reverse("dashboard:report_review", kwargs={"pk": report.pk})


def submitted_report(**kwargs):
    report = factories.ServiceReportFactory(**kwargs)
    factories.ReportEventFactory(report=report)
    return report


@pytest.fixture
def report():
    return submitted_report(narrative="Meals served every weekday.")


@pytest.fixture
def official(report):
    return official_of(report.project.community)


# --- Who may open the pages ------------------------------------------------------------------


def test_visitors_are_sent_to_the_login_page(client, report):
    response = client.get(review_url(report))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_residents_are_refused(client, report):
    client.force_login(resident_user_of(report.project.community))
    assert client.get(review_url(report)).status_code == 403
    assert client.get(list_url(report.project.community)).status_code == 403


def test_staff_of_the_reporting_organisation_are_refused(client, report):
    client.force_login(manager_of(report.organisation))
    assert client.get(review_url(report)).status_code == 403


def test_another_communitys_report_is_not_found(client, report):
    client.force_login(official_of(factories.CommunityFactory()))
    assert client.get(review_url(report)).status_code == 404
    assert client.get(list_url(report.project.community)).status_code == 404


# --- The list --------------------------------------------------------------------------------


def test_the_list_shows_the_reports_awaiting_review_by_default(client, report, official):
    accepted = factories.ServiceReportFactory(
        project=report.project,
        period_start=date(2025, 4, 1),
        period_end=date(2025, 4, 30),
        status=ReportStatus.ACCEPTED,
        reviewed_by=factories.UserFactory(),
        reviewed_at=report.submitted_at,
    )
    factories.ServiceReportFactory()  # another community's
    client.force_login(official)

    response = client.get(list_url(report.project.community))

    assert list(response.context["reports"]) == [report]
    assert f'href="{review_url(report)}"' in response.content.decode()
    assert list(client.get(list_url(report.project.community, status="accepted")).context["reports"]) == [accepted]
    assert len(client.get(list_url(report.project.community, status="")).context["reports"]) == 2


def test_the_list_filters_by_project(client, report, official):
    other = submitted_report(project=factories.ProjectFactory(community=report.project.community))
    client.force_login(official)
    response = client.get(list_url(report.project.community, status="", project=other.project.pk))
    assert list(response.context["reports"]) == [other]


def test_the_list_makes_as_many_queries_for_thirty_reports_as_for_three(client, report, official):
    community = report.project.community
    client.force_login(official)
    for _ in range(2):
        submitted_report(project=factories.ProjectFactory(community=community))
    small = queries_to_get(client, list_url(community))
    for _ in range(27):
        submitted_report(project=factories.ProjectFactory(community=community))
    assert len(client.get(list_url(community)).context["reports"]) == 30
    assert queries_to_get(client, list_url(community)) == small


# --- The review page -------------------------------------------------------------------------


def test_the_review_page_shows_figures_narrative_files_and_history(client, report, official):
    attachment = factories.ReportAttachmentFactory(report=report, original_name="receipts-march.pdf")
    client.force_login(official)

    page = client.get(review_url(report)).content.decode()

    assert "Meals served every weekday." in page
    assert ">120<" in page and "20,000.00" in page
    assert "receipts-march.pdf" in page
    assert reverse("dashboard:report_attachment", kwargs={"pk": report.pk, "attachment_id": attachment.pk}) in page
    assert "Submitted" in page
    assert 'name="decision"' in page


def test_the_review_page_makes_as_many_queries_with_many_files_and_events(client, report, official):
    client.force_login(official)
    small = queries_to_get(client, review_url(report))
    factories.ReportAttachmentFactory.create_batch(8, report=report)
    factories.ReportEventFactory.create_batch(8, report=report)
    assert queries_to_get(client, review_url(report)) == small


def test_an_official_accepts_a_report(client, report, official):
    client.force_login(official)

    response = client.post(review_url(report), {"decision": "accept", "comment": ""}, follow=True)

    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and report.reviewed_by == official
    assert ReportEvent.objects.filter(report=report, kind=ReportEventKind.ACCEPTED).count() == 1
    assert "Report accepted." in response.content.decode()
    assert response.redirect_chain[-1][0] == review_url(report)


def test_an_official_returns_a_report_with_a_comment(client, report, official):
    client.force_login(official)
    client.post(review_url(report), {"decision": "return", "comment": "Add the receipts for week 2."})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert report.review_comment == "Add the receipts for week 2."


def test_returning_without_a_comment_is_refused_on_the_comment_field_with_nothing_written(client, report, official):
    client.force_login(official)
    entries = AuditEntry.objects.count()

    response = client.post(review_url(report), {"decision": "return", "comment": "  "})

    assert response.status_code == 200
    assert response.context["form"].errors["comment"] == ["Say what must change before the report can be accepted."]
    assert 'aria-describedby="id_comment_helptext id_comment_error"' in response.content.decode()
    assert response.context["form"]["decision"].value() == "return"
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert ReportEvent.objects.filter(report=report).count() == 1
    assert AuditEntry.objects.count() == entries


def test_reviewing_a_report_twice_is_refused_at_the_top_of_the_form(client, report, official):
    client.force_login(official)
    client.post(review_url(report), {"decision": "accept"})

    response = client.post(review_url(report), {"decision": "return", "comment": "Too late"})

    refusal = "Only a submitted report can be reviewed; this one is accepted."
    assert response.context["form"].non_field_errors() == [refusal]
    assert ServiceReport.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED


def test_an_official_who_works_for_the_organisation_may_not_review_its_report(client, report, official):
    factories.MembershipFactory(user=official, organisation=report.organisation)
    client.force_login(official)
    assert client.post(review_url(report), {"decision": "accept"}).status_code == 403
    assert ServiceReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_an_administrator_may_review_any_report(client, report):
    client.force_login(administrator())
    client.post(review_url(report), {"decision": "accept"})
    assert ServiceReport.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED


# --- Attachments -----------------------------------------------------------------------------


@pytest.fixture
def stored_attachment(report, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    attachment = factories.ReportAttachmentFactory(report=report, original_name="../../evil name.pdf")
    attachment.file.save("stored.pdf", ContentFile(b"%PDF-1.4 receipts"), save=True)
    return attachment


def attachment_url(attachment):
    return reverse("dashboard:report_attachment", kwargs={"pk": attachment.report_id, "attachment_id": attachment.pk})


def test_an_attachment_downloads_under_a_name_the_platform_chooses(client, stored_attachment, official):
    client.force_login(official)

    response = client.get(attachment_url(stored_attachment))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 receipts"
    expected = f"report-{stored_attachment.report_id}-{stored_attachment.pk}.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_another_communitys_official_may_not_download_an_attachment(client, stored_attachment):
    client.force_login(official_of(factories.CommunityFactory()))
    assert client.get(attachment_url(stored_attachment)).status_code == 404


def test_an_attachment_of_another_report_is_not_found_under_this_one(client, stored_attachment, official):
    other = submitted_report(
        project=stored_attachment.report.project, period_start=date(2025, 5, 1), period_end=date(2025, 5, 31)
    )
    client.force_login(official)
    url = reverse("dashboard:report_attachment", kwargs={"pk": other.pk, "attachment_id": stored_attachment.pk})
    assert client.get(url).status_code == 404
