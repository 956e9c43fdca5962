"""One provider's report periods on one project never overlap, whatever it submits and officials return."""

from datetime import date, timedelta
from itertools import pairwise

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import event, given
from hypothesis import strategies as st

from coproduction.models import ReportStatus, ServiceReport
from coproduction.services.reports import report_resubmit, report_review, report_submit
from tests.coproduction.report_fixtures import march, media, provider
from tests.properties.examples import DATABASE_EXAMPLES, rolled_back

pytestmark = pytest.mark.django_db

PROJECT_START, PROJECT_END = date(2025, 1, 1), date(2027, 12, 31)  # the provider fixture's project

submit = st.tuples(st.just("submit"), st.integers(-40, 1120), st.integers(-2, 75))  # start day, length in days
review = st.tuples(st.sampled_from(["return", "accept", "resubmit"]), st.integers(0, 30))


def _may_submit(start: date, end: date, periods: list[tuple[date, date]]) -> bool:
    within = PROJECT_START <= start <= end <= PROJECT_END
    ended = end < timezone.localdate()  # a period is reported once it has ended, in the community's date
    return within and ended and all(end < other_start or start > other_end for other_start, other_end in periods)


def _submit(provider, periods, start_day: int, length: int) -> None:
    start = PROJECT_START + timedelta(days=start_day)
    end = start + timedelta(days=length)
    expected = _may_submit(start, end, periods)
    try:
        report_submit(
            project=provider.project,
            organisation=provider.organisation,
            user=provider.staff,
            **march(period_start=start, period_end=end),
        )
    except ValidationError:
        assert not expected, f"a report on {start}..{end} was refused though its period is free"
        return
    assert expected, f"a report on {start}..{end} was accepted over {periods}"
    periods.append((start, end))


def _review(provider, action: str, index: int) -> None:
    reports = list(ServiceReport.objects.order_by("pk"))
    if not reports:
        return
    report = reports[index % len(reports)]
    status = report.status
    try:
        if action == "resubmit":
            report_resubmit(report=report, user=provider.staff, narrative="Corrected figures.")
        else:
            report_review(report=report, user=provider.official, accept=action == "accept", comment="Receipts?")
    except ValidationError:
        assert status != (ReportStatus.RETURNED if action == "resubmit" else ReportStatus.SUBMITTED)
        return
    assert status == (ReportStatus.RETURNED if action == "resubmit" else ReportStatus.SUBMITTED)


def assert_no_overlap() -> None:
    periods = list(ServiceReport.objects.order_by("period_start").values_list("period_start", "period_end"))
    for (_, earlier_end), (later_start, _) in pairwise(periods):
        assert earlier_end < later_start, f"overlapping report periods: {periods}"


@DATABASE_EXAMPLES
@given(operations=st.lists(st.one_of(submit, submit, review), min_size=1, max_size=12))
def test_report_periods_never_overlap(provider, operations):
    with rolled_back():
        periods: list[tuple[date, date]] = []
        for operation, *arguments in operations:
            if operation == "submit":
                _submit(provider, periods, *arguments)
            else:
                _review(provider, operation, *arguments)
            assert_no_overlap()
        event(f"reports on record: {min(len(periods), 3)}")
