"""Notifications in a browser: a resident on a phone follows the bell, opens one, and an official on a desktop."""

import re

from playwright.sync_api import expect

from common.actors import TRUSTED
from notifications.models import Notification
from notifications.services.notify import notify
from tests import factories
from tests.browser.conftest import login, screenshot, user_with_password
from tests.pages import official_of


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def tell(user, key, kind="complaint_answered", url="/me/complaints/"):
    notify(
        recipients=[user], kind=kind, key=key, params={"subject": "Broken lamp by building 3"}, url=url, user=TRUSTED
    )


def test_a_resident_on_a_phone_follows_the_bell_to_a_notification(phone_page, live_server):
    resident = factories.ResidentFactory(user=user_with_password(factories.UserFactory(username="resident")))
    for n in range(3):
        tell(resident.user, f"k{n}")
    login(phone_page, live_server, "resident")
    phone_page.goto(f"{live_server.url}/me/")
    bell = phone_page.locator("a.bell")
    expect(bell).to_contain_text("3")
    assert no_sideways_scroll(phone_page)
    screenshot(phone_page, "notifications-phone-bell")

    bell.click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Notifications")
    assert no_sideways_scroll(phone_page)
    screenshot(phone_page, "notifications-phone-list")

    phone_page.locator(".notification > a").first.click()
    expect(phone_page).to_have_url(re.compile(r"/me/complaints/$"))
    expect(phone_page.locator("a.bell")).to_contain_text("2")

    phone_page.goto(f"{live_server.url}/notifications/")
    phone_page.get_by_role("button", name="Mark all read").click()
    expect(phone_page.locator("[role=status]")).to_contain_text("2 notifications marked read.")
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    expect(phone_page.locator("a.bell .bell__count")).to_have_count(0)


def test_an_official_chooses_a_daily_digest_on_a_desktop(page, live_server):
    official = user_with_password(official_of(factories.CommunityFactory()))
    login(page, live_server, official.username)
    page.goto(f"{live_server.url}/dashboard/")
    page.locator("a.bell").click()
    page.get_by_role("link", name="Choose which e-mails you receive").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notification settings")
    screenshot(page, "notifications-desktop-preferences")
    page.locator("fieldset").first.get_by_label("Daily digest").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[role=status]")).to_contain_text("Your notification settings are saved.")
