"""A community official, in Chinese, records a project's final evaluation from the dashboard and closes the project."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from coproduction.models import Stage
from evaluation.models import Evaluation, IndicatorSource
from tests import factories
from tests.browser.conftest import DESKTOP, login, screenshot, user_with_password


@pytest.fixture
def chinese_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=DESKTOP)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def dining_hall_under_evaluation():
    """A project at the evaluation stage, judged on its record (40) and by the evaluator (60)."""
    community = factories.CommunityFactory(name="后台社区", code="houtai")
    project = factories.ProjectFactory(
        community=community,
        name="老年食堂",
        stage=Stage.EVALUATION,
        start_date=date(2025, 1, 1),
        end_date=date(2025, 12, 31),
    )
    judged_on = [
        ("record", "问责记录", 40, IndicatorSource.BREACHES),
        ("quality", "服务质量", 60, IndicatorSource.EVALUATOR),
    ]
    for code, name, weight, source in judged_on:
        factories.IndicatorFactory(
            service_item=project.service_item,
            code=code,
            name=name,
            weight=weight,
            source=source,
        )
    factories.OfficialPostFactory(community=community, user=user_with_password(factories.UserFactory(username="zhang")))
    return project


def test_an_official_records_the_final_evaluation_and_closes_the_project(chinese_page, live_server):
    page = chinese_page
    project = dining_hall_under_evaluation()

    login(page, live_server, "zhang")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    screenshot(page, "evaluation-journey-1-home")

    page.get_by_role("link", name="后台社区").first.click()
    page.locator(".section-nav").get_by_role("link", name="项目").click()
    page.get_by_role("link", name="老年食堂").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("老年食堂")
    screenshot(page, "evaluation-journey-2-project")

    page.get_by_role("link", name="评估", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("老年食堂 的评估")
    # The record is drawn from the data; the evaluator scores the quality and says why.
    expect(page.locator("#indicator-record")).to_contain_text("100.00")
    page.get_by_label("终期评估（记录后项目可结项）").check()
    page.get_by_label("“服务质量”的评分（0–100）").fill("80")
    page.get_by_label("“服务质量”的评分依据").fill("两次走访，菜单与留样记录齐全。")
    page.get_by_label("评估意见").fill("全年运行平稳。")
    screenshot(page, "evaluation-journey-3-form")

    page.get_by_role("button", name="预览等级").click()
    expect(page.locator("#evaluation-preview")).to_contain_text("A")
    expect(page.locator("#evaluation-preview")).to_contain_text("总分 88.00")
    assert not Evaluation.objects.exists()
    screenshot(page, "evaluation-journey-4-preview")

    page.get_by_role("button", name="记录评估").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("老年食堂 终期评估")
    expect(page.get_by_role("status")).to_contain_text("评估已记录：等级 A（优秀），总分 88.00。")
    expect(page.locator(".evaluation-result")).to_contain_text("优秀")
    expect(page.get_by_text("两次走访，菜单与留样记录齐全。")).to_be_visible()
    screenshot(page, "evaluation-journey-5-result")

    page.get_by_role("link", name="到项目页结项").click()
    page.locator("#id_transition-to_stage").select_option("closed")
    page.locator("#id_transition-reason").fill("合同期满，终期评估为优秀。")
    screenshot(page, "evaluation-journey-6-close")
    page.locator("#move-heading + form button[type=submit]").click()

    expect(page.get_by_role("status")).to_contain_text("项目已转入“已关闭”阶段。")
    expect(page.locator(".stats .badge--closed")).to_have_text("已关闭")
    screenshot(page, "evaluation-journey-7-closed")
    project.refresh_from_db()
    assert project.stage == Stage.CLOSED
