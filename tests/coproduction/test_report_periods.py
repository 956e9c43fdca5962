"""A report is filed once its period is over, and a returned report's period can be corrected."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coproduction.models import ReportStatus, ServiceReport
from coproduction.services.reports import earliest_filing_day, report_resubmit, report_review, report_submit
from tests.coproduction.report_fixtures import march, media, provider

pytestmark = pytest.mark.django_db


def submit(provider, **changes) -> ServiceReport:
    return report_submit(
        project=provider.project, organisation=provider.organisation, user=provider.staff, **march(**changes)
    )


def codes(caught) -> dict:
    return {field: [error.code for error in errors] for field, errors in caught.value.error_dict.items()}


def returned(provider, **changes) -> ServiceReport:
    return report_review(
        report=submit(provider, **changes), user=provider.official, accept=False, comment="The period is wrong."
    )


def test_a_period_is_filed_from_the_day_after_it_ends():
    assert earliest_filing_day(date(2026, 12, 31)) == date(2027, 1, 1)


def test_a_period_that_ends_in_the_future_is_refused_naming_the_earliest_filing_day(provider):
    today = timezone.localdate()

    with pytest.raises(ValidationError) as caught:
        submit(provider, period_start=today.replace(day=1), period_end=today + timedelta(days=3))

    assert codes(caught) == {"period_end": ["period_not_ended"]}
    message = caught.value.error_dict["period_end"][0].message
    assert (today + timedelta(days=4)).isoformat() in message
    assert not ServiceReport.objects.exists()


def test_a_period_ending_today_is_not_over_yet(provider):
    today = timezone.localdate()

    with pytest.raises(ValidationError) as caught:
        submit(provider, period_start=today, period_end=today)

    assert codes(caught) == {"period_end": ["period_not_ended"]}


def test_a_period_that_ended_yesterday_is_accepted(provider):
    yesterday = timezone.localdate() - timedelta(days=1)

    report = submit(provider, period_start=yesterday, period_end=yesterday)

    assert report.period_end == yesterday


def test_a_returned_report_s_period_is_corrected_on_resubmission(provider):
    report = returned(provider, period_start=date(2025, 3, 1), period_end=date(2025, 3, 30))

    again = report_resubmit(
        report=report, user=provider.staff, period_start=date(2025, 4, 1), period_end=date(2025, 4, 30)
    )

    assert (again.period_start, again.period_end) == (date(2025, 4, 1), date(2025, 4, 30))
    assert again.status == ReportStatus.SUBMITTED
    assert again.events.latest("pk").figures["period_start"] == "2025-04-01"


def test_a_corrected_period_that_overlaps_another_report_is_refused(provider):
    submit(provider, period_start=date(2025, 4, 1), period_end=date(2025, 4, 30))
    report = returned(provider)

    with pytest.raises(ValidationError) as caught:
        report_resubmit(
            report=report, user=provider.staff, period_start=date(2025, 3, 15), period_end=date(2025, 4, 15)
        )

    assert codes(caught) == {"period_start": ["period_overlaps"]}
    assert ServiceReport.objects.get(pk=report.pk).period_start == date(2025, 3, 1)


def test_a_corrected_period_outside_the_project_is_refused(provider):
    report = returned(provider)

    with pytest.raises(ValidationError) as caught:
        report_resubmit(
            report=report, user=provider.staff, period_start=date(2024, 12, 1), period_end=date(2024, 12, 31)
        )

    assert codes(caught) == {"period_start": ["outside_project"]}


def test_a_corrected_period_that_has_not_ended_is_refused(provider):
    report = returned(provider)
    today = timezone.localdate()

    with pytest.raises(ValidationError) as caught:
        report_resubmit(report=report, user=provider.staff, period_start=today, period_end=today)

    assert codes(caught) == {"period_end": ["period_not_ended"]}
    assert ServiceReport.objects.get(pk=report.pk).status == ReportStatus.RETURNED


def test_a_period_left_out_keeps_the_report_s_own(provider):
    report = returned(provider)

    again = report_resubmit(report=report, user=provider.staff, people_served=99)

    assert (again.period_start, again.period_end) == (date(2025, 3, 1), date(2025, 3, 31))
