"""A resident on a phone (390x844) claims a green-space plot in the grid and checks in with a note and a photo."""

import re

from playwright.sync_api import expect

from coproduction.models import CheckIn, Claim, ClaimStatus
from tests import factories
from tests.browser.conftest import login, screenshot, user_with_password
from tests.resident_portal.images import tiny_png


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_resident_on_a_phone_claims_a_plot_and_checks_in_with_a_photo(phone_page, live_server, tmp_path):
    resident = factories.ResidentFactory(user=user_with_password(factories.UserFactory(username="resident")))
    project = factories.ProjectFactory(community=resident.community, name="Houtai green space claim")
    plot = factories.TaskFactory(project=project, code="G07", title="Lawn by building 3")
    for code in ("G01", "G02", "G03"):
        factories.TaskFactory(project=project, code=code)
    photo = tmp_path / "plot.png"
    photo.write_bytes(tiny_png(16, 16))

    login(phone_page, live_server, "resident")
    phone_page.goto(f"{live_server.url}/me/tasks/")
    tile = phone_page.locator(f"#task-{plot.pk}")
    expect(tile).to_contain_text("Free to claim")
    assert no_sideways_scroll(phone_page)
    screenshot(phone_page, "resident-phone-tasks")

    tile.get_by_role("button", name="Claim Lawn by building 3").click()

    expect(tile).to_contain_text("Mine")
    expect(tile.locator("[role=status]")).to_contain_text("Claimed Lawn by building 3")
    assert Claim.objects.get(task=plot, resident=resident).status == ClaimStatus.ACTIVE
    screenshot(phone_page, "resident-phone-claimed")

    tile.get_by_role("link", name="Check in Lawn by building 3").click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Check in on Lawn by building 3")
    phone_page.get_by_label("Note").fill("Watered the lawn and picked up litter.")
    phone_page.get_by_label("Photo (optional)").set_input_files(str(photo))
    assert no_sideways_scroll(phone_page)
    screenshot(phone_page, "resident-phone-checkin-form")
    phone_page.locator("main form button[type=submit]").click()

    expect(phone_page).to_have_url(re.compile(r"/me/check-ins/$"))
    expect(phone_page.locator("main")).to_contain_text("Watered the lawn and picked up litter.")
    expect(phone_page.locator("main")).to_contain_text("photo attached")
    checkin = CheckIn.objects.get(claim__task=plot)
    assert checkin.note == "Watered the lawn and picked up litter." and checkin.photo.name.endswith(".png")
    assert no_sideways_scroll(phone_page)
    screenshot(phone_page, "resident-phone-checkins")
