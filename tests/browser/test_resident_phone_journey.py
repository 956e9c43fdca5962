"""A resident on a phone (390x844), in Chinese, goes through their month without help: finds a free
plot, claims it (the count changes in place), checks in with a photo, rates a service with the
stars (a tap, then the keyboard), files a complaint with a photo, reads the official's answer and
downloads their data, moving between places with the bottom bar."""

import json
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accountability.models import Complaint
from accountability.services.complaints import complaint_answer
from coproduction.models import CheckIn, Claim, ClaimStatus
from evaluation.models import Rating
from tests import factories
from tests.browser.conftest import PHONE, login, screenshot, user_with_password
from tests.pages import official_of
from tests.resident_portal.images import tiny_png

ENGLISH_WORDS = re.compile(r"\b(Tasks|Claim|Open|Free|None|nan|plot-\d+)\b")


@pytest.fixture
def chinese_phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    assert not ENGLISH_WORDS.search(page.locator("main").inner_text()), "an English fragment or a raw code shows"


def bottom_bar(page):
    return page.get_by_role("navigation", name="我的社区")


def test_a_resident_on_a_phone_in_chinese_goes_through_their_month(chinese_phone, live_server, tmp_path):
    page = chinese_phone
    community = factories.CommunityFactory(name="后台社区")
    user = user_with_password(factories.UserFactory(username="wangli", display_name="王丽"))
    resident = factories.ResidentFactory(user=user, community=community, name="王丽")
    project = factories.ProjectFactory(community=community, name="后台绿地认领")
    lead = factories.ParticipationFactory(project=project, role="lead", organisation__name="绿源社工站")
    factories.MembershipFactory(organisation=lead.organisation)
    full = factories.TaskFactory(project=project, code="plot-01", title="1号绿地", area_m2=Decimal("60"))
    factories.ClaimFactory(task=full)
    shared = factories.TaskFactory(
        project=project,
        code="plot-03",
        title="3号绿地",
        area_m2=Decimal("90"),
        capacity=2,
    )
    factories.ClaimFactory(task=shared)
    free = factories.TaskFactory(project=project, code="plot-04", title="4号绿地", area_m2=Decimal("75.5"))
    photo = tmp_path / "绿地.png"
    photo.write_bytes(tiny_png(24, 24))

    # Sign in: the resident lands on their home, with a compact header and the bar at the bottom.
    login(page, live_server, "wangli")
    expect(page).to_have_url(re.compile(r"/me/$"))
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 70, "the header takes too much of the first screen"
    bar = bottom_bar(page)
    expect(bar.get_by_role("link", name="我的认领")).to_have_attribute("aria-current", "page")
    assert round(bar.bounding_box()["y"] + bar.bounding_box()["height"]) == PHONE["height"]
    page.locator(".header-menu summary").click()
    expect(page.get_by_label("语言")).to_be_visible()
    screenshot(page, "resident-journey-01-home-menu")
    page.locator(".header-menu summary").click()
    fits_the_phone(page)

    # Tasks: only the free places, by human names; then claim one and watch its count change in place.
    bar.get_by_role("link", name="任务").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("可认领的任务")
    expect(page.locator(f"#task-{full.pk}")).to_contain_text("已满")
    page.get_by_label("只看可认领的").check()
    expect(page.locator(f"#task-{full.pk}")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"free=on"))
    tile = page.locator(f"#task-{shared.pk}")
    expect(tile).to_contain_text("3号绿地 · 90 m²")
    expect(tile).to_contain_text("已认领 1 / 2 个名额")
    expect(page.locator(f"#task-{free.pk}")).to_contain_text("可认领")
    fits_the_phone(page)
    screenshot(page, "resident-journey-02-free-places")

    page.evaluate("window.stillTheSamePage = true")
    tile.get_by_role("button", name="认领 3号绿地").tap()
    expect(tile).to_contain_text("已认领 2 / 2 个名额")
    expect(tile.get_by_role("status")).to_contain_text("已认领 3号绿地")
    assert page.evaluate("window.stillTheSamePage === true"), "the page reloaded"
    assert Claim.objects.get(task=shared, resident=resident).status == ClaimStatus.ACTIVE
    screenshot(page, "resident-journey-03-claimed")

    # Check in: today's date is filled in (ISO), a note and a photo.
    tile.get_by_role("link", name="打卡 3号绿地").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("打卡：3号绿地")
    expect(page.get_by_label("日期")).to_have_value(timezone.localdate().isoformat())
    page.get_by_label("备注").fill("浇水、除草")
    page.get_by_label("照片（选填）").set_input_files(str(photo))
    fits_the_phone(page)
    screenshot(page, "resident-journey-04-checkin-form")
    page.get_by_role("button", name="打卡").click()
    expect(page).to_have_url(re.compile(r"/me/check-ins/$"))
    expect(page.locator("main")).to_contain_text("浇水、除草")
    expect(page.locator("main")).to_contain_text("附有照片")
    assert CheckIn.objects.get(claim__task=shared).photo.name.endswith(".png")
    expect(bar.get_by_role("link", name="我的认领")).to_have_attribute("aria-current", "page")
    screenshot(page, "resident-journey-05-checked-in")

    # Rate the service: tap the third star, then move to the fourth with the keyboard.
    bar.get_by_role("link", name="评分").click()
    page.get_by_label("项目").select_option(label="后台绿地认领")
    stars = page.locator("#id_score")
    stars.locator("label").nth(2).tap()
    expect(page.get_by_label("3 星：一般")).to_be_checked()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_label("4 星：满意")).to_be_checked()
    expect(page.get_by_label("4 星：满意")).to_be_focused()
    outline = page.evaluate("getComputedStyle(document.querySelector('#id_score input:checked + label')).outlineStyle")
    assert outline == "solid", "the focused star shows no focus ring"
    assert stars.locator("label").first.bounding_box()["width"] >= 44
    fits_the_phone(page)
    screenshot(page, "resident-journey-06-stars")
    page.get_by_role("button", name="提交评分").click()
    expect(page.locator(".messages")).to_contain_text("谢谢：您对 后台绿地认领 的评分已记录。")
    assert Rating.objects.get(resident=resident).score == 4

    # File a complaint with a photo.
    bar.get_by_role("link", name="投诉").click()
    page.get_by_label("项目").select_option(label="后台绿地认领")
    page.get_by_label("主题").fill("3号绿地的水龙头坏了")
    page.get_by_label("问题描述").fill("水龙头一直漏水，地面积水。")
    page.get_by_label("照片（选填）").set_input_files(str(photo))
    fits_the_phone(page)
    screenshot(page, "resident-journey-07-complaint-form")
    page.get_by_role("button", name="提交投诉").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("3号绿地的水龙头坏了")
    image = page.get_by_role("img", name="投诉时附上的照片")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.naturalWidth") == 24
    screenshot(page, "resident-journey-08-complaint-filed")

    # An official answers; the resident follows the complaint to the answer and its date.
    complaint = Complaint.objects.get(resident=resident)
    complaint_answer(complaint=complaint, user=official_of(community), response="已更换水龙头，谢谢反映。")
    bar.get_by_role("link", name="投诉").click()
    card = page.locator(".card", has_text="3号绿地的水龙头坏了")
    expect(card).to_contain_text("已更换水龙头，谢谢反映。")
    card.get_by_role("link", name="3号绿地的水龙头坏了").click()
    expect(page.locator(".answer")).to_have_text("已更换水龙头，谢谢反映。")
    today = timezone.localdate()
    expect(page.locator("main")).to_contain_text(f"{today.year}年{today.month}月{today.day}日")
    fits_the_phone(page)
    screenshot(page, "resident-journey-09-answer")

    # Download my data, from "Me".
    bar.get_by_role("link", name="我的", exact=True).click()
    page.get_by_role("link", name=re.compile("^我的数据")).click()
    with page.expect_download() as download:
        page.get_by_role("main").get_by_role("link", name="下载我的数据").click()
    data = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert [c["subject"] for c in data["complaints"]] == ["3号绿地的水龙头坏了"]
    fits_the_phone(page)
    screenshot(page, "resident-journey-10-my-data")
