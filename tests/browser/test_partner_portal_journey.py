"""In Chinese, at desktop width: an NGO's manager applies to a call with a file, reports on a month (refused for
one not yet over), withdraws and resubmits, corrects a returned report's period, and completes a duty with a photo."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from accountability.models import DutyCompletionAttachment
from coproduction.models import ApplicationAttachment, ParticipationRole, ReportStatus, ServiceReport
from coproduction.services.reports import report_review
from partners.models import MembershipRole
from tests import factories
from tests.browser.conftest import DESKTOP, login, screenshot, user_with_password


def chinese_page(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **options)
    context.set_default_timeout(15_000)
    return context, context.new_page()


def month_before(day):
    """The first and last days of the month before `day`'s month."""
    last = day.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def chinese_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def fill_figures(page):
    page.get_by_label("服务人数").fill("120")
    page.get_by_label("服务单位数").fill("2400")
    page.get_by_label("成本（元）").fill("36000")
    page.get_by_label("收入（元）").fill("12000")
    page.get_by_label("补贴（元）").fill("20000")
    page.get_by_label("情况说明").fill("为70岁以上老人提供工作日午餐。")


def test_a_partner_applies_reports_withdraws_corrects_and_completes_a_duty(browser, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    community = factories.CommunityFactory(name="后台社区", code="houtai")
    project = factories.ProjectFactory(community=community, name="老年助餐食堂", service_item__name="老年助餐")
    kitchen = factories.OrganisationFactory(name="幸福厨房")
    provider = factories.ParticipationFactory(project=project, organisation=kitchen, role=ParticipationRole.PROVIDER)
    manager = user_with_password(factories.UserFactory(username="li", display_name="李经理"))
    factories.MembershipFactory(organisation=kitchen, user=manager, role=MembershipRole.MANAGER)
    official = factories.OfficialPostFactory(community=community, user__display_name="张主任").user
    call = factories.CallFactory(
        project__community=community,
        project__name="绿地认领",
        project__service_item__name="绿地养护",
        title="社区绿地养护服务",
    )
    factories.CriterionFactory(call=call, name="服务经验", weight=60, description="三年以上绿地养护经验")
    factories.CriterionFactory(call=call, name="报价", weight=40)
    duty = factories.DutyFactory(
        project=project, accountable=provider, title="每周厨房卫生检查", next_due_on=today - timedelta(days=1)
    )
    plan = tmp_path / "养护方案.pdf"
    plan.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    receipts = tmp_path / "收据.pdf"
    receipts.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    photo = tmp_path / "厨房.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64)
    last_month_start, last_month_end = month_before(today)
    earlier_start, earlier_end = month_before(last_month_start)

    context, page = chinese_page(browser, live_server, viewport=DESKTOP)
    login(page, live_server, "li")
    expect(page).to_have_url(re.compile(r"/portal/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("合作机构门户")
    screenshot(page, "partner-journey-01-home")

    # A manager applies to a call, seeing how applications are scored, with a file.
    page.locator("nav.section-nav").get_by_role("link", name="开放中的征集").click()
    page.get_by_role("link", name=re.compile("^申请")).first.click()
    criteria = page.locator("section", has=page.get_by_role("heading", name="申请的评分方式"))
    expect(criteria.locator("tbody tr").first).to_contain_text("服务经验")
    expect(criteria.locator("tbody tr").first).to_contain_text("60%")
    expect(criteria).to_contain_text("三年以上绿地养护经验")
    expect(criteria).to_contain_text("0–100")
    page.get_by_label("实施方案").fill("每周两次除草、浇水，配备三名养护员。")
    page.get_by_label("拟议预算（元）").fill("80000")
    # Screenshots come before choosing files: a full-page capture after it leaves Chromium's next click unsent.
    screenshot(page, "partner-journey-02-apply")
    page.set_input_files("#id_attachments", str(plan))
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_role("status")).to_contain_text("已为 幸福厨房 提交申请。")
    assert ApplicationAttachment.objects.get().original_name == "养护方案.pdf"
    screenshot(page, "partner-journey-03-applied")

    # The provider reports on the month under way: refused, saying from which day it may be filed.
    page.locator("nav.section-nav").get_by_role("link", name="我们的工作").click()
    page.get_by_role("link", name="服务报告").first.click()
    page.get_by_role("link", name="提交报告").click()
    page.get_by_label("期间开始").fill(today.replace(day=1).isoformat())
    page.get_by_label("期间结束").fill(today.isoformat())
    fill_figures(page)
    page.set_input_files("#id_attachments", str(receipts))
    page.get_by_role("button", name="提交报告").click()
    expect(page.locator("#id_period_end")).to_have_attribute("aria-invalid", "true")
    earliest = (today + timedelta(days=1)).isoformat()
    expect(page.locator(".field--error")).to_contain_text(f"该期间尚未结束：最早可于 {earliest} 提交该期间的报告。")
    expect(page.get_by_label("情况说明")).to_have_value("为70岁以上老人提供工作日午餐。")
    assert not ServiceReport.objects.exists()
    screenshot(page, "partner-journey-04-future-period-refused")

    # ... and on last month, which is over: accepted.
    page.get_by_label("期间开始").fill(last_month_start.isoformat())
    page.get_by_label("期间结束").fill(last_month_end.isoformat())
    page.set_input_files("#id_attachments", str(receipts))
    page.get_by_role("button", name="提交报告").click()
    expect(page).to_have_url(re.compile(r"/portal/reports/\d+/$"))
    expect(page.get_by_role("status")).to_contain_text("报告已提交审核。")
    expect(page.locator("main")).to_contain_text("收据.pdf")
    screenshot(page, "partner-journey-05-submitted")

    # Withdrawn before review, then submitted again unchanged.
    page.get_by_role("button", name="撤回报告").click()
    expect(page.get_by_role("status").first).to_contain_text("报告已撤回：请在下方修改后重新提交。")
    expect(page.locator("main")).to_contain_text("已撤回")
    report = ServiceReport.objects.get()
    assert report.status == ReportStatus.WITHDRAWN
    screenshot(page, "partner-journey-06-withdrawn")
    page.get_by_role("button", name="重新提交报告").click()
    expect(page.get_by_role("status")).to_contain_text("报告已重新提交审核。")
    screenshot(page, "partner-journey-07-resubmitted")

    # An official returns it: the period was the month before.
    report_review(report=report, user=official, accept=False, comment="服务期间应为上上个月，请更正。")

    page.locator("nav.section-nav").get_by_role("link", name="我们的工作").click()
    waiting = page.locator("section", has=page.get_by_role("heading", name="待修改并重新提交的报告"))
    expect(waiting).to_contain_text("服务期间应为上上个月，请更正。")
    screenshot(page, "partner-journey-08-returned-on-home")
    waiting.get_by_role("link").first.click()
    page.get_by_label("期间开始").fill(earlier_start.isoformat())
    page.get_by_label("期间结束").fill(earlier_end.isoformat())
    screenshot(page, "partner-journey-09-correct-period")
    page.get_by_role("button", name="重新提交报告").click()
    expect(page.get_by_role("status")).to_contain_text("报告已重新提交审核。")
    expect(page.get_by_role("heading", level=1)).to_contain_text(chinese_date(earlier_start))
    report.refresh_from_db()
    assert (report.period_start, report.period_end, report.status) == (
        earlier_start,
        earlier_end,
        ReportStatus.SUBMITTED,
    )
    screenshot(page, "partner-journey-10-period-corrected")

    # The duty, completed with a photo, which is then listed with the evidence.
    page.locator("nav.section-nav").get_by_role("link", name="我们的工作").click()
    page.get_by_role("link", name=re.compile("^记录完成情况")).first.click()
    page.get_by_label("佐证材料").fill("厨房已全面清洁，照片见附件。")
    screenshot(page, "partner-journey-11-duty-form")
    page.set_input_files("#id_attachments", str(photo))
    page.get_by_role("button", name="记录完成情况").click()
    expect(page.get_by_role("status")).to_contain_text("职责已完成：每周厨房卫生检查。")
    completed = page.locator("section", has=page.get_by_role("heading", name="已完成的各期"))
    expect(completed).to_contain_text("厨房已全面清洁，照片见附件。")
    expect(completed.get_by_role("link", name="厨房.jpg")).to_be_visible()
    assert DutyCompletionAttachment.objects.get(completion__duty=duty).content_type == "image/jpeg"
    screenshot(page, "partner-journey-12-duty-completed")
    context.close()
