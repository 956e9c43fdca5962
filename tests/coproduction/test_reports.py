"""Providers submit service reports with attachments; officials accept or return them; losses are counted."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditAction, AuditEntry
from coproduction.models import (
    ParticipationRole,
    ReportAttachment,
    ReportEvent,
    ReportEventKind,
    ReportStatus,
    ServiceReport,
    Stage,
)
from coproduction.selectors.reports import loss_making_streak
from coproduction.services import reports as report_services
from coproduction.services.reports import report_resubmit, report_review, report_submit
from coproduction.signals import report_reviewed, report_submitted
from partners.models import MembershipRole
from tests.coproduction.report_fixtures import (
    docx,
    exe_named_pdf,
    jpeg,
    march,
    media,
    pdf,
    plain_zip,
    png,
    provider,
    sized,
    stored_files,
    xlsx,
)
from tests.factories import (
    MembershipFactory,
    OfficialPostFactory,
    OrganisationFactory,
    ParticipationFactory,
    ServiceReportFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def submit(provider, user=None, **changes) -> ServiceReport:
    return report_submit(
        project=provider.project, organisation=provider.organisation, user=user or provider.staff, **march(**changes)
    )


def refusal(provider, user=None, **changes) -> dict:
    """Submit, expect a refusal, and return its errors by field with their codes."""
    with pytest.raises(ValidationError) as caught:
        submit(provider, user=user, **changes)
    return {field: [error.code for error in errors] for field, errors in caught.value.error_dict.items()}


def nothing_written(media) -> bool:
    return not (
        ServiceReport.objects.exists()
        or ReportEvent.objects.exists()
        or ReportAttachment.objects.exists()
        or AuditEntry.objects.exists()
        or stored_files(media)
    )


@pytest.fixture
def returned(provider):
    """A March report the official returned with a comment."""
    report = submit(provider)
    return report_review(report=report, user=provider.official, accept=False, comment="Receipts are missing.")


@pytest.fixture
def events():
    """The domain events sent while the test runs, as (signal name, report, by)."""
    caught = []

    def listener(name):
        return lambda sender, report, by, **kwargs: caught.append((name, report.pk, by))

    receivers = {report_submitted: listener("submitted"), report_reviewed: listener("reviewed")}
    for signal, receiver in receivers.items():
        signal.connect(receiver, weak=False)
    yield caught
    for signal, receiver in receivers.items():
        signal.disconnect(receiver)


# --- Submitting ------------------------------------------------------------------------------


def test_a_provider_s_staff_submit_a_report_for_a_period_of_the_project(provider):
    report = submit(provider)

    report.refresh_from_db()
    assert (report.status, report.revision, report.submitted_by) == (ReportStatus.SUBMITTED, 1, provider.staff)
    assert (report.people_served, report.service_units) == (120, 900)
    assert (report.cost, report.income, report.subsidy) == (
        Decimal("20000.00"),
        Decimal("9000.00"),
        Decimal("10000.00"),
    )
    assert report.reviewed_by is None and report.review_comment == ""


def test_a_submission_is_kept_in_the_report_s_history_with_its_figures(provider):
    report = submit(provider)

    event = ReportEvent.objects.get(report=report)
    assert (event.kind, event.revision, event.by) == (ReportEventKind.SUBMITTED, 1, provider.staff)
    assert event.figures["cost"] == "20000.00" and event.figures["people_served"] == 120
    assert event.figures["period_start"] == "2025-03-01"


def test_a_submission_writes_an_audit_entry(provider):
    report = submit(provider)

    entry = AuditEntry.objects.get(object_id=str(report.pk), content_type__model="servicereport")
    assert (entry.action, entry.actor) == (AuditAction.CREATE, provider.staff)
    assert entry.after["status"] == ReportStatus.SUBMITTED


def test_a_submission_tells_the_apps_above(provider, events):
    report = submit(provider)

    assert events == [("submitted", report.pk, provider.staff)]


def test_the_lead_of_the_project_may_report_too(provider):
    lead = ParticipationFactory(project=provider.project, role=ParticipationRole.LEAD).organisation
    staff = MembershipFactory(organisation=lead).user

    report = report_submit(project=provider.project, organisation=lead, user=staff, **march())

    assert report.organisation == lead


def test_a_project_being_evaluated_still_takes_reports(provider):
    provider.project.stage = Stage.EVALUATION
    provider.project.save()

    assert submit(provider).status == ReportStatus.SUBMITTED


def test_two_providers_report_on_the_same_period(provider):
    other = ParticipationFactory(project=provider.project).organisation
    submit(provider)

    report_submit(
        project=provider.project, organisation=other, user=MembershipFactory(organisation=other).user, **march()
    )

    assert ServiceReport.objects.filter(project=provider.project, period_start=date(2025, 3, 1)).count() == 2


def test_figures_given_as_text_are_read_as_numbers(provider):
    report = submit(provider, people_served="120", cost="20000.50")

    report.refresh_from_db()
    assert (report.people_served, report.cost) == (120, Decimal("20000.50"))


# --- Who may submit --------------------------------------------------------------------------


def test_a_manager_of_the_provider_reports_as_staff_do(provider):
    manager = MembershipFactory(organisation=provider.organisation, role=MembershipRole.MANAGER).user

    assert submit(provider, user=manager).submitted_by == manager


def test_someone_outside_the_organisation_cannot_submit_its_report(provider, media):
    with pytest.raises(PermissionDenied):
        submit(provider, user=UserFactory())

    assert nothing_written(media)


def test_staff_of_another_organisation_cannot_submit_for_this_one(provider, media):
    with pytest.raises(PermissionDenied):
        submit(provider, user=MembershipFactory(role=MembershipRole.MANAGER).user)

    assert nothing_written(media)


def test_the_community_official_cannot_submit_a_provider_s_report(provider, media):
    with pytest.raises(PermissionDenied):
        submit(provider, user=provider.official)

    assert nothing_written(media)


def test_an_organisation_that_only_funds_the_project_cannot_report_on_it(provider, media):
    funder = ParticipationFactory(project=provider.project, role=ParticipationRole.CO_FUNDER).organisation

    with pytest.raises(ValidationError) as caught:
        report_submit(
            project=provider.project, organisation=funder, user=MembershipFactory(organisation=funder).user, **march()
        )

    assert caught.value.error_dict["organisation"][0].code == "not_a_provider"
    assert nothing_written(media)


def test_an_organisation_not_in_the_project_cannot_report_on_it(provider, media):
    outsider = OrganisationFactory()

    with pytest.raises(ValidationError) as caught:
        report_submit(
            project=provider.project,
            organisation=outsider,
            user=MembershipFactory(organisation=outsider).user,
            **march(),
        )

    assert caught.value.error_dict["organisation"][0].code == "not_a_provider"
    assert nothing_written(media)


@pytest.mark.parametrize("stage", [Stage.DESIGN, Stage.CLOSED])
def test_reports_are_refused_before_operation_and_after_closing(provider, media, stage):
    provider.project.stage = stage
    provider.project.save()

    assert refusal(provider) == {NON_FIELD_ERRORS: ["wrong_stage"]}
    assert nothing_written(media)


# --- The period ------------------------------------------------------------------------------


def test_a_period_that_ends_before_it_starts_is_refused(provider, media):
    assert refusal(provider, period_end=date(2025, 2, 28)) == {"period_end": ["period_reversed"]}
    assert nothing_written(media)


def test_a_period_before_the_project_started_is_refused(provider, media):
    errors = refusal(provider, period_start=date(2024, 12, 1), period_end=date(2024, 12, 31))

    assert errors == {"period_start": ["outside_project"]}
    assert nothing_written(media)


def test_a_period_after_the_project_ended_is_refused(provider, media):
    errors = refusal(provider, period_start=date(2027, 12, 1), period_end=date(2028, 1, 31))

    assert errors == {"period_end": ["outside_project"]}
    assert nothing_written(media)


def test_a_period_on_the_project_s_first_and_last_days_is_accepted(provider):
    provider.project.end_date = date(2025, 12, 31)  # over, so that its last period may be reported on
    provider.project.save(update_fields=["end_date"])

    report = submit(provider, period_start=date(2025, 1, 1), period_end=date(2025, 12, 31))

    assert (report.period_start, report.period_end) == (date(2025, 1, 1), date(2025, 12, 31))


def test_a_second_report_for_the_same_period_is_refused_with_a_clear_message(provider):
    first = submit(provider)

    with pytest.raises(ValidationError) as caught:
        submit(provider, narrative="A second go.")

    assert caught.value.error_dict["period_start"][0].code == "duplicate_period"
    assert "already reported on the period starting 2025-03-01" in caught.value.message_dict["period_start"][0]
    assert list(ServiceReport.objects.all()) == [first]
    assert ReportEvent.objects.count() == 1


def test_a_returned_report_still_holds_its_period(provider, returned):
    assert refusal(provider) == {"period_start": ["duplicate_period"]}
    assert ServiceReport.objects.count() == 1


def test_a_period_overlapping_a_reported_one_is_refused(provider):
    submit(provider)

    errors = refusal(provider, period_start=date(2025, 3, 15), period_end=date(2025, 4, 14))

    assert errors == {"period_start": ["period_overlaps"]}
    assert ServiceReport.objects.count() == 1


def test_a_concurrent_duplicate_caught_by_the_database_gets_the_same_message(provider, media, monkeypatch):
    first = submit(provider)
    # As if another request had inserted its report after this one looked for it.
    monkeypatch.setattr(report_services, "_overlapping_report", lambda **kwargs: None)

    assert refusal(provider, attachments=[pdf()]) == {"period_start": ["duplicate_period"]}
    assert list(ServiceReport.objects.all()) == [first]
    assert not ReportAttachment.objects.exists() and not stored_files(media)


# --- Figures and narrative -------------------------------------------------------------------


@pytest.mark.parametrize("field", ["people_served", "service_units", "cost", "income", "subsidy"])
def test_a_negative_figure_is_refused(provider, media, field):
    assert refusal(provider, **{field: -1}) == {field: ["negative"]}
    assert nothing_written(media)


def test_zero_figures_are_accepted(provider):
    report = submit(provider, people_served=0, service_units=0, cost=0, income=0, subsidy=0)

    assert report.balance == 0


@pytest.mark.parametrize("narrative", ["", "   \n"])
def test_an_empty_narrative_is_refused(provider, media, narrative):
    assert refusal(provider, narrative=narrative) == {"narrative": ["required"]}
    assert nothing_written(media)


def test_a_figure_that_is_not_a_number_is_refused(provider, media):
    assert refusal(provider, cost="a lot") == {"cost": ["invalid"]}
    assert nothing_written(media)


def test_a_missing_figure_is_refused(provider, media):
    assert refusal(provider, income=None) == {"income": ["required"]}
    assert nothing_written(media)


def test_an_amount_with_too_many_digits_is_refused(provider, media):
    errors = refusal(provider, subsidy=Decimal("1.234"))

    assert list(errors) == ["subsidy"]
    assert nothing_written(media)


def test_every_problem_is_listed_together(provider, media):
    errors = refusal(
        provider,
        period_end=date(2025, 2, 1),
        cost=Decimal("-5"),
        people_served=-1,
        narrative="",
        attachments=[exe_named_pdf()],
    )

    assert errors == {
        "period_end": ["period_reversed"],
        "cost": ["negative"],
        "people_served": ["negative"],
        "narrative": ["required"],
        "attachments": ["file_type"],
    }
    assert nothing_written(media)


# --- Attachments -----------------------------------------------------------------------------


def test_attachments_are_stored_under_a_generated_name_keeping_the_client_s_name_as_a_label(provider, media):
    report = submit(provider, attachments=[pdf("March receipts.pdf")])

    attachment = report.attachments.get()
    assert attachment.original_name == "March receipts.pdf"
    assert "receipts" not in attachment.file.name and attachment.file.name.endswith(".pdf")
    assert (attachment.content_type, attachment.size) == ("application/pdf", pdf().size)
    assert stored_files(media) == [media / attachment.file.name]
    assert ReportEvent.objects.get(report=report).figures["attachments"] == [attachment.pk]


@pytest.mark.parametrize(
    "upload, content_type, extension",
    [
        (pdf, "application/pdf", "pdf"),
        (png, "image/png", "png"),
        (jpeg, "image/jpeg", "jpg"),
        (docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
        (xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    ],
)
def test_pdf_images_and_office_documents_are_accepted_by_their_bytes(provider, upload, content_type, extension):
    attachment = submit(provider, attachments=[upload("file.bin")]).attachments.get()

    assert attachment.content_type == content_type
    assert attachment.file.name.endswith(f".{extension}")


def test_the_type_comes_from_the_bytes_not_the_name(provider):
    attachment = submit(provider, attachments=[png("photo.pdf")]).attachments.get()

    assert attachment.content_type == "image/png" and attachment.file.name.endswith(".png")


@pytest.mark.parametrize("upload", [exe_named_pdf, plain_zip], ids=["program named .pdf", "zip named .docx"])
def test_a_file_of_another_type_is_refused_whatever_its_name(provider, media, upload):
    with pytest.raises(ValidationError) as caught:
        submit(provider, attachments=[upload()])

    assert caught.value.error_dict["attachments"][0].code == "file_type"
    assert upload().name in caught.value.message_dict["attachments"][0]
    assert nothing_written(media)


def test_an_empty_file_is_refused(provider, media):
    empty = SimpleUploadedFile("empty.pdf", b"", "application/pdf")

    assert refusal(provider, attachments=[empty]) == {"attachments": ["file_type"]}
    assert nothing_written(media)


def test_a_file_over_the_size_limit_is_refused(provider, media, settings):
    settings.ATTACHMENT_MAX_BYTES = 1000

    assert refusal(provider, attachments=[sized(1001)]) == {"attachments": ["file_too_large"]}
    assert nothing_written(media)


def test_a_file_of_exactly_the_size_limit_is_accepted(provider, settings):
    settings.ATTACHMENT_MAX_BYTES = 1000

    assert submit(provider, attachments=[sized(1000)]).attachments.get().size == 1000


def test_ten_attachments_are_accepted(provider, media):
    report = submit(provider, attachments=[pdf(f"{n}.pdf") for n in range(10)])

    assert report.attachments.count() == 10 and len(stored_files(media)) == 10


def test_an_eleventh_attachment_is_refused(provider, media):
    assert refusal(provider, attachments=[pdf(f"{n}.pdf") for n in range(11)]) == {"attachments": ["too_many_files"]}
    assert nothing_written(media)


def test_each_bad_file_is_named_in_the_refusal(provider, media):
    with pytest.raises(ValidationError) as caught:
        submit(provider, attachments=[pdf(), exe_named_pdf("a.pdf"), plain_zip("b.xlsx")])

    messages = caught.value.message_dict["attachments"]
    assert len(messages) == 2 and "a.pdf" in messages[0] and "b.xlsx" in messages[1]
    assert nothing_written(media)


def test_a_failure_after_the_files_were_stored_removes_them(provider, media):
    def refuse(sender, **kwargs):
        raise RuntimeError("a higher app failed")

    report_submitted.connect(refuse, weak=False)
    try:
        with pytest.raises(RuntimeError):
            submit(provider, attachments=[pdf(), png()])
    finally:
        report_submitted.disconnect(refuse)

    assert nothing_written(media)


# --- Reviewing -------------------------------------------------------------------------------


def test_the_community_official_accepts_a_submitted_report(provider, events):
    report = submit(provider)

    reviewed = report_review(report=report, user=provider.official, accept=True)

    reviewed.refresh_from_db()
    assert (reviewed.status, reviewed.reviewed_by, reviewed.review_comment) == (
        ReportStatus.ACCEPTED,
        provider.official,
        "",
    )
    assert reviewed.reviewed_at is not None
    event = ReportEvent.objects.filter(report=report).last()
    assert (event.kind, event.revision, event.by) == (ReportEventKind.ACCEPTED, 1, provider.official)
    assert events[-1] == ("reviewed", report.pk, provider.official)


def test_a_review_writes_an_audit_entry_of_the_transition(provider):
    report = report_review(report=submit(provider), user=provider.official, accept=True)

    entry = AuditEntry.objects.filter(object_id=str(report.pk), content_type__model="servicereport").first()
    assert (entry.action, entry.actor) == (AuditAction.TRANSITION, provider.official)
    assert (entry.before["status"], entry.after["status"]) == (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


def test_the_official_returns_a_report_with_comments(provider, returned):
    returned.refresh_from_db()
    assert (returned.status, returned.review_comment) == (ReportStatus.RETURNED, "Receipts are missing.")
    event = ReportEvent.objects.filter(report=returned).last()
    assert (event.kind, event.comment) == (ReportEventKind.RETURNED, "Receipts are missing.")


@pytest.mark.parametrize("comment", ["", "  "])
def test_returning_a_report_needs_a_comment(provider, comment):
    report = submit(provider)

    with pytest.raises(ValidationError) as caught:
        report_review(report=report, user=provider.official, accept=False, comment=comment)

    assert caught.value.error_dict["comment"][0].code == "comment_required"
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.reviewed_by is None
    assert ReportEvent.objects.filter(report=report).count() == 1


def test_a_street_official_reviews_the_reports_of_every_community_below(provider):
    street_official = OfficialPostFactory(community=None, street=provider.project.community.street).user

    report = report_review(report=submit(provider), user=street_official, accept=True)

    assert report.reviewed_by == street_official


@pytest.mark.parametrize("who", ["another community's official", "the provider's staff", "a resident's account"])
def test_only_an_official_of_the_project_s_community_reviews(provider, who):
    report = submit(provider)
    user = {
        "another community's official": lambda: OfficialPostFactory().user,
        "the provider's staff": lambda: provider.staff,
        "a resident's account": UserFactory,
    }[who]()

    with pytest.raises(PermissionDenied):
        report_review(report=report, user=user, accept=True)

    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and ReportEvent.objects.filter(report=report).count() == 1


def test_an_official_who_works_for_the_provider_cannot_review_its_report(provider):
    report = submit(provider)
    MembershipFactory(user=provider.official, organisation=provider.organisation)

    with pytest.raises(PermissionDenied):
        report_review(report=report, user=provider.official, accept=True)

    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


@pytest.mark.parametrize("accept", [True, False])
def test_only_a_submitted_report_can_be_reviewed(provider, returned, accept):
    with pytest.raises(ValidationError) as caught:
        report_review(report=returned, user=provider.official, accept=accept, comment="Again.")

    assert caught.value.code == "not_submitted"
    returned.refresh_from_db()
    assert returned.status == ReportStatus.RETURNED
    assert ReportEvent.objects.filter(report=returned).count() == 2


# --- Resubmitting ----------------------------------------------------------------------------


def test_a_returned_report_is_resubmitted_as_a_new_revision(provider, returned, events):
    report = report_resubmit(
        report=returned,
        user=provider.staff,
        cost=Decimal("19500.00"),
        narrative="Receipts attached.",
        attachments=[pdf()],
    )

    report.refresh_from_db()
    assert (report.status, report.revision, report.cost) == (ReportStatus.SUBMITTED, 2, Decimal("19500.00"))
    assert report.narrative == "Receipts attached." and report.attachments.count() == 1
    assert (report.reviewed_by, report.reviewed_at, report.review_comment) == (None, None, "")
    assert events[-1] == ("submitted", report.pk, provider.staff)


def test_the_history_keeps_every_revision_and_the_review_that_returned_it(provider, returned):
    report_resubmit(report=returned, user=provider.staff, cost=Decimal("19500.00"))

    history = list(ReportEvent.objects.filter(report=returned).values_list("kind", "revision", "comment"))
    assert history == [
        (ReportEventKind.SUBMITTED, 1, ""),
        (ReportEventKind.RETURNED, 1, "Receipts are missing."),
        (ReportEventKind.RESUBMITTED, 2, ""),
    ]
    figures = [event.figures["cost"] for event in ReportEvent.objects.filter(report=returned)]
    assert figures == ["20000.00", "20000.00", "19500.00"]


def test_a_resubmission_writes_an_audit_entry(provider, returned):
    report_resubmit(report=returned, user=provider.staff, income=Decimal("9500"))

    entry = AuditEntry.objects.filter(object_id=str(returned.pk), content_type__model="servicereport").first()
    assert (entry.action, entry.actor) == (AuditAction.TRANSITION, provider.staff)
    assert (entry.before["revision"], entry.after["revision"]) == (1, 2)
    assert entry.before["review_comment"] == "Receipts are missing." and entry.after["review_comment"] == ""


def test_figures_not_given_on_resubmission_keep_their_values(provider, returned):
    report = report_resubmit(report=returned, user=provider.staff, people_served=125)

    report.refresh_from_db()
    assert (report.people_served, report.service_units, report.cost) == (125, 900, Decimal("20000.00"))
    assert report.narrative == march()["narrative"]


def test_a_resubmitted_report_is_reviewed_again(provider, returned):
    report = report_resubmit(report=returned, user=provider.staff, people_served=125)

    report = report_review(report=report, user=provider.official, accept=True)

    assert (report.status, report.revision) == (ReportStatus.ACCEPTED, 2)


def test_only_a_returned_report_can_be_resubmitted(provider):
    report = submit(provider)

    with pytest.raises(ValidationError) as caught:
        report_resubmit(report=report, user=provider.staff, people_served=1)

    assert caught.value.code == "not_returned"
    report.refresh_from_db()
    assert (report.revision, report.people_served) == (1, 120)


def test_an_accepted_report_cannot_be_resubmitted(provider):
    report = report_review(report=submit(provider), user=provider.official, accept=True)

    with pytest.raises(ValidationError) as caught:
        report_resubmit(report=report, user=provider.staff, people_served=1)

    assert caught.value.code == "not_returned"


def test_only_the_organisation_s_staff_resubmit(provider, returned):
    with pytest.raises(PermissionDenied):
        report_resubmit(report=returned, user=provider.official, people_served=1)

    returned.refresh_from_db()
    assert (returned.status, returned.revision) == (ReportStatus.RETURNED, 1)


def _unchanged(report) -> bool:
    report.refresh_from_db()
    return (report.status, report.revision, report.cost, report.narrative) == (
        ReportStatus.RETURNED,
        1,
        Decimal("20000.00"),
        march()["narrative"],
    ) and ReportEvent.objects.filter(report=report).count() == 2


def test_a_resubmission_is_checked_like_a_submission(provider, returned, media):
    with pytest.raises(ValidationError) as caught:
        report_resubmit(
            report=returned, user=provider.staff, cost=Decimal("-1"), narrative=" ", attachments=[exe_named_pdf()]
        )

    assert set(caught.value.error_dict) == {"cost", "narrative", "attachments"}
    assert _unchanged(returned) and not stored_files(media)


def test_attachments_added_on_resubmission_count_with_those_already_there(provider, media):
    report = submit(provider, attachments=[pdf(f"{n}.pdf") for n in range(9)])
    report = report_review(report=report, user=provider.official, accept=False, comment="One more receipt.")

    with pytest.raises(ValidationError) as caught:
        report_resubmit(report=report, user=provider.staff, attachments=[pdf("x.pdf"), pdf("y.pdf")])

    assert caught.value.error_dict["attachments"][0].code == "too_many_files"
    assert report.attachments.count() == 9 and len(stored_files(media)) == 9


# --- Loss-making periods ---------------------------------------------------------------------


def report_for(provider, month: int, *, cost: int, income: int = 0, subsidy: int = 0, organisation=None, **fields):
    return ServiceReportFactory(
        project=provider.project,
        organisation=organisation or provider.organisation,
        period_start=date(2025, month, 1),
        period_end=date(2025, month, 28),
        cost=Decimal(cost),
        income=Decimal(income),
        subsidy=Decimal(subsidy),
        **fields,
    )


def test_the_streak_counts_the_most_recent_loss_making_periods_in_a_row(provider):
    report_for(provider, 1, cost=100)
    report_for(provider, 2, cost=100, income=60, subsidy=40)
    report_for(provider, 3, cost=100, income=50)
    report_for(provider, 4, cost=100, subsidy=99)

    assert loss_making_streak(project=provider.project) == 2


def test_there_is_no_streak_when_the_latest_period_breaks_even(provider):
    report_for(provider, 1, cost=100)
    report_for(provider, 2, cost=100, income=100)

    assert loss_making_streak(project=provider.project) == 0


def test_every_period_counts_when_none_broke_even(provider):
    for month in (1, 2, 3):
        report_for(provider, month, cost=100, income=10)

    assert loss_making_streak(project=provider.project) == 3


def test_a_project_without_reports_has_no_streak(provider):
    assert loss_making_streak(project=provider.project) == 0


def test_a_returned_report_does_not_count_towards_the_streak(provider):
    report_for(provider, 1, cost=100)
    report_for(provider, 2, cost=100, income=100)
    report_for(
        provider,
        3,
        cost=100,
        status=ReportStatus.RETURNED,
        reviewed_by=provider.official,
        reviewed_at=timezone.now(),
        review_comment="Figures do not add up.",
    )

    assert loss_making_streak(project=provider.project) == 0


def test_providers_figures_for_a_period_are_added_up_unless_one_is_asked_for(provider):
    other = ParticipationFactory(project=provider.project).organisation
    report_for(provider, 1, cost=100, income=50)
    report_for(provider, 1, cost=100, income=200, organisation=other)

    assert loss_making_streak(project=provider.project) == 0
    assert loss_making_streak(project=provider.project, organisation=provider.organisation) == 1
    assert loss_making_streak(project=provider.project, organisation=other) == 0


def test_the_streak_takes_one_query(provider):
    for month in range(1, 8):
        report_for(provider, month, cost=100, income=month * 10)

    with CaptureQueriesContext(connection) as queries:
        streak = loss_making_streak(project=provider.project)

    assert streak == 7 and len(queries) == 1


def test_reports_of_other_projects_do_not_count(provider):
    ServiceReportFactory(organisation=provider.organisation, cost=Decimal(100), income=0, subsidy=0)

    assert loss_making_streak(project=provider.project) == 0
