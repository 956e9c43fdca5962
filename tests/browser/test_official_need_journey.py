"""In Chinese: an official answers a resident's need in the dashboard; the resident reads the answer on a phone."""

import re

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override
from playwright.sync_api import expect

from coproduction.models import NeedStatus
from tests import factories
from tests.browser.conftest import DESKTOP, PHONE, login, screenshot, user_with_password


def chinese_page(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **options)
    context.set_default_timeout(15_000)
    return context, context.new_page()


def test_an_official_plans_a_need_and_the_resident_sees_the_answer_and_its_date(browser, live_server):
    community = factories.CommunityFactory(name="后台社区", code="houtai")
    resident = factories.ResidentFactory(
        community=community,
        name="王阿姨",
        user=user_with_password(factories.UserFactory(username="wang")),
    )
    need = factories.NeedFactory(
        community=community, resident=resident, title="老年助餐", description="希望3号楼附近有午餐供应。"
    )
    factories.NeedFactory(community=community, title="夜间照明", status=NeedStatus.DECLINED, response="预算不足。")
    official = user_with_password(factories.UserFactory(username="zhang"))
    factories.OfficialPostFactory(community=community, user=official)

    context, page = chinese_page(browser, live_server, viewport=DESKTOP)
    login(page, live_server, "zhang")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    screenshot(page, "need-journey-1-home")

    page.get_by_role("link", name="后台社区").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("后台社区")
    page.locator("nav.section-nav").get_by_role("link", name="居民需求").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("居民需求：后台社区")
    expect(page.locator("main")).to_contain_text("1 项待答复")
    screenshot(page, "need-journey-2-needs")

    page.locator("tbody tr", has_text="老年助餐").get_by_role("link", name=re.compile("^答复")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("答复需求：老年助餐")
    page.get_by_label("列入计划：居委会将提供").check()
    page.get_by_label("给居民的答复").fill("明年三月起在3号楼活动室供应午餐。")
    screenshot(page, "need-journey-3-answer")
    page.get_by_role("button", name="提交答复").click()

    expect(page).to_have_url(re.compile(r"/dashboard/communities/houtai/needs/$"))
    expect(page.get_by_role("status")).to_contain_text("答复已记录：已列入计划")
    expect(page.locator("main")).to_contain_text("0 项待答复")
    screenshot(page, "need-journey-4-answered")
    context.close()
    need.refresh_from_db()
    assert need.status == NeedStatus.PLANNED and need.responded_at is not None

    context, phone = chinese_page(
        browser, live_server, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    login(phone, live_server, "wang")
    phone.locator("nav.tabbar").get_by_role("link", name="我的", exact=True).click()
    phone.get_by_role("link", name=re.compile("告诉社区您的需求")).click()
    card = phone.locator("li.card", has_text="老年助餐")
    with override("zh-hans"):
        answered_on = date_format(timezone.localtime(need.responded_at), "SHORT_DATE_FORMAT")
    expect(card).to_contain_text("已列入计划")
    expect(card).to_contain_text(f"居委会于 {answered_on} 答复")
    expect(card).to_contain_text("明年三月起在3号楼活动室供应午餐。")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(phone, "need-journey-5-resident-phone")
    context.close()
