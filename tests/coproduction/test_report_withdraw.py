"""A provider withdraws a submitted report before review, then corrects it and submits it again."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditAction, AuditEntry
from coproduction.models import ReportEvent, ReportEventKind, ReportStatus, ServiceReport
from coproduction.services.reports import report_resubmit, report_review, report_submit, report_withdraw
from partners.models import MembershipRole
from tests.coproduction.report_fixtures import march, media, pdf, provider
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def submit(provider, **changes) -> ServiceReport:
    return report_submit(
        project=provider.project, organisation=provider.organisation, user=provider.staff, **march(**changes)
    )


def test_the_submitter_withdraws_a_report_awaiting_review(provider):
    report = submit(provider)

    withdrawn = report_withdraw(report=report, user=provider.staff)

    assert withdrawn.status == ReportStatus.WITHDRAWN
    assert [event.kind for event in report.events.order_by("pk")] == [
        ReportEventKind.SUBMITTED,
        ReportEventKind.WITHDRAWN,
    ]
    entry = AuditEntry.objects.filter(action=AuditAction.TRANSITION).latest("pk")
    assert entry.actor == provider.staff and entry.object_id == str(report.pk)


def test_a_manager_of_the_organisation_may_withdraw_a_colleague_s_report(provider):
    report = submit(provider)
    manager = MembershipFactory(organisation=provider.organisation, role=MembershipRole.MANAGER).user

    assert report_withdraw(report=report, user=manager).status == ReportStatus.WITHDRAWN


def test_another_staff_member_may_not_withdraw_a_colleague_s_report(provider):
    report = submit(provider)
    colleague = MembershipFactory(organisation=provider.organisation, role=MembershipRole.STAFF).user

    with pytest.raises(PermissionDenied):
        report_withdraw(report=report, user=colleague)
    assert ServiceReport.objects.get().status == ReportStatus.SUBMITTED


def test_someone_outside_the_organisation_may_not_withdraw(provider):
    report = submit(provider)

    with pytest.raises(PermissionDenied):
        report_withdraw(report=report, user=UserFactory())


def test_a_reviewed_report_cannot_be_withdrawn(provider):
    report = report_review(report=submit(provider), user=provider.official, accept=True)

    with pytest.raises(ValidationError) as caught:
        report_withdraw(report=report, user=provider.staff)

    assert caught.value.code == "not_submitted"
    assert ServiceReport.objects.get().status == ReportStatus.ACCEPTED
    assert not ReportEvent.objects.filter(kind=ReportEventKind.WITHDRAWN).exists()


def test_a_withdrawn_report_cannot_be_reviewed(provider):
    report = report_withdraw(report=submit(provider), user=provider.staff)

    with pytest.raises(ValidationError) as caught:
        report_review(report=report, user=provider.official, accept=True)

    assert caught.value.code == "not_submitted"


def test_a_withdrawn_report_is_edited_and_submitted_again_as_a_new_revision(provider):
    report = report_withdraw(report=submit(provider), user=provider.staff)

    again = report_resubmit(report=report, user=provider.staff, people_served=130, attachments=[pdf()])

    assert (again.status, again.revision, again.people_served) == (ReportStatus.SUBMITTED, 2, 130)
    assert again.attachments.count() == 1
    assert list(again.events.values_list("kind", flat=True).order_by("pk")) == [
        ReportEventKind.SUBMITTED,
        ReportEventKind.WITHDRAWN,
        ReportEventKind.RESUBMITTED,
    ]


def test_a_withdrawn_report_keeps_its_period_from_a_second_submission(provider):
    report_withdraw(report=submit(provider), user=provider.staff)

    with pytest.raises(ValidationError) as caught:
        submit(provider)

    assert [error.code for error in caught.value.error_dict["period_start"]] == ["duplicate_period"]
    assert ServiceReport.objects.count() == 1


def test_a_submitted_report_is_not_resubmitted_without_a_withdrawal(provider):
    report = submit(provider)

    with pytest.raises(ValidationError) as caught:
        report_resubmit(report=report, user=provider.staff, people_served=1)

    assert caught.value.code == "not_returned"
    assert ServiceReport.objects.get().period_start == date(2025, 3, 1)
