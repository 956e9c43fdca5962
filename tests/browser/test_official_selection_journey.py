"""A community official runs a call for partners in Chinese: opens it on a project in design, finds the review
locked until the deadline, then, once it has passed, reviews an applicant with its credibility record in view and
awards the call."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from coproduction.models import Call, CallStatus, Stage
from coproduction.services.selection import review_submit
from tests import factories
from tests.browser.conftest import DESKTOP, login, screenshot, user_with_password


@pytest.fixture
def chinese_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=DESKTOP)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def dining_hall_in_design():
    """Houtai's dining-hall project still in design, its official, and a second official to review too."""
    community = factories.CommunityFactory(name="后台社区", code="houtai")
    item = factories.ServiceListItemFactory(name="老年助餐")
    project = factories.ProjectFactory(
        community=community, name="后台社区老年食堂", stage=Stage.DESIGN, service_item=item
    )
    factories.OfficialPostFactory(community=community, user=user_with_password(factories.UserFactory(username="wang")))
    colleague = factories.OfficialPostFactory(community=community).user
    return project, colleague


def applicants(call):
    """Two approved organisations apply; the first has a record: a trust score, an open breach, a past grade."""
    kitchen = factories.OrganisationFactory(name="金味坊餐饮")
    factories.TrustScoreFactory(organisation=kitchen, score=Decimal("72.50"), computed_on=date(2026, 11, 1))
    factories.BreachFactory(organisation=kitchen)
    delivered = factories.ParticipationFactory(organisation=kitchen).project
    factories.EvaluationFactory(project=delivered, grade="B", total=Decimal("82.50"))
    volunteers = factories.OrganisationFactory(name="夕阳红志愿者协会")
    return (
        factories.ApplicationFactory(call=call, organisation=kitchen, proposal="中央厨房配送，每日两餐。"),
        factories.ApplicationFactory(call=call, organisation=volunteers, proposal="老年志愿者帮厨送餐。"),
    )


def test_an_official_opens_a_call_waits_for_the_deadline_reviews_with_the_record_and_awards(chinese_page, live_server):
    page = chinese_page
    project, colleague = dining_hall_in_design()
    login(page, live_server, "wang")

    page.goto(f"{live_server.url}/dashboard/")
    screenshot(page, "selection-journey-home")
    page.get_by_role("link", name="后台社区").first.click()
    page.locator(".section-nav").get_by_role("link", name="合作机构征集").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("合作机构征集")
    screenshot(page, "selection-journey-calls")
    page.get_by_role("link", name="设计阶段的项目").click()
    page.get_by_role("link", name="后台社区老年食堂").click()
    page.get_by_role("link", name="发起合作机构征集").click()
    expect(page.locator("main")).to_contain_text("须留出至少 7 天申请时间")
    screenshot(page, "selection-journey-open-form")

    deadline = timezone.localtime() + timedelta(days=10)
    page.fill("#id_title", "后台社区老年食堂运营方遴选")
    page.fill("#id_deadline", deadline.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_criteria-0-name", "服务方案")
    page.fill("#id_criteria-0-weight", "60")
    page.fill("#id_criteria-1-name", "报价")
    page.fill("#id_criteria-1-weight", "40")
    page.get_by_role("button", name="开放征集").click()

    expect(page.get_by_role("status")).to_contain_text("已开放")
    expect(page.locator("#reviews-open-at")).to_contain_text("申请受理至")
    expect(page.locator("#reviews-open-at")).to_contain_text(str(deadline.day))
    expect(page.locator("#award-heading")).to_have_count(0)
    screenshot(page, "selection-journey-review-locked")

    call = Call.objects.get(project=project)
    kitchen, volunteers = applicants(call)
    page.reload()
    expect(page.locator("main")).to_contain_text("尚未评分")
    expect(page.get_by_role("link", name="审核金味坊餐饮的申请")).to_have_count(0)
    screenshot(page, "selection-journey-applications-before-deadline")

    # The deadline passes; the colleague has scored both applications already.
    Call.objects.filter(pk=call.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    criteria = list(call.criteria.order_by("-weight"))
    for application, scores in ((kitchen, (90, 80)), (volunteers, (70, 60))):
        review_submit(
            application=application,
            reviewer=colleague,
            scores={criterion.pk: score for criterion, score in zip(criteria, scores, strict=True)},
        )
    page.reload()
    expect(page.locator("#reviews-open-at")).to_have_count(0)
    screenshot(page, "selection-journey-after-deadline")

    page.get_by_role("link", name="审核金味坊餐饮的申请").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("审核金味坊餐饮的申请")
    record = page.locator("section[aria-labelledby=record-heading]")
    expect(record).to_contain_text("72.50")
    expect(record).to_contain_text("未处理违约")
    expect(record).to_contain_text("B 良好")
    expect(page.locator("main")).to_contain_text("服务方案（权重 60，评分 0–100 分）")
    screenshot(page, "selection-journey-review-form")
    page.fill(f"#id_score_{criteria[0].pk}", "88")
    page.fill(f"#id_score_{criteria[1].pk}", "82")
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_role("status")).to_contain_text("您对金味坊餐饮的审核已记录")

    page.get_by_role("link", name="审核夕阳红志愿者协会的申请").click()
    page.fill(f"#id_score_{criteria[0].pk}", "70")
    page.fill(f"#id_score_{criteria[1].pk}", "65")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("main table")).to_contain_text("72.50")
    screenshot(page, "selection-journey-ranked")

    page.locator("#award-heading ~ form").get_by_label("金味坊餐饮").check()
    page.fill("#id_award-reason", "加权总分最高，食品安全管理完备。")
    page.get_by_role("button", name="选定", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("本次征集已选定金味坊餐饮")
    expect(page.locator("main")).to_contain_text("已选定金味坊餐饮。")
    screenshot(page, "selection-journey-awarded")
    call.refresh_from_db()
    assert call.status == CallStatus.AWARDED and call.awarded_application == kitchen
    expect(page).to_have_url(re.compile(rf"/dashboard/calls/{call.pk}/$"))
