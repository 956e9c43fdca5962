"""Service reports in the portal: a project's list, submitting with attachments, fixing a returned report."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coproduction.models import ReportAttachment, ReportStatus, ServiceReport
from tests import factories
from tests.pages import official_of, queries_to_get, staff_of
from tests.partner_portal.making import returned_report

pytestmark = pytest.mark.django_db

VALID = {
    "period_start": "2025-03-01",
    "period_end": "2025-03-31",
    "people_served": "120",
    "service_units": "900",
    "cost": "20000.00",
    "income": "9000.00",
    "subsidy": "10000.00",
    "narrative": "Meals served every weekday.",
}


def pdf(name="receipts.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", content_type="application/pdf")


def new_url(project):
    return reverse("partner_portal:report_new", args=[project.pk])


def post_report(client, provider, **changes):
    data = {**VALID, "organisation": provider.organisation_id, **changes}
    return client.post(new_url(provider.project), data)


def test_the_project_page_lists_the_organisations_reports_with_status_and_period(client, provider, staff):
    report = factories.ServiceReportFactory(project=provider.project, organisation=provider.organisation)
    client.force_login(staff)

    response = client.get(reverse("partner_portal:project_reports", args=[provider.project_id]))

    assert response.status_code == 200
    assert list(response.context["reports"]) == [report]
    html = response.content.decode()
    assert reverse("partner_portal:report", args=[report.pk]) in html
    assert "Submitted" in html and new_url(provider.project) in html


def test_a_project_the_user_does_not_take_part_in_is_not_found(client, provider):
    client.force_login(staff_of(factories.OrganisationFactory()))
    assert client.get(reverse("partner_portal:project_reports", args=[provider.project_id])).status_code == 404


def test_the_report_form_labels_every_field_and_asks_to_re_choose_files(client, provider, staff):
    client.force_login(staff)
    html = client.get(new_url(provider.project)).content.decode()
    for name in ("period_start", "period_end", "people_served", "cost", "narrative", "attachments"):
        assert f'for="id_{name}"' in html
    assert 'enctype="multipart/form-data"' in html and "choose the files again" in html


def test_staff_submit_a_report_with_an_attachment(client, provider, staff):
    client.force_login(staff)

    response = post_report(client, provider, attachments=[pdf()])

    report = ServiceReport.objects.get()
    assert response.status_code == 302 and response.url == reverse("partner_portal:report", args=[report.pk])
    assert report.organisation == provider.organisation and report.submitted_by == staff
    assert str(report.cost) == "20000.00" and report.status == ReportStatus.SUBMITTED
    assert ReportAttachment.objects.get(report=report).original_name == "receipts.pdf"


def test_a_negative_cost_is_refused_next_to_the_cost_and_every_value_is_kept(client, provider, staff):
    client.force_login(staff)

    response = post_report(client, provider, cost="-5")

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["cost"] == ["Enter zero or more: a report's figures cannot be negative."]
    html = response.content.decode()
    assert 'value="-5"' in html and 'value="9000.00"' in html and "Meals served every weekday." in html
    assert 'aria-invalid="true"' in html
    assert not ServiceReport.objects.exists()


def test_a_period_outside_the_project_is_refused_on_the_period_fields(client, provider, staff):
    client.force_login(staff)

    response = post_report(client, provider, period_start="2024-12-01", period_end="2028-01-31")

    errors = response.context["form"].errors
    assert "starts before the project" in errors["period_start"][0]
    assert "ends after the project" in errors["period_end"][0]
    assert not ServiceReport.objects.exists()


def test_a_second_report_on_the_same_period_is_refused(client, provider, staff):
    factories.ServiceReportFactory(project=provider.project, organisation=provider.organisation)
    client.force_login(staff)

    response = post_report(client, provider)

    assert "already reported on the period" in response.context["form"].errors["period_start"][0]
    assert ServiceReport.objects.count() == 1


def test_a_file_of_the_wrong_type_is_refused_on_the_attachments_field_and_nothing_is_stored(client, provider, staff):
    client.force_login(staff)
    program = SimpleUploadedFile("receipts.pdf", b"MZ\x90\x00not a pdf", content_type="application/pdf")

    response = post_report(client, provider, attachments=[program])

    assert "not a file of an accepted type" in response.context["form"].errors["attachments"][0]
    assert not ServiceReport.objects.exists() and not ReportAttachment.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, provider, staff, settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    client.force_login(staff)

    response = post_report(client, provider, attachments=[pdf()])

    assert "larger than the limit" in response.context["form"].errors["attachments"][0]
    assert not ServiceReport.objects.exists()


def test_staff_of_an_organisation_outside_the_project_may_not_open_the_form(client, provider):
    client.force_login(staff_of(factories.OrganisationFactory()))
    assert client.get(new_url(provider.project)).status_code == 404


def test_a_co_funder_is_refused_by_the_domain_on_the_organisation_field(client, provider):
    funder = factories.ParticipationFactory(project=provider.project, role="co_funder")
    client.force_login(staff_of(funder.organisation))

    response = client.post(new_url(provider.project), {**VALID, "organisation": funder.organisation_id})

    assert response.context["form"].errors["organisation"] == [
        "Only a provider or the lead of this project may report on it."
    ]
    assert not ServiceReport.objects.exists()


def test_a_returned_report_shows_the_comment_and_a_prefilled_form(client, provider, staff):
    report = returned_report(project=provider.project, organisation=provider.organisation)
    client.force_login(staff)

    response = client.get(reverse("partner_portal:report", args=[report.pk]))

    html = response.content.decode()
    assert "Add the receipts." in html and 'value="20000.00"' in html
    assert response.context["form"] is not None


def test_staff_resubmit_a_returned_report_with_corrected_figures(client, provider, staff):
    report = returned_report(project=provider.project, organisation=provider.organisation)
    client.force_login(staff)
    data = {**VALID, "cost": "18000.00"}

    response = client.post(reverse("partner_portal:report", args=[report.pk]), {**data, "attachments": [pdf()]})

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.revision == 2 and str(report.cost) == "18000.00"
    assert report.attachments.count() == 1


def test_a_refused_resubmission_keeps_the_input_and_changes_nothing(client, provider, staff):
    report = returned_report(project=provider.project, organisation=provider.organisation)
    client.force_login(staff)

    response = client.post(reverse("partner_portal:report", args=[report.pk]), {**VALID, "subsidy": "-1"})

    assert response.context["form"].errors["subsidy"] == ["Enter zero or more: a report's figures cannot be negative."]
    assert 'value="-1"' in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.revision == 1


def test_a_report_that_is_not_returned_cannot_be_resubmitted(client, provider, staff):
    report = factories.ServiceReportFactory(project=provider.project, organisation=provider.organisation)
    client.force_login(staff)
    response = client.post(reverse("partner_portal:report", args=[report.pk]), VALID)
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.revision == 1


def test_another_organisations_report_is_not_found(client, provider):
    report = factories.ServiceReportFactory(project=provider.project, organisation=provider.organisation)
    client.force_login(staff_of(factories.OrganisationFactory()))
    assert client.get(reverse("partner_portal:report", args=[report.pk])).status_code == 404


def project_with_reports(count):
    part = factories.ParticipationFactory()
    for month in range(count):
        factories.ServiceReportFactory(
            project=part.project,
            organisation=part.organisation,
            period_start=f"{2025 + month // 12}-{month % 12 + 1:02d}-01",
            period_end=f"{2025 + month // 12}-{month % 12 + 1:02d}-28",
        )
    return part


def test_the_reports_page_makes_as_many_queries_for_30_reports_as_for_3(client):
    few = project_with_reports(3)
    client.force_login(staff_of(few.organisation))
    count = queries_to_get(client, reverse("partner_portal:project_reports", args=[few.project_id]))
    many = project_with_reports(30)
    client.force_login(staff_of(many.organisation))
    assert queries_to_get(client, reverse("partner_portal:project_reports", args=[many.project_id])) == count


def test_officials_of_the_community_who_are_not_staff_are_refused(client, provider):
    client.force_login(official_of(provider.project.community))
    assert client.get(new_url(provider.project)).status_code == 403
