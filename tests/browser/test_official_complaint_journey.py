"""In Chinese: an official answers one complaint, re-routes another, extends its deadline once and closes it."""

import re

from playwright.sync_api import expect

from accountability.models import Complaint, ComplaintStatus
from accountability.services.complaints import complaint_file
from coproduction.models import ParticipationRole
from tests import factories
from tests.browser.conftest import DESKTOP, login, screenshot, user_with_password


def chinese_page(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **options)
    context.set_default_timeout(15_000)
    return context, context.new_page()


def section(page, heading: str):
    return page.locator("section", has=page.get_by_role("heading", name=heading, exact=True))


def test_an_official_answers_reroutes_extends_and_closes_complaints(browser, live_server):
    community = factories.CommunityFactory(name="后台社区", code="houtai")
    project = factories.ProjectFactory(community=community, name="老年助餐食堂")
    committee = factories.OrganisationFactory(government=True, name="后台社区居委会")
    factories.ParticipationFactory(project=project, role=ParticipationRole.LEAD, organisation=committee)
    kitchen = factories.ParticipationFactory(project=project, organisation__name="幸福厨房").organisation
    factories.MembershipFactory(organisation=kitchen)
    factories.OfficialPostFactory(community=community, user=user_with_password(factories.UserFactory(username="zhang")))
    resident = factories.ResidentFactory(community=community, name="王阿姨")
    late = complaint_file(project=project, resident=resident, subject="送餐迟到一个多小时", body="饭菜都凉了。")
    salty = complaint_file(project=project, resident=resident, subject="饭菜偏咸", body="高血压老人不敢吃。")
    assert late.routed_to == salty.routed_to == kitchen

    context, page = chinese_page(browser, live_server, viewport=DESKTOP)
    login(page, live_server, "zhang")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    screenshot(page, "complaint-journey-1-home")

    page.get_by_role("link", name="后台社区").click()
    page.locator("nav.section-nav").get_by_role("link", name="投诉", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("投诉：后台社区")
    expect(page.locator("tbody tr", has_text="饭菜偏咸")).to_contain_text("幸福厨房")
    screenshot(page, "complaint-journey-2-list")

    page.get_by_role("link", name="送餐迟到一个多小时").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("送餐迟到一个多小时")
    section(page, "答复投诉").get_by_label("答复").fill("已调整配送路线，午餐12点前送达。")
    screenshot(page, "complaint-journey-3-answer")
    page.get_by_role("button", name="发送答复").click()
    expect(page.get_by_role("status")).to_contain_text("答复已发送。")
    expect(page.locator("ol.thread")).to_contain_text("已调整配送路线，午餐12点前送达。")
    screenshot(page, "complaint-journey-4-answered")

    page.get_by_role("link", name="本社区全部投诉").click()
    page.get_by_role("link", name="饭菜偏咸").click()
    rerouting = section(page, "转交给其他一方")
    rerouting.get_by_label("转交给").select_option(label="后台社区居委会（由社区工作人员答复）")
    rerouting.get_by_label("理由").fill("菜谱由居委会制定。")
    screenshot(page, "complaint-journey-5-reroute")
    page.get_by_role("button", name="转交投诉").click()
    expect(page.get_by_role("status")).to_contain_text("投诉已转交。")
    expect(page.locator("dl.facts")).to_contain_text("后台社区居委会（由社区工作人员答复）")

    section(page, "延长答复期限").get_by_label("理由").fill("需与老年协会商定新菜谱。")
    page.get_by_role("button", name="延长期限（仅限一次）").click()
    expect(page.get_by_role("status")).to_contain_text("答复期限已延长。")
    expect(page.locator("dl.facts")).to_contain_text("延期")
    expect(page.get_by_role("button", name="延长期限（仅限一次）")).to_have_count(0)
    screenshot(page, "complaint-journey-6-extended")

    section(page, "关闭投诉").get_by_label("关闭说明").fill("已与王阿姨当面沟通，改为低盐菜谱。")
    page.get_by_role("button", name="关闭投诉").click()
    expect(page.get_by_role("status")).to_contain_text("投诉已关闭。")
    expect(page.locator("main")).to_contain_text("已由工作人员关闭")
    expect(page.locator("ol.thread")).to_contain_text("已与王阿姨当面沟通，改为低盐菜谱。")
    expect(page.get_by_role("button", name="关闭投诉")).to_have_count(0)
    screenshot(page, "complaint-journey-7-closed")
    context.close()

    late.refresh_from_db()
    salty.refresh_from_db()
    assert late.status == ComplaintStatus.ANSWERED
    assert (salty.status, salty.routed_to, salty.deadline_extended_at is not None) == (
        ComplaintStatus.CLOSED,
        committee,
        True,
    )
    assert Complaint.objects.count() == 2
