"""Our record: breaches with their sanctions, evaluations with indicator scores, trust scores."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability.models import BreachStatus, Sanction
from evaluation.models import Evaluation, IndicatorScore, TrustScore
from tests import factories
from tests.pages import queries_to_get, resident_user_of, staff_of

pytestmark = pytest.mark.django_db
RECORD = reverse("partner_portal:record")


def evaluation_of(project, *, start=date(2025, 1, 1), total="86.50", grade="A"):
    evaluation = Evaluation.objects.create(
        project=project,
        period_start=start,
        period_end=start + timedelta(days=150),
        evaluator=factories.UserFactory(),
        total=Decimal(total),
        grade=grade,
    )
    indicator = project.service_item.indicators.create(
        code=f"meals-{start:%Y%m}", name="Meals served", weight=100, source="report_outputs"
    )
    IndicatorScore.objects.create(evaluation=evaluation, indicator=indicator, weight=100, score=Decimal("86.50"))
    return evaluation


def test_the_record_shows_breaches_with_status_and_sanction(client, provider, staff):
    factories.BreachFactory(
        project=provider.project,
        organisation=provider.organisation,
        duty__accountable=provider,
        status=BreachStatus.RESOLVED,
        resolved_at=timezone.now(),
        resolved_by=factories.UserFactory(),
        sanction=Sanction.WARNING,
        resolution="Menu posted late; warned.",
    )
    factories.BreachFactory(project=provider.project)  # another organisation's
    client.force_login(staff)

    response = client.get(RECORD)

    [breach] = response.context["breaches"]
    assert breach.organisation == provider.organisation
    html = response.content.decode()
    assert "Overdue duty" in html and "Warning" in html and "Resolved" in html


def test_the_record_shows_evaluations_with_grade_total_and_indicator_scores(client, provider, staff):
    evaluation_of(provider.project)
    evaluation_of(factories.ProjectFactory())  # a project we do not deliver
    client.force_login(staff)

    response = client.get(RECORD)

    assert [e.project for e in response.context["evaluations"]] == [provider.project]
    html = response.content.decode()
    assert "86.50" in html and "Excellent" in html and "Meals served" in html


def test_the_record_shows_the_latest_trust_score_with_its_components_and_how_it_is_computed(client, provider, staff):
    TrustScore.objects.create(
        organisation=provider.organisation,
        computed_on=date(2026, 1, 1),
        score=Decimal("60"),
        evaluation_component=Decimal("70"),
        breach_component=Decimal("10"),
    )
    TrustScore.objects.create(
        organisation=provider.organisation,
        computed_on=date(2026, 1, 2),
        score=Decimal("65.00"),
        evaluation_component=Decimal("70.00"),
        breach_component=Decimal("5.00"),
    )
    client.force_login(staff)

    response = client.get(RECORD)

    [organisation] = response.context["organisations"]
    assert organisation.trust.score == Decimal("65.00")
    html = response.content.decode()
    assert "65.00" in html and "−5.00" in html and reverse("partner_portal:trust_score") in html


def test_an_organisation_without_a_trust_score_says_so(client, staff):
    client.force_login(staff)
    assert "Not computed yet." in client.get(RECORD).content.decode()


def test_the_trust_score_page_explains_the_rule_with_its_figures(client, staff):
    client.force_login(staff)
    html = client.get(reverse("partner_portal:trust_score")).content.decode()
    assert "capped at 60 points" in html and "the component is 70" in html


def test_residents_may_not_open_the_record(client, provider):
    client.force_login(resident_user_of(provider.project.community))
    assert client.get(RECORD).status_code == 403


def organisation_with_record(count):
    part = factories.ParticipationFactory()
    for index in range(count):
        factories.BreachFactory(project=part.project, organisation=part.organisation, duty__accountable=part)
        evaluation_of(part.project, start=date(2020 + index // 2, 1 + 6 * (index % 2), 1))
    return part.organisation


def test_the_record_makes_as_many_queries_for_30_rows_as_for_3(client):
    client.force_login(staff_of(organisation_with_record(3)))
    few = queries_to_get(client, RECORD)
    client.force_login(staff_of(organisation_with_record(30)))
    assert queries_to_get(client, RECORD) == few
