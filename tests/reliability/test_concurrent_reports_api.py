"""Service reports written from several requests at the same moment, over HTTP, on PostgreSQL.

A report sent twice at once (a double click, a retry after a timeout) is created once; two
officials reviewing the same report at once leave one review, in the report and in its history.
"""

from datetime import date

import pytest
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from audit.models import AuditAction, AuditEntry
from coproduction.models import ReportEvent, ReportEventKind, ReportStatus, ServiceReport
from coproduction.services.reports import report_submit
from tests.coproduction.report_fixtures import march, media, provider
from tests.factories import OfficialPostFactory
from tests.reliability.fixtures import all_at_once, http, on_postgresql, post_json, token_for

pytestmark = [pytest.mark.usefixtures("on_postgresql"), pytest.mark.django_db(transaction=True)]

# Three monthly periods: each is raced over on its own, all at the same moment.
MONTHS = [(date(2025, number, 1), date(2025, number, last)) for number, last in ((1, 31), (2, 28), (3, 31))]


def month(start: date, end: date) -> dict:
    return march(period_start=start, period_end=end)


def by_outcome(outcomes: list) -> dict[int, list]:
    """The response bodies grouped by status."""
    grouped: dict[int, list] = {}
    for status, body in outcomes:
        grouped.setdefault(status, []).append(body)
    return grouped


def test_each_report_sent_twice_at_once_is_created_once_and_the_copy_gets_a_clear_409(live_server, provider):
    token = token_for(provider.staff)
    url = f"{live_server.url}/api/v1/reports/"
    bodies = [
        encode_multipart(
            BOUNDARY, {"project": provider.project.pk, "organisation": provider.organisation.pk, **month(start, end)}
        )
        for start, end in MONTHS
    ]

    def submit(body: bytes):
        return http("POST", url, token=token, body=body, content_type=MULTIPART_CONTENT)

    outcomes = all_at_once([lambda body=body: submit(body) for body in bodies for _copy in range(2)])

    for (start, _end), pair in zip(MONTHS, zip(outcomes[::2], outcomes[1::2], strict=True), strict=True):
        statuses = by_outcome(pair)
        assert sorted(statuses) == [201, 409], pair
        message = f"This organisation has already reported on the period starting {start.isoformat()} for this project."
        refusal = {"message": message, "code": "duplicate_period", "errors": {"period_start": [message]}}
        assert statuses[409] == [refusal]
        report = ServiceReport.objects.get(organisation=provider.organisation, period_start=start)
        assert statuses[201][0]["id"] == report.pk
    assert ServiceReport.objects.count() == len(MONTHS)
    assert ReportEvent.objects.filter(kind=ReportEventKind.SUBMITTED).count() == len(MONTHS)
    assert AuditEntry.objects.filter(
        action=AuditAction.CREATE,
        object_id__in=[str(pk) for pk in ServiceReport.objects.values_list("pk", flat=True)],
        content_type__model="servicereport",
    ).count() == len(MONTHS)


def test_two_officials_reviewing_a_report_at_once_leave_one_review_and_refuse_the_other_clearly(live_server, provider):
    reports = [
        report_submit(
            project=provider.project, organisation=provider.organisation, user=provider.staff, **month(start, end)
        )
        for start, end in MONTHS
    ]
    accepting = provider.official
    returning = OfficialPostFactory(community=provider.project.community).user
    tokens = {accepting: token_for(accepting), returning: token_for(returning)}
    decisions = {accepting: {"accept": True}, returning: {"accept": False, "comment": "Receipts are missing."}}

    def review(report, official):
        url = f"{live_server.url}/api/v1/reports/{report.pk}/review/"
        return post_json(url, decisions[official], token=tokens[official])

    outcomes = all_at_once(
        [
            lambda report=report, official=official: review(report, official)
            for report in reports
            for official in (accepting, returning)
        ]
    )

    for report, pair in zip(reports, zip(outcomes[::2], outcomes[1::2], strict=True), strict=True):
        statuses = by_outcome(pair)
        assert sorted(statuses) == [200, 409], pair
        winner = accepting if pair[0][0] == 200 else returning
        report.refresh_from_db()
        expected = ReportStatus.ACCEPTED if winner == accepting else ReportStatus.RETURNED
        assert (report.status, report.reviewed_by, statuses[200][0]["status"]) == (expected, winner, expected)
        label = "accepted" if expected == ReportStatus.ACCEPTED else "returned for changes"
        assert statuses[409] == [
            {
                "message": f"Only a submitted report can be reviewed; this one is {label}.",
                "code": "not_submitted",
                "errors": {},
            }
        ]
        history = list(report.events.order_by("pk").values_list("kind", "by"))
        assert history == [(ReportEventKind.SUBMITTED, provider.staff.pk), (expected, winner.pk)]
        assert (
            AuditEntry.objects.filter(
                action=AuditAction.TRANSITION, object_id=str(report.pk), content_type__model="servicereport"
            ).count()
            == 1
        )
