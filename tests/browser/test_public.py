"""The public pages in a real browser: a community's page shows an awarded project, its partner,
the amount and the reason for the award, without signing in."""

from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import screenshot
from tests.transparency.public_record import AWARD_REASON, awarded_project


def test_the_public_page_of_a_community_shows_an_awarded_project(page, live_server):
    community = factories.CommunityFactory(name="Houtai", code="houtai")
    awarded_project(community)

    page.goto(f"{live_server.url}/public/")
    page.get_by_role("link", name="Houtai").click()

    card = page.locator(".public-project", has_text="Elderly dining hall")
    expect(page.get_by_role("heading", level=1)).to_have_text("Houtai")
    expect(card).to_contain_text("Sunshine Elderly Care")
    expect(card).to_contain_text("86,000.00")
    expect(card).to_contain_text(AWARD_REASON)
    screenshot(page, "public-community")

    card.get_by_role("link", name="Elderly dining hall").click()
    expect(page.locator("canvas[data-chart]")).to_be_visible()
    screenshot(page, "public-project")


def test_the_public_page_reads_well_on_a_phone(phone_page, live_server):
    awarded_project(factories.CommunityFactory(name="Houtai", code="houtai"))

    phone_page.goto(f"{live_server.url}/public/communities/houtai/")

    expect(phone_page.locator(".public-project")).to_contain_text("Sunshine Elderly Care")
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    screenshot(phone_page, "public-community-phone")
