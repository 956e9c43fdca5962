"""Amounts read the same in both languages (¥80,000.00), hours are grouped, and labour shows its hours apart
from its value in yuan; service-list items are named by name and version, never by code."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from coproduction.models import ContributionKind
from tests import factories
from tests.pages import official_of
from tests.transparency.public_record import awarded_project


def render(source: str, **context) -> str:
    return Template("{% load web %}" + source).render(Context(context))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_amount_is_grouped_with_the_yuan_sign_in_either_language(language):
    with translation.override(language):
        assert render("{{ amount|money }}", amount=Decimal("80000")) == "¥80,000.00"
        assert render('{{ amount|money:"bare" }}', amount=Decimal("1234567.891")) == "1,234,567.89"


def test_a_negative_amount_keeps_its_sign_before_the_yuan_sign():
    assert render("{{ amount|money }}", amount=Decimal("-1500.5")) == "-¥1,500.50"


@pytest.mark.parametrize("empty", [None, "", "not a number"])
def test_a_missing_amount_shows_a_dash(empty):
    assert render("{{ amount|money }}", amount=empty) == "—"


@pytest.mark.parametrize(
    "value,shown",
    [
        (Decimal("50000.00"), "50,000"),
        (7.5, "7.5"),
        (Decimal("0.25"), "0.25"),
        (0, "0"),
        (Decimal("1234.567"), "1,234.57"),
    ],
)
def test_hours_are_grouped_with_no_trailing_zeros(value, shown):
    with translation.override("zh-hans"):
        assert render("{{ value|hours }}", value=value) == shown


def test_ids_in_urls_stay_ungrouped_in_chinese():
    # Only the figures read as amounts are grouped: the site-wide setting stays off.
    with translation.override("zh-hans"):
        assert render("{{ pk }}", pk=12345) == "12345"


@pytest.mark.django_db
def test_a_labour_contribution_names_its_value_in_yuan_and_its_hours_apart():
    contribution = factories.ContributionFactory(
        kind=ContributionKind.LABOUR_HOURS,
        value=Decimal("50000"),
        quantity=Decimal("2000"),
        unit="小时",
    )
    with translation.override("zh-hans"):
        assert str(contribution) == "劳动投入（按工时折价）：¥50,000.00（2,000 小时）"


@pytest.mark.django_db
def test_the_public_project_card_shows_amounts_grouped_in_chinese(client):
    community = factories.CommunityFactory(code="houtai")
    project = awarded_project(community)

    response = client.get(
        reverse("transparency:community", kwargs={"code": community.code}), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    html = response.content.decode()
    assert f"{project.budget:,.2f}" in html
    assert "¥30,000.00" in html


@pytest.mark.django_db
def test_the_public_service_list_names_an_item_by_name_and_version_not_code(client):
    community = factories.CommunityFactory(code="houtai")
    factories.ServiceListItemFactory(name="家政服务", code="housekeeping", version=1)

    response = client.get(
        reverse("transparency:community", kwargs={"code": community.code}), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    html = response.content.decode()
    assert "家政服务（第1版）" in html
    assert "housekeeping" not in html


@pytest.mark.django_db
def test_the_dashboard_shows_a_contributions_hours_beside_its_value(client):
    contribution = factories.ContributionFactory(
        kind=ContributionKind.LABOUR_HOURS,
        value=Decimal("50000"),
        quantity=Decimal("2000"),
        unit="小时",
    )
    project = contribution.project
    client.force_login(official_of(project.community))

    response = client.get(
        reverse("dashboard:project_detail", kwargs={"pk": project.pk}), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    html = response.content.decode()
    assert "2,000 小时" in html and "50,000.00" in html
