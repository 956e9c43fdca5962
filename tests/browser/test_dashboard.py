"""The officials' dashboard in a real browser: the charts draw, on a desktop and on a phone, with no console error."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from coproduction.models import GovernanceLevel, Stage
from tests import factories
from tests.browser.conftest import login, screenshot, user_with_password


def houtai_with_projects():
    community = factories.CommunityFactory(name="Houtai", code="houtai")
    for name, authority, share, stage in [
        ("Elderly dining hall", GovernanceLevel.HIGH, "0.80", Stage.OPERATION),
        ("Green-space claim", GovernanceLevel.LOW, "0.20", Stage.OPERATION),
        ("Day care centre", GovernanceLevel.HIGH, "0.30", Stage.EVALUATION),
        ("Home visits", GovernanceLevel.LOW, "0.65", Stage.DESIGN),
    ]:
        project = factories.ProjectFactory(
            community=community,
            name=name,
            governance_authority=authority,
            government_share=Decimal(share),
            stage=stage,
        )
        factories.RatingFactory(project=project, period=timezone.localdate().replace(day=1), score=4)
    factories.DutyFactory(
        project=project, title="Monthly visit log", next_due_on=timezone.localdate() - timedelta(days=3)
    )
    return community


def official_signed_in(page, live_server, community):
    factories.OfficialPostFactory(community=community, user=user_with_password(factories.UserFactory(username="zhang")))
    login(page, live_server, "zhang")


def open_dashboard(page, live_server):
    errors = []

    def console(message):
        if message.type == "error":
            errors.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    community = houtai_with_projects()
    official_signed_in(page, live_server, community)
    page.goto(f"{live_server.url}/dashboard/communities/houtai/")
    return errors


def drawn(page, canvas_id: str) -> bool:
    """Chart.js marks each canvas it draws and keeps the chart on it."""
    return page.evaluate(f"() => !!Chart.getChart(document.getElementById('{canvas_id}'))")


def test_an_official_s_community_dashboard_draws_the_stage_chart_and_the_mode_quadrant(page, live_server):
    errors = open_dashboard(page, live_server)

    expect(page.get_by_role("heading", level=1)).to_have_text("Houtai")
    expect(page.locator("#quadrant-canvas")).to_be_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('quadrant-canvas'))")
    assert drawn(page, "stage-canvas") and drawn(page, "quadrant-canvas") and drawn(page, "satisfaction-canvas")
    assert (
        page.evaluate(
            "() => Chart.getChart(document.getElementById('quadrant-canvas')).data.datasets"
            ".reduce((n, d) => n + d.data.length, 0)"
        )
        == 4
    )
    expect(page.get_by_role("rowheader", name="Elderly dining hall").first).to_be_visible()
    screenshot(page, "dashboard-community")
    assert errors == []


def test_the_community_dashboard_reads_on_a_phone(phone_page, live_server):
    errors = open_dashboard(phone_page, live_server)

    phone_page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('quadrant-canvas'))")
    screenshot(phone_page, "dashboard-community-phone")
    overflow = phone_page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1  # wide tables scroll inside their box, the page itself does not
    assert errors == []
