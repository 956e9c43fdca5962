"""An NGO's staff submit a service report in a real browser: a refusal shows inline, the input stays."""

import re

from playwright.sync_api import expect

from coproduction.models import ServiceReport
from tests import factories
from tests.browser.conftest import login, screenshot, user_with_password
from tests.pages import staff_of


def test_ngo_staff_fix_a_negative_cost_and_the_report_is_submitted(page, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    part = factories.ParticipationFactory(project__name="Elderly dining hall", organisation__name="Sunshine NGO")
    user = user_with_password(staff_of(part.organisation))
    receipt = tmp_path / "receipts.pdf"
    receipt.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    login(page, live_server, user.username)

    page.goto(f"{live_server.url}/portal/projects/{part.project_id}/reports/new/")
    page.fill("#id_period_start", "2025-03-01")
    page.fill("#id_period_end", "2025-03-31")
    page.fill("#id_people_served", "120")
    page.fill("#id_service_units", "900")
    page.fill("#id_cost", "-20000")
    page.fill("#id_income", "9000")
    page.fill("#id_subsidy", "10000")
    page.fill("#id_narrative", "Meals served every weekday.")
    page.set_input_files("#id_attachments", str(receipt))
    screenshot(page, "partner-report-form")
    page.locator("main form button[type=submit]").click()

    expect(page.locator("#id_cost")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".field--error")).to_contain_text("cannot be negative")
    expect(page.locator("#id_income")).to_have_value("9000")
    expect(page.locator("#id_narrative")).to_have_value("Meals served every weekday.")
    assert not ServiceReport.objects.exists()
    screenshot(page, "partner-report-error")

    page.fill("#id_cost", "20000")
    page.set_input_files("#id_attachments", str(receipt))
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/portal/reports/\d+/$"))
    expect(page.locator(".messages")).to_contain_text("Report submitted for review.")
    expect(page.locator("main")).to_contain_text("receipts.pdf")
    report = ServiceReport.objects.get()
    assert str(report.cost) == "20000.00" and report.attachments.count() == 1
    screenshot(page, "partner-report-submitted")
