"""In Chinese: an official writes a service's checklist template, then records an inspection from it with a photo."""

import re

from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from accountability.models import Inspection, InspectionResult
from tests import factories
from tests.browser.conftest import DESKTOP, login, screenshot, user_with_password


def chinese_page(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **options)
    context.set_default_timeout(15_000)
    return context, context.new_page()


def test_an_official_records_an_inspection_from_the_services_template_with_a_photo(browser, live_server, tmp_path):
    community = factories.CommunityFactory(name="后台社区", code="houtai")
    dining = factories.ServiceListItemFactory(name="老年助餐")
    project = factories.ProjectFactory(community=community, name="老年助餐食堂", service_item=dining)
    factories.ParticipationFactory(project=project, organisation__name="幸福厨房")
    factories.ParticipationFactory(
        project=factories.ProjectFactory(community=community, name="绿地认领"), organisation__name="绿园物业"
    )
    factories.OfficialPostFactory(community=community, user=user_with_password(factories.UserFactory(username="li")))
    photo = tmp_path / "kitchen.png"
    Image.new("RGB", (120, 80), (240, 240, 230)).save(photo, "PNG")

    context, page = chinese_page(browser, live_server, viewport=DESKTOP)
    login(page, live_server, "li")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    screenshot(page, "inspection-journey-1-home")

    page.get_by_role("link", name="后台社区").click()
    page.locator("nav.section-nav").get_by_role("link", name="检查", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("检查：后台社区")
    screenshot(page, "inspection-journey-2-inspections")

    page.get_by_role("link", name="检查清单模板").first.click()
    page.locator("tbody tr", has_text="老年助餐").get_by_role("link", name=re.compile("编写模板")).click()
    page.get_by_label("检查项").fill("厨房整洁\n食品冷藏温度达标\n留样记录完整")
    screenshot(page, "inspection-journey-3-template")
    page.get_by_role("button", name="保存模板").click()
    expect(page.get_by_role("status")).to_contain_text("检查清单模板已保存：老年助餐。")
    expect(page.locator("tbody tr", has_text="老年助餐")).to_contain_text("留样记录完整")

    page.get_by_role("link", name="返回检查列表").click()
    page.get_by_role("link", name="记录检查").click()
    page.get_by_label("项目").select_option(label="老年助餐食堂")
    screenshot(page, "inspection-journey-4-project")
    page.get_by_role("button", name="继续").click()

    organisations = page.get_by_label("被检查机构")
    expect(organisations.locator("option", has_text="幸福厨房")).to_have_count(1)
    expect(organisations.locator("option", has_text="绿园物业")).to_have_count(0)
    organisations.select_option(label="幸福厨房")
    page.get_by_label("检查日期").fill(timezone.localdate().isoformat())
    expect(page.get_by_label("检查项 1", exact=True)).to_have_value("厨房整洁")
    expect(page.get_by_label("检查项 3", exact=True)).to_have_value("留样记录完整")
    for row in (1, 2, 3):
        page.get_by_label(f"结果 {row}", exact=True).select_option(label="通过")
    page.get_by_label("照片").set_input_files(str(photo))
    screenshot(page, "inspection-journey-5-form")
    page.get_by_role("button", name="保存检查记录").click()

    expect(page.get_by_role("status")).to_contain_text("检查已记录：通过。")
    row = page.locator("tbody tr", has_text="幸福厨房")
    expect(row).to_contain_text("厨房整洁")
    expect(row.get_by_role("img", name="照片 1")).to_be_visible()
    assert row.get_by_role("img", name="照片 1").evaluate("image => image.naturalWidth") == 120
    screenshot(page, "inspection-journey-6-recorded")
    inspection = Inspection.objects.get()
    assert inspection.result == InspectionResult.PASSED and inspection.photos.count() == 1
    context.close()
