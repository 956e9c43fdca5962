"""The admin's lists show amounts and hours grouped by thousands, in Chinese as in English."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    return client


def changelist(client, model: str, language: str) -> str:
    response = client.get(reverse(f"admin:{model}_changelist"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_budgets_and_proposed_budgets_are_grouped(superuser_client, language):
    factories.ProjectFactory(budget=Decimal("368000"))
    factories.ApplicationFactory(proposed_budget=Decimal("80000"))

    assert ">368,000.00<" in changelist(superuser_client, "coproduction_project", language)
    html = changelist(superuser_client, "coproduction_application", language)
    assert ">80,000.00<" in html and "80000.00" not in html


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_contributions_value_and_quantity_are_grouped(superuser_client, language):
    factories.ContributionFactory(value=Decimal("50000"), quantity=Decimal("1250.5"))

    html = changelist(superuser_client, "coproduction_contribution", language)

    assert ">50,000.00<" in html and ">1,250.5<" in html


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_reports_balance_and_a_check_ins_hours_are_grouped(superuser_client, language):
    factories.ServiceReportFactory(cost=Decimal("120000"), income=Decimal("9000"), subsidy=Decimal("10000"))
    factories.CheckInFactory(hours=Decimal("1.5"))

    assert ">-101,000.00<" in changelist(superuser_client, "coproduction_servicereport", language)
    assert ">1.5<" in changelist(superuser_client, "coproduction_checkin", language)


def test_a_project_without_a_budget_shows_the_empty_mark(superuser_client):
    factories.ProjectFactory(budget=None)

    html = changelist(superuser_client, "coproduction_project", "zh-hans")

    assert '<td class="field-budget_display">-</td>' in html


def test_the_amount_columns_sort_by_their_fields(superuser_client):
    factories.ApplicationFactory(proposed_budget=Decimal("80000"))
    factories.ApplicationFactory(proposed_budget=Decimal("1200000"))

    html = superuser_client.get(reverse("admin:coproduction_application_changelist") + "?o=4").content.decode()

    assert html.index("80,000.00") < html.index("1,200,000.00")
