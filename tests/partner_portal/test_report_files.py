"""A report's files in the portal: linked from the report, served under the name the platform gives them."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tests import factories
from tests.pages import official_of, staff_of

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 receipts"


@pytest.fixture
def attachment(provider):
    report = factories.ServiceReportFactory(project=provider.project, organisation=provider.organisation)
    attachment = factories.ReportAttachmentFactory(report=report, original_name="../../evil name.pdf")
    attachment.file.save("stored.pdf", ContentFile(PDF), save=True)
    return attachment


def file_url(attachment, report=None):
    report_id = report.pk if report else attachment.report_id
    return reverse("partner_portal:report_attachment", kwargs={"pk": report_id, "attachment_id": attachment.pk})


def test_the_report_page_links_each_file(client, staff, attachment):
    client.force_login(staff)
    html = client.get(reverse("partner_portal:report", args=[attachment.report_id])).content.decode()
    assert f'href="{file_url(attachment)}"' in html
    assert "evil name.pdf" in html


def test_staff_download_a_file_of_their_report_under_a_fixed_name(client, staff, attachment):
    client.force_login(staff)

    response = client.get(file_url(attachment))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    expected = f"report-{attachment.report_id}-{attachment.pk}.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_staff_of_an_organisation_outside_the_project_get_not_found(client, attachment):
    client.force_login(staff_of(factories.OrganisationFactory()))
    assert client.get(file_url(attachment)).status_code == 404


def test_a_file_is_not_found_under_another_report(client, provider, staff, attachment):
    other = factories.ServiceReportFactory(
        project=provider.project, organisation=provider.organisation, period_start=attachment.report.period_end
    )
    client.force_login(staff)
    assert client.get(file_url(attachment, report=other)).status_code == 404


def test_a_file_missing_from_storage_is_not_found(client, staff, attachment):
    attachment.file.storage.delete(attachment.file.name)
    client.force_login(staff)
    assert client.get(file_url(attachment)).status_code == 404


def test_visitors_are_sent_to_the_login_page(client, attachment):
    response = client.get(file_url(attachment))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_officials_who_are_not_staff_are_refused(client, attachment):
    client.force_login(official_of(attachment.report.project.community))
    assert client.get(file_url(attachment)).status_code == 403
