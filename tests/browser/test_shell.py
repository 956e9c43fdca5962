"""The shell in a real browser: signing in lands on the role's home; the language switch works."""

import re

from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import login, screenshot, user_with_password


def test_an_official_who_logs_in_lands_on_the_dashboard(page, live_server):
    post = factories.OfficialPostFactory(user=user_with_password(factories.UserFactory(username="official")))

    login(page, live_server, "official")

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.get_by_role("link", name=post.community.name)).to_be_visible()
    screenshot(page, "shell-official-dashboard")


def test_the_language_switch_shows_chinese(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.select_option("#language-select", label="简体中文")
    page.locator("form.language-switch button[type=submit]").click()

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("label[for=id_username]")).to_contain_text("用户名")
    screenshot(page, "shell-login-zh-hans")
