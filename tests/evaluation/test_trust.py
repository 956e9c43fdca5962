"""Trust scores: the mean of recent evaluations less a capped deduction for breaches, one row a day."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accountability.models import BreachStatus, Sanction
from audit.models import AuditAction, AuditEntry
from coproduction.models import ParticipationRole
from evaluation.models import TrustScore
from evaluation.services.trust_scores import trust_scores_compute
from tests.factories import (
    BreachFactory,
    EvaluationFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def organisation():
    return OrganisationFactory()


def evaluated(
    organisation, total, *, ended_days_ago=30, role=ParticipationRole.PROVIDER, joined_on=date(2020, 1, 1), project=None
):
    """An evaluation of a project the organisation takes part in, for a half year ending that many days ago."""
    project = project or ProjectFactory()
    ParticipationFactory(project=project, organisation=organisation, role=role, joined_on=joined_on)
    period_end = timezone.localdate() - timedelta(days=ended_days_ago)
    return EvaluationFactory(
        project=project, period_start=period_end - timedelta(days=181), period_end=period_end, total=Decimal(total)
    )


def breach(organisation, *, resolved_days_ago=None, sanction=Sanction.NONE):
    if resolved_days_ago is None:
        return BreachFactory(organisation=organisation)
    resolved_at = timezone.now() - timedelta(days=resolved_days_ago)
    return BreachFactory(
        organisation=organisation,
        status=BreachStatus.RESOLVED,
        resolved_at=resolved_at,
        resolved_by=UserFactory(),
        resolution="Put right.",
        sanction=sanction,
        detected_at=resolved_at - timedelta(days=5),
    )


def score_of(organisation, day=None) -> TrustScore:
    return TrustScore.objects.get(organisation=organisation, computed_on=day or timezone.localdate())


def compute(*organisations, on=None):
    return trust_scores_compute(organisations=list(organisations), on=on)


# --- the evaluation component ----------------------------------------------------------------


def test_an_organisation_without_evaluations_or_breaches_starts_at_70(organisation):
    compute(organisation)

    trust = score_of(organisation)
    assert (trust.score, trust.evaluation_component, trust.breach_component) == (Decimal("70"), Decimal("70"), 0)
    assert trust.details["default_evaluation_used"] is True
    assert trust.details["evaluation_mean"] is None


def test_the_evaluation_component_is_the_mean_of_evaluations_as_provider_or_lead(organisation):
    evaluated(organisation, "88")
    evaluated(organisation, "82", ended_days_ago=200)
    evaluated(organisation, "79", role=ParticipationRole.LEAD)

    compute(organisation)

    trust = score_of(organisation)
    assert (trust.evaluation_component, trust.score) == (Decimal("83.00"), Decimal("83.00"))
    assert (trust.details["evaluations"], trust.details["evaluation_mean"]) == (3, 83.0)


def test_the_mean_is_rounded_to_two_places(organisation):
    for total in ("80", "80", "81"):
        evaluated(organisation, total)

    compute(organisation)

    assert score_of(organisation).evaluation_component == Decimal("80.33")


def test_evaluations_of_projects_where_it_only_co_funds_do_not_count(organisation):
    evaluated(organisation, "90")
    evaluated(organisation, "20", role=ParticipationRole.CO_FUNDER)

    compute(organisation)

    assert score_of(organisation).evaluation_component == Decimal("90.00")


def test_evaluations_older_than_two_years_do_not_count(organisation):
    evaluated(organisation, "90")
    evaluated(organisation, "20", ended_days_ago=731)

    compute(organisation)

    assert score_of(organisation).details["evaluations"] == 1


def test_evaluations_of_periods_before_the_organisation_joined_do_not_count(organisation, today):
    evaluated(organisation, "20", joined_on=today)

    compute(organisation)

    assert score_of(organisation).details["default_evaluation_used"] is True


def test_an_evaluation_counts_once_for_an_organisation_that_is_lead_and_provider(organisation):
    project = ParticipationFactory(organisation=organisation, role=ParticipationRole.LEAD).project
    evaluated(organisation, "60", project=project)
    evaluated(organisation, "90")

    compute(organisation)

    assert score_of(organisation).details["evaluations"] == 2
    assert score_of(organisation).evaluation_component == Decimal("75.00")


# --- the breach deduction --------------------------------------------------------------------


def test_breaches_deduct_5_open_2_resolved_this_year_and_5_more_for_a_suspension(organisation):
    breach(organisation)
    breach(organisation, resolved_days_ago=30)
    breach(organisation, resolved_days_ago=60, sanction=Sanction.SUSPENSION)
    breach(organisation, resolved_days_ago=400, sanction=Sanction.BLACKLIST)

    compute(organisation)

    trust = score_of(organisation)
    assert (trust.breach_component, trust.score) == (Decimal("14.00"), Decimal("56.00"))
    assert (trust.details["open_breaches"], trust.details["resolved_breaches_last_year"]) == (1, 2)
    assert trust.details["severe_sanctions_last_year"] == 1


def test_a_blacklisting_counts_like_a_suspension(organisation):
    breach(organisation, resolved_days_ago=10, sanction=Sanction.BLACKLIST)

    compute(organisation)

    assert score_of(organisation).breach_component == Decimal("7.00")


def test_another_organisations_breaches_do_not_count(organisation):
    breach(OrganisationFactory())

    compute(organisation)

    assert score_of(organisation).breach_component == 0


def test_the_deduction_is_capped_at_60(organisation):
    evaluated(organisation, "95")
    for _ in range(13):
        breach(organisation)

    compute(organisation)

    trust = score_of(organisation)
    assert (trust.breach_component, trust.score, trust.details["deduction_before_cap"]) == (Decimal("60"), 35, 65)


def test_the_score_never_falls_below_zero(organisation):
    evaluated(organisation, "40")
    for _ in range(12):
        breach(organisation)

    compute(organisation)

    assert score_of(organisation).score == 0


def test_a_breach_detected_after_the_day_computed_does_not_count(organisation, today):
    breach(organisation)

    compute(organisation, on=today - timedelta(days=1))

    assert score_of(organisation, today - timedelta(days=1)).breach_component == 0


# --- one row a day, with history -------------------------------------------------------------


def test_computing_again_the_same_day_updates_that_days_row(organisation):
    compute(organisation)
    breach(organisation)

    compute(organisation)

    assert TrustScore.objects.filter(organisation=organisation).count() == 1
    assert score_of(organisation).score == Decimal("65.00")


def test_each_day_keeps_its_own_row(organisation, today):
    compute(organisation, on=today - timedelta(days=1))
    breach(organisation)

    compute(organisation, on=today)

    history = list(TrustScore.objects.filter(organisation=organisation).values_list("computed_on", "score"))
    assert history == [(today, Decimal("65.00")), (today - timedelta(days=1), Decimal("70.00"))]


def test_every_organisation_is_scored_by_default_and_the_count_returned():
    organisations = OrganisationFactory.create_batch(3)

    written = trust_scores_compute()

    assert written == 3
    assert set(TrustScore.objects.values_list("organisation", flat=True)) == {o.pk for o in organisations}


def test_only_the_organisations_asked_for_are_scored(organisation):
    OrganisationFactory()

    assert compute(organisation) == 1
    assert list(TrustScore.objects.values_list("organisation", flat=True)) == [organisation.pk]


def test_a_queryset_of_organisations_may_be_given(organisation):
    OrganisationFactory(name="Elsewhere")

    trust_scores_compute(organisations=type(organisation).objects.filter(pk=organisation.pk))

    assert list(TrustScore.objects.values_list("organisation", flat=True)) == [organisation.pk]


# --- audit -----------------------------------------------------------------------------------


def test_a_new_score_is_audited_with_no_actor(organisation):
    compute(organisation)

    entry = AuditEntry.objects.get(content_type__model="trustscore")
    assert (entry.action, entry.actor, entry.object_id) == (AuditAction.CREATE, None, str(score_of(organisation).pk))
    assert entry.after["score"] == "70.00"


def test_a_changed_score_is_audited_with_before_and_after(organisation):
    compute(organisation)
    breach(organisation)

    compute(organisation)

    entry = AuditEntry.objects.filter(content_type__model="trustscore").order_by("id").last()
    assert entry.action == AuditAction.CHANGE
    assert (entry.before["score"], entry.after["score"]) == ("70.00", "65.00")


def test_an_unchanged_score_writes_no_new_entry(organisation):
    compute(organisation)

    compute(organisation)

    assert AuditEntry.objects.filter(content_type__model="trustscore").count() == 1


# --- set-based -------------------------------------------------------------------------------


def organisations_with_a_record(count: int) -> None:
    for organisation in OrganisationFactory.create_batch(count):
        evaluated(organisation, "80")
        breach(organisation)
        breach(organisation, resolved_days_ago=20, sanction=Sanction.SUSPENSION)


def queries_to_compute() -> int:
    ContentType.objects.clear_cache()  # so that both runs look the content type up alike
    with CaptureQueriesContext(connection) as queries:
        trust_scores_compute()
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_number_of_organisations():
    organisations_with_a_record(3)
    few = queries_to_compute()
    TrustScore.objects.all().delete()
    organisations_with_a_record(27)

    many = queries_to_compute()

    assert TrustScore.objects.count() > 30
    assert many == few, (few, many)
