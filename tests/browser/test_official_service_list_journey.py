"""A town official revises the service list in Chinese: drafts a new version, edits it, compares it with the
published one, publishes it, then moves a project still in design onto it."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from coproduction.models import Stage
from service_list.models import ListItemStatus, Pricing, ServiceListItem
from tests import factories
from tests.browser.conftest import DESKTOP, login, screenshot, user_with_password


@pytest.fixture
def chinese_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=DESKTOP)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def housekeeping_project_in_design():
    """A town with one community whose housekeeping project is still in design, on version 1 of the item."""
    street = factories.StreetFactory(name="中北镇")
    community = factories.CommunityFactory(name="后台社区", code="houtai", street=street)
    item = factories.ServiceListItemFactory(
        code="housekeeping",
        name="家政服务",
        pricing=Pricing.SUBSIDISED,
        unit_price=Decimal("45.00"),
        subsidy_per_unit=Decimal("5.00"),
        standard="持证上岗，明码标价。",
        category=factories.ServiceCategoryFactory(name="生活服务"),
    )
    project = factories.ProjectFactory(
        community=community, name="后台社区家政服务", stage=Stage.DESIGN, service_item=item
    )
    official = user_with_password(factories.UserFactory(username="zhongbei"))
    factories.OfficialPostFactory(user=official, community=None, street=street)
    return project


def test_an_official_publishes_a_new_version_and_moves_a_project_in_design_to_it(chinese_page, live_server):
    page = chinese_page
    project = housekeeping_project_in_design()
    login(page, live_server, "zhongbei")

    page.goto(f"{live_server.url}/dashboard/")
    screenshot(page, "service-list-journey-home")
    page.get_by_role("link", name="服务清单").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("服务清单")
    expect(page.get_by_role("cell", name="第1版")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("housekeeping")
    screenshot(page, "service-list-journey-list")

    page.get_by_role("button", name="为家政服务新建版本").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("修改家政服务（第2版）")
    expect(page.get_by_role("status")).to_contain_text("已新建草稿家政服务（第2版）")
    screenshot(page, "service-list-journey-draft")

    page.get_by_label("单位补贴（元）").fill("8.00")
    page.get_by_label("定价或补贴规则").fill("60周岁以上老人每小时补贴8元。")
    page.get_by_role("button", name="保存草稿").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("家政服务（第2版）的修改之处")
    expect(page.locator("main")).to_contain_text("有 2 个字段不同")
    changed = page.locator("tr.changed")
    expect(changed).to_have_count(2)
    expect(changed.first).to_contain_text("5.00")
    expect(changed.first).to_contain_text("8.00")
    screenshot(page, "service-list-journey-compare")

    page.get_by_role("button", name="发布家政服务（第2版）").click()
    expect(page.get_by_role("status")).to_contain_text("家政服务（第2版）")
    expect(page.get_by_role("status")).to_contain_text("已发布")
    screenshot(page, "service-list-journey-published")
    assert ServiceListItem.objects.get(code="housekeeping", version=1).status == ListItemStatus.RETIRED

    page.get_by_role("link", name="工作台").first.click()
    page.get_by_role("link", name="后台社区").click()
    page.locator(".section-nav").get_by_role("link", name="项目").click()
    page.get_by_role("link", name="后台社区家政服务").click()
    expect(page.locator("main")).to_contain_text("服务：家政服务（第1版）")
    screenshot(page, "service-list-journey-project-on-retired-version")
    page.get_by_role("button", name="改用现行版本").click()

    expect(page).to_have_url(re.compile(rf"/dashboard/projects/{project.pk}/$"))
    expect(page.get_by_role("status")).to_contain_text("项目现已改用家政服务（第2版）。")
    expect(page.locator("main")).to_contain_text("服务：家政服务（第2版）")
    expect(page.get_by_role("button", name="改用现行版本")).to_have_count(0)
    screenshot(page, "service-list-journey-project-moved")
    project.refresh_from_db()
    assert project.service_item.version == 2
