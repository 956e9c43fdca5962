"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium) against the live server.

Fixtures: `browser` (one headless Chromium for all the tests of this folder), `page` (desktop, 1280x800) and
`phone_page` (390x844, touch), both opened on the live server (`page.goto("/accounts/login/")`
works: the base URL is set). Helpers: `login(page, live_server, username, password)` and
`screenshot(page, name)` (PNG under VAR_DIR/screenshots/, kept as a test artifact);
`user_with_password(user)` gives a factory user the password PASSWORD.

Without Chromium the tests are skipped, unless REQUIRE_BROWSER=1 (CI), where they fail.
Every test in this folder is marked `browser` (`pytest -m "not browser"` leaves them out).
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

from tests.needs import missing

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
PASSWORD = "browser-pass-2026"
BROWSER_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="package")
def allow_database_calls_beside_playwright():
    """Playwright's sync API keeps an event loop running in the test thread; Django would
    otherwise refuse the tests' own database queries as "called from an async context".

    Set only while this folder's tests run, not for the whole run: subprocesses of other tests
    (`manage.py check --deploy`) inherit the environment and would warn about it.
    """
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _unavailable(reason: str):
    missing(reason, required_by="REQUIRE_BROWSER")


# Package scope: one Chromium for every test of this folder, closed (with Playwright's event
# loop) before the tests of other folders run, which would otherwise find that loop running.
# The test database is created before the loop starts.
@pytest.fixture(scope="package")
def browser(django_db_setup, allow_database_calls_beside_playwright):
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed: pip install -r requirements-dev.txt")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _page(browser, live_server, **options):
    # English unless a test switches: the browser's Accept-Language decides the first page's language.
    context = browser.new_context(base_url=live_server.url, locale="en-GB", **options)
    context.set_default_timeout(15_000)
    return context, context.new_page()


@pytest.fixture
def page(browser, live_server):
    context, desktop_page = _page(browser, live_server, viewport=DESKTOP)
    yield desktop_page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context, phone = _page(browser, live_server, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    yield phone
    context.close()


def screenshot(page, name: str) -> Path:
    """Save the whole page as VAR_DIR/screenshots/<name>.png and return the path."""
    folder = Path(settings.VAR_DIR) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, live_server, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form (by field id, so it works in either language)."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def user_with_password(user, password: str = PASSWORD):
    user.set_password(password)
    user.save(update_fields=["password"])
    return user
