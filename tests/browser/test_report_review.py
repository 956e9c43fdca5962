"""An official reviews a service report in a real browser: opens the submitted report, accepts it."""

import re

from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import login, screenshot, user_with_password


def test_an_official_opens_a_submitted_report_and_accepts_it(page, live_server):
    report = factories.ServiceReportFactory(narrative="Lunch served to 120 elders every weekday.")
    factories.ReportEventFactory(report=report)
    factories.OfficialPostFactory(
        community=report.project.community,
        user=user_with_password(factories.UserFactory(username="reviewer")),
    )
    login(page, live_server, "reviewer")

    page.goto(f"{live_server.url}/dashboard/communities/{report.project.community.code}/reports/")
    screenshot(page, "dashboard-reports-awaiting-review")
    page.get_by_role("link", name=report.project.name).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(report.organisation.name)
    expect(page.get_by_text("Lunch served to 120 elders every weekday.")).to_be_visible()
    page.get_by_label("Accept the report").check()
    screenshot(page, "dashboard-report-review")
    page.get_by_role("button", name="Record the review").click()

    expect(page).to_have_url(re.compile(rf"/dashboard/reports/{report.pk}/$"))
    expect(page.get_by_role("status")).to_contain_text("Report accepted.")
    expect(page.locator(".report-status")).to_contain_text("Accepted")
    screenshot(page, "dashboard-report-accepted")
    report.refresh_from_db()
    assert report.status == "accepted"
