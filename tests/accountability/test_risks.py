"""Risks: raised once per subject by rules reacting to coproduction events; acknowledged and closed by officials."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accountability.models import Risk, RiskKind, RiskStatus, Severity
from accountability.services.risks import (
    LOSS_STREAK_THRESHOLD,
    financial_unsustainability_for,
    risk_acknowledge,
    risk_close,
    risk_raise,
)
from audit.models import AuditAction, AuditEntry
from coproduction.models import Call, ServiceReport
from coproduction.signals import call_awarded, report_submitted
from tests.accountability.conftest import postgresql_only
from tests.factories import (
    CommunityFactory,
    OfficialPostFactory,
    RiskFactory,
    ServiceReportFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def raise_risk(community, **overrides):
    values = {
        "kind": RiskKind.FREE_RIDING,
        "subject_key": "task:7",
        "summary": "Half the plots are never tended.",
        "severity": Severity.MEDIUM,
        **overrides,
    }
    return risk_raise(community=community, **values)


# --- raising ---------------------------------------------------------------------------------


def test_a_rule_raises_a_risk_about_a_subject(project, audit_of):
    risk = raise_risk(project.community, project=project, rule="free_riding", details={"plots": 12})

    stored = Risk.objects.get()
    assert stored == risk
    assert (stored.kind, stored.status, stored.subject_key, stored.project, stored.details) == (
        RiskKind.FREE_RIDING,
        RiskStatus.OPEN,
        "task:7",
        project,
        {"plots": 12},
    )
    assert audit_of(stored, AuditAction.CREATE).get().note == "free_riding"


def test_raising_the_same_risk_again_updates_the_open_record(project, audit_of):
    first = raise_risk(project.community)

    again = raise_risk(project.community, summary="Two thirds of the plots are never tended.", severity=Severity.HIGH)

    assert again.pk == first.pk and Risk.objects.count() == 1
    stored = Risk.objects.get()
    assert (stored.summary, stored.severity) == ("Two thirds of the plots are never tended.", Severity.HIGH)
    assert audit_of(stored, AuditAction.CHANGE).get().before["severity"] == Severity.MEDIUM


def test_raising_an_unchanged_risk_writes_nothing(project, audit_of):
    raise_risk(project.community)

    raise_risk(project.community)

    assert audit_of(Risk.objects.get()).count() == 1


def test_an_acknowledged_risk_stays_acknowledged_when_raised_again(project, official):
    risk_acknowledge(risk=raise_risk(project.community), user=official)

    raise_risk(project.community, severity=Severity.HIGH)

    assert Risk.objects.get().status == RiskStatus.ACKNOWLEDGED


def test_a_closed_risk_raised_again_is_a_new_record(project, official):
    risk_close(risk=raise_risk(project.community), user=official, note="Plots reassigned.")

    raise_risk(project.community)

    assert list(Risk.objects.order_by("raised_at", "pk").values_list("status", flat=True)) == ["closed", "open"]


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"kind": "gossip"}, "kind"),
        ({"severity": "dire"}, "severity"),
        ({"subject_key": " "}, "subject_key"),
        ({"summary": ""}, "summary"),
        ({"summary": "x" * 301}, "summary"),
    ],
)
def test_an_invalid_risk_is_refused_with_a_field_error(project, overrides, field):
    with pytest.raises(ValidationError) as caught:
        raise_risk(project.community, **overrides)

    assert field in caught.value.message_dict
    assert not Risk.objects.exists() and not AuditEntry.objects.exists()


def test_the_project_of_a_risk_is_in_its_community(project):
    with pytest.raises(ValidationError) as caught:
        raise_risk(CommunityFactory(), project=project)

    assert caught.value.error_dict["project"][0].code == "project_elsewhere"
    assert not Risk.objects.exists()


# --- rent-seeking on award -------------------------------------------------------------------


def award(call):
    call_awarded.send(sender=Call, call=call, by=call.awarded_by)


def test_an_award_with_a_single_applicant_raises_a_rent_seeking_risk(awarded_call, project):
    call = awarded_call(single_applicant=True)

    award(call)

    risk = Risk.objects.get()
    assert (risk.kind, risk.subject_key, risk.community, risk.project) == (
        RiskKind.RENT_SEEKING,
        f"call:{call.pk}",
        project.community,
        project,
    )
    assert (risk.organisation, risk.severity, risk.rule) == (
        call.awarded_application.organisation,
        Severity.MEDIUM,
        "rent_seeking_on_award",
    )
    assert risk.details["single_applicant"] is True and risk.details["against_ranking"] is False


def test_an_award_against_the_ranking_raises_a_rent_seeking_risk(awarded_call):
    call = awarded_call(against_ranking=True)

    award(call)

    assert Risk.objects.get(kind=RiskKind.RENT_SEEKING).details["against_ranking"] is True


def test_an_award_with_both_red_flags_is_a_high_risk(awarded_call):
    award(awarded_call(single_applicant=True, against_ranking=True))

    assert Risk.objects.get().severity == Severity.HIGH


def test_a_competitive_award_by_the_ranking_raises_no_risk(awarded_call):
    award(awarded_call())

    assert not Risk.objects.exists()


def test_the_same_award_reported_twice_raises_one_risk(awarded_call):
    call = awarded_call(single_applicant=True)

    award(call)
    award(call)

    assert Risk.objects.count() == 1


# --- financial sustainability on reports ------------------------------------------------------


def month(project, organisation, start: date, *, loss: bool) -> ServiceReport:
    """A monthly report that ran at a loss (cost above income plus subsidy) or broke even."""
    end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    cost = Decimal("20000") if loss else Decimal("19000")
    return ServiceReportFactory(
        project=project,
        organisation=organisation,
        period_start=start,
        period_end=end,
        cost=cost,
        income=Decimal("9000"),
        subsidy=Decimal("10000"),
    )


def submit(report):
    report_submitted.send(sender=ServiceReport, report=report, by=report.submitted_by)


def test_two_loss_making_periods_in_a_row_raise_a_financial_risk(project, provider):
    organisation = provider.organisation
    month(project, organisation, date(2025, 1, 1), loss=True)
    latest = month(project, organisation, date(2025, 2, 1), loss=True)

    submit(latest)

    risk = Risk.objects.get()
    assert (risk.kind, risk.project, risk.organisation, risk.severity) == (
        RiskKind.FINANCIAL_UNSUSTAINABILITY,
        project,
        organisation,
        Severity.MEDIUM,
    )
    assert risk.subject_key == f"project:{project.pk}:organisation:{organisation.pk}"
    assert risk.details == {"periods": 2, "threshold": 2}


def test_a_single_loss_making_period_raises_nothing(project, provider):
    submit(month(project, provider.organisation, date(2025, 1, 1), loss=True))

    assert LOSS_STREAK_THRESHOLD == 2 and not Risk.objects.exists()


def test_a_newer_period_that_breaks_even_ends_the_streak(project, provider):
    organisation = provider.organisation
    month(project, organisation, date(2025, 1, 1), loss=True)
    month(project, organisation, date(2025, 2, 1), loss=True)
    latest = month(project, organisation, date(2025, 3, 1), loss=False)

    submit(latest)

    assert not Risk.objects.exists()


def test_income_plus_subsidy_equal_to_cost_is_not_a_loss(project, provider):
    for start in (date(2025, 1, 1), date(2025, 2, 1)):
        ServiceReportFactory(
            project=project,
            organisation=provider.organisation,
            period_start=start,
            period_end=start + timedelta(days=20),
            cost=Decimal("19000"),
        )

    assert financial_unsustainability_for(project, provider.organisation) is None


def test_four_loss_making_periods_in_a_row_are_a_high_risk_updating_the_same_record(project, provider):
    organisation = provider.organisation
    for number in range(1, 5):
        submit(month(project, organisation, date(2025, number, 1), loss=True))

    risk = Risk.objects.get()
    assert (risk.severity, risk.details["periods"]) == (Severity.HIGH, 4)


def test_another_organisation_reports_do_not_count_towards_the_streak(project, provider, partner):
    month(project, partner.organisation, date(2025, 1, 1), loss=True)
    latest = month(project, provider.organisation, date(2025, 2, 1), loss=True)

    submit(latest)

    assert not Risk.objects.exists()


def test_the_rule_reads_the_reports_in_one_query(project, provider, django_assert_num_queries):
    for number in range(1, 4):
        month(project, provider.organisation, date(2025, number, 1), loss=False)

    with django_assert_num_queries(1):
        assert financial_unsustainability_for(project, provider.organisation) is None


# --- officials' follow-up --------------------------------------------------------------------


@pytest.fixture
def risk(project):
    return RiskFactory(community=project.community)


def test_an_official_acknowledges_an_open_risk(risk, official, audit_of):
    acknowledged = risk_acknowledge(risk=risk, user=official, note="Looking into it.")

    assert Risk.objects.get().status == acknowledged.status == RiskStatus.ACKNOWLEDGED
    entry = audit_of(risk, AuditAction.CHANGE).get()
    assert (entry.actor, entry.note, entry.after["status"]) == (official, "Looking into it.", "acknowledged")


def test_only_an_open_risk_is_acknowledged(risk, official):
    risk_acknowledge(risk=risk, user=official)

    with pytest.raises(ValidationError) as caught:
        risk_acknowledge(risk=risk, user=official)

    assert caught.value.code == "not_open"


def test_an_official_closes_a_risk_saying_what_was_done(risk, official):
    closed = risk_close(risk=risk, user=official, note="Duties reassigned.")

    stored = Risk.objects.get()
    assert stored.status == closed.status == RiskStatus.CLOSED and stored.closed_at is not None


def test_closing_a_risk_needs_a_note(risk, official):
    with pytest.raises(ValidationError) as caught:
        risk_close(risk=risk, user=official, note="")

    assert "note" in caught.value.message_dict
    assert Risk.objects.get().status == RiskStatus.OPEN


def test_a_closed_risk_cannot_be_closed_again(risk, official):
    risk_close(risk=risk, user=official, note="Done.")

    with pytest.raises(ValidationError) as caught:
        risk_close(risk=risk, user=official, note="Done again.")

    assert caught.value.code == "already_closed"


@pytest.mark.parametrize("who", ["other official", "staff", "nobody"])
def test_only_officials_of_the_community_follow_up_risks(risk, who, other_official, provider, staff_of):
    user = {"other official": other_official, "staff": staff_of(provider), "nobody": UserFactory()}[who]

    with pytest.raises(PermissionDenied):
        risk_acknowledge(risk=risk, user=user)
    with pytest.raises(PermissionDenied):
        risk_close(risk=risk, user=user, note="Not mine.")

    assert Risk.objects.get().status == RiskStatus.OPEN


def test_a_district_official_follows_up_risks_of_every_community_below(risk):
    district_official = OfficialPostFactory(community=None, district=risk.community.street.district).user

    assert risk_acknowledge(risk=risk, user=district_official).status == RiskStatus.ACKNOWLEDGED


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_raises_of_one_risk_leave_one_open_record(project, race):
    outcomes = race(lambda number: raise_risk(project.community, severity=Severity.HIGH))

    assert Risk.objects.count() == 1
    assert {outcome.pk for outcome in outcomes} == {Risk.objects.get().pk}
