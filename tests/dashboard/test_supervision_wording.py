"""A supervision report reads in Chinese on the page, the printable page and the e-mail: no codes, no None."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accountability.models import SupervisionReport
from accountability.services.supervision_reports import supervision_reports_build
from tests import factories
from tests.pages import official_of

pytestmark = pytest.mark.django_db

FIGURES = {
    "projects": {"total": 3, "by_stage": {"operation": 2, "design": 1}, "by_mode": {"administrative_absorption": 3}},
    "duties": {"due": 5, "completed": 4, "missed": 1},
    "breaches": {"opened": 2, "resolved": 0, "opened_by_kind": {"overdue_duty": 2}},
    "complaints": {"filed": 4, "answered": 0, "mean_response_hours": None, "overdue": 1},
    "inspections": {"total": 1, "by_result": {"minor_issues": 1}},
    "reports": {"pending_review": 0},
    "satisfaction": {"ratings": 0, "mean": None},
    "top_risks": [],
}


@pytest.fixture
def report():
    return factories.SupervisionReportFactory(data=FIGURES)


@pytest.fixture
def chinese_client(client, report):
    client.force_login(official_of(report.community))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-Hans"
    return client


def test_the_page_names_each_figure_in_its_own_words(chinese_client, report):
    response = chinese_client.get(reverse("dashboard:supervision_detail", kwargs={"pk": report.pk}))

    sections = dict(response.context["sections"])
    assert sections["项目"][0] == ("总数", "3")
    assert sections["职责"][0] == ("应完成", "5")
    assert sections["投诉"][0] == ("新提交", "4")
    page = response.content.decode()
    for wrong in ("总分", "截止日期", "提交时间"):
        assert wrong not in page


def test_the_groups_and_their_values_are_translated(chinese_client, report):
    page = chinese_client.get(reverse("dashboard:supervision_detail", kwargs={"pk": report.pk})).content.decode()

    assert "按阶段：运营" in page
    for english in (
        "By stage",
        "By mode",
        "Opened, by kind",
        "By result",
        "operation",
        "overdue_duty",
        "minor_issues",
        "administrative_absorption",
    ):
        assert english not in page


def test_a_mean_with_nothing_to_average_says_so_instead_of_none(chinese_client, report):
    for name in ("supervision_detail", "supervision_print"):
        page = chinese_client.get(reverse(f"dashboard:{name}", kwargs={"pk": report.pk})).content.decode()
        assert "无（本期没有已答复的投诉）" in page and "无（本期没有评分）" in page
        assert "None" not in page


def test_the_printable_page_speaks_chinese(chinese_client, report):
    page = chinese_client.get(reverse("dashboard:supervision_print", kwargs={"pk": report.pk})).content.decode()
    assert "按结果：" in page and "总数" in page and "By result" not in page


def test_the_email_says_none_in_words(settings):
    community = factories.CommunityFactory()
    factories.OfficialPostFactory(community=community, user=factories.UserFactory(email="director@example.org"))

    with translation.override("zh-hans"):
        supervision_reports_build(period_kind="monthly", period_start=date(2025, 3, 1), community_id=community.pk)

    assert SupervisionReport.objects.filter(community=community).exists()
    body = mail.outbox[0].body
    assert "None" not in body
    assert "无（本期没有已答复的投诉）" in body and "满意度：本期没有评分" in body
