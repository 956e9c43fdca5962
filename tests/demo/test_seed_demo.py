"""seed_demo builds the Houtai demo the product brief describes, and running it again changes nothing.

The demo is seeded once for the module (inside a transaction rolled back at the end), and each
test reads one promise of it; the tests that run the command again do so inside their own
transaction, which pytest-django rolls back.
"""

from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from accountability.models import (
    Breach,
    BreachKind,
    Complaint,
    ComplaintStatus,
    Duty,
    DutyStatus,
    Inspection,
    InspectionResult,
    Risk,
    RiskKind,
    SupervisionReport,
)
from accountability.services.complaints import someone_answers_for
from audit.models import AuditAction, AuditEntry
from coproduction.models import (
    Call,
    CallStatus,
    CheckIn,
    Claim,
    ClaimStatus,
    Mode,
    ParticipationRole,
    Project,
    ProjectTransition,
    ReportEvent,
    ReportEventKind,
    ReportStatus,
    Review,
    ServiceReport,
    Stage,
    Task,
    TaskKind,
)
from evaluation.models import Evaluation, Grade, Indicator, Rating, TrustScore
from jobs.models import JobRun
from partners.credit_code import validate_credit_code
from partners.models import (
    Community,
    Membership,
    MembershipRole,
    OfficialPost,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Resident,
    User,
)
from service_list.models import ListItemStatus, ServiceListItem

DEMO_PASSWORD = "demo-pass-2026"

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo at scale 1 and what the command printed, shared by the module's tests."""
    out = StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_the_town_of_zhongbei_has_houtai_and_two_more_communities(demo):
    communities = Community.objects.filter(street__name="中北镇", street__district__code="120111")
    assert communities.count() == 3
    assert communities.filter(name="后台社区").exists()


def test_organisations_of_all_four_kinds_carry_valid_credit_codes(demo):
    organisations = Organisation.objects.all()
    assert organisations.count() >= 28
    assert set(organisations.values_list("kind", flat=True)) == set(OrganisationKind.values)
    for code in organisations.values_list("credit_code", flat=True):
        validate_credit_code(code)
    assert organisations.filter(status=OrganisationStatus.APPROVED).count() > organisations.count() * 0.8
    assert {OrganisationStatus.APPLICANT, OrganisationStatus.SUSPENDED, OrganisationStatus.BLACKLISTED} <= set(
        organisations.values_list("status", flat=True)
    )


def test_about_two_hundred_residents_have_mainland_mobiles(demo):
    residents = Resident.objects.all()
    assert residents.count() == 200
    assert residents.filter(phone__regex=r"^1[3-9]\d{9}$").count() == 200
    assert residents.filter(is_volunteer=True).exists()
    assert residents.exclude(building="").count() == 200


def test_each_role_has_a_demo_login_with_the_demo_password(demo):
    logins = {
        user.username: user
        for user in User.objects.filter(
            username__in=[
                "admin",
                "houtai_official",
                "zhongbei_official",
                "ngo_manager",
                "enterprise_staff",
                "resident",
            ]
        )
    }
    assert len(logins) == 6
    # One slow hash checked; the accounts share it, as they share the password.
    assert logins["resident"].check_password(DEMO_PASSWORD)
    assert {user.password for user in logins.values()} == {logins["resident"].password}
    assert logins["admin"].is_staff and logins["admin"].is_superuser
    assert OfficialPost.objects.filter(user=logins["houtai_official"], community__name="后台社区").exists()
    assert OfficialPost.objects.filter(user=logins["zhongbei_official"], street__name="中北镇").exists()
    assert Membership.objects.filter(
        user=logins["ngo_manager"], role=MembershipRole.MANAGER, organisation__kind=OrganisationKind.NGO
    ).exists()
    assert Membership.objects.filter(
        user=logins["enterprise_staff"], organisation__kind=OrganisationKind.ENTERPRISE
    ).exists()
    assert Resident.objects.filter(user=logins["resident"], community__name="后台社区").exists()
    for username in logins:
        assert username in demo


def test_at_least_twelve_items_are_published_and_one_has_a_draft_next_version(demo):
    assert ServiceListItem.objects.published().count() >= 12
    assert ServiceListItem.objects.filter(status=ListItemStatus.DRAFT, version=2).count() == 1
    assert ServiceListItem.objects.published().filter(needs_specific_assets=True).exists()


def test_the_indicators_of_each_item_weigh_one_hundred(demo):
    for item in ServiceListItem.objects.all():
        assert sum(Indicator.objects.filter(service_item=item).values_list("weight", flat=True)) == 100, item


def test_projects_cover_all_four_stages_and_all_four_derived_modes(demo):
    assert set(Project.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert set(Project.objects.values_list("mode", flat=True)) == set(Mode.values)
    # The mode follows the government's share of valued contributions, computed by contribution_add.
    for project in Project.objects.all():
        assert project.government_share is not None
        assert project.resource_concentration == ("high" if project.government_share >= 0.5 else "low")


def test_houtai_green_space_has_forty_plots_and_many_active_claims(demo):
    plots = Task.objects.filter(project__name="后台社区绿地认领", project__community__name="后台社区")
    assert plots.filter(kind=TaskKind.GREEN_PLOT).count() >= 40
    assert not plots.filter(grid_row__isnull=True).exists()
    active = Claim.objects.filter(task__in=plots, status=ClaimStatus.ACTIVE)
    assert active.count() >= 30
    assert Claim.objects.filter(task__in=plots, status=ClaimStatus.RELEASED).exists()
    for plot in plots:
        assert plot.active_claims == active.filter(task=plot).count() <= plot.capacity


def test_check_ins_lie_within_the_plot_period_and_never_in_the_future(demo):
    today = timezone.localdate()
    checkins = CheckIn.objects.select_related("claim__task")
    assert checkins.count() > 100
    for checkin in checkins:
        assert checkin.claim.task.period_start <= checkin.on <= min(today, checkin.claim.task.period_end)


def test_some_active_claims_have_gone_weeks_without_a_check_in(demo):
    weeks_ago = timezone.localdate() - timedelta(days=21)
    stale = Claim.objects.filter(status=ClaimStatus.ACTIVE, claimed_at__date__lt=weeks_ago).exclude(
        last_checkin_on__gte=weeks_ago
    )
    assert stale.exists()


def test_the_dining_hall_runs_at_a_loss_month_after_month(demo):
    reports = ServiceReport.objects.filter(project__name="后台社区老年食堂").order_by("period_start")
    assert reports.count() >= 6
    assert all(report.balance < 0 for report in reports)


def test_one_call_is_awarded_and_one_is_open_until_a_future_deadline(demo):
    awarded = Call.objects.get(status=CallStatus.AWARDED)
    assert awarded.awarded_application and awarded.award_reason and awarded.awarded_by and awarded.awarded_at
    assert Call.objects.filter(status=CallStatus.OPEN, deadline__gt=timezone.now()).exists()
    for call in Call.objects.all():
        assert sum(call.criteria.values_list("weight", flat=True)) == 100


def test_each_review_total_is_the_weighted_score(demo):
    reviews = Review.objects.prefetch_related("scores__criterion")
    assert reviews.count() >= 4
    for review in reviews:
        weighted = sum(score.score * score.criterion.weight for score in review.scores.all()) / 100
        assert float(review.total) == pytest.approx(weighted, abs=0.01)


def test_some_duties_are_overdue_and_some_were_completed_with_evidence(demo):
    today = timezone.localdate()
    assert Duty.objects.filter(status=DutyStatus.ACTIVE, next_due_on__lt=today).exists()
    assert Duty.objects.filter(completions__isnull=False).exists()
    assert not Duty.objects.filter(assignments__role="A").exists()


def test_some_complaints_wait_past_their_response_deadline(demo):
    overdue = Complaint.objects.filter(status=ComplaintStatus.OPEN, response_due_at__lt=timezone.now())
    assert overdue.exists()
    assert Complaint.objects.filter(status=ComplaintStatus.ANSWERED).exists()
    assert Complaint.objects.filter(status=ComplaintStatus.CONFIRMED, closed_at__isnull=False).exists()
    for complaint in Complaint.objects.exclude(status=ComplaintStatus.REOPENED):
        assert complaint.response_due_at - complaint.filed_at == timedelta(hours=72)


def test_a_reopened_complaint_has_a_new_deadline_after_its_answer(demo):
    reopened = Complaint.objects.get(status=ComplaintStatus.REOPENED)
    assert reopened.responded_at < reopened.response_due_at
    assert reopened.response_due_at - reopened.filed_at > timedelta(hours=72)


def test_complaints_go_to_the_duty_accountable_party_or_a_provider_and_always_to_someone_who_answers(demo):
    for complaint in Complaint.objects.select_related("duty__accountable", "project__community__street", "routed_to"):
        if complaint.duty:
            assert complaint.routed_to_id == complaint.duty.accountable.organisation_id
        else:
            providers = complaint.project.participations.filter(role=ParticipationRole.PROVIDER)
            assert providers.filter(organisation=complaint.routed_to_id).exists()
        assert someone_answers_for(complaint.routed_to, complaint.project.community)
    assert Complaint.objects.filter(routed_to__kind=OrganisationKind.GOVERNMENT).exists()


def test_evaluations_grade_their_totals_and_the_closed_projects_have_a_final_one(demo):
    cut_offs = [(85, Grade.EXCELLENT), (70, Grade.GOOD), (60, Grade.ADEQUATE), (0, Grade.POOR)]
    for evaluation in Evaluation.objects.all():
        assert evaluation.grade == next(grade for cut_off, grade in cut_offs if evaluation.total >= cut_off)
    for project in Project.objects.filter(stage=Stage.CLOSED):
        assert Evaluation.objects.filter(project=project, is_final=True).exists()


def test_ratings_are_monthly_and_between_one_and_five(demo):
    assert Rating.objects.count() > 100
    assert not Rating.objects.exclude(period__day=1).exists()
    assert not Rating.objects.exclude(score__range=(1, 5)).exists()


def test_the_loss_making_dining_hall_has_a_financial_unsustainability_risk_raised_by_the_rule(demo):
    risk = Risk.objects.get(kind=RiskKind.FINANCIAL_UNSUSTAINABILITY, project__name="后台社区老年食堂")
    assert risk.rule == "financial_unsustainability_for"
    assert risk.organisation.name == "天津津味坊餐饮管理有限公司"
    assert risk.raised_at < timezone.now() - timedelta(days=30)
    # Only the dining hall runs at a loss: the fully funded services are topped up to their cost.
    assert Risk.objects.filter(kind=RiskKind.FINANCIAL_UNSUSTAINABILITY).count() == 1


def test_each_failed_inspection_opened_its_breach_on_the_day_and_the_rest_opened_none(demo):
    failed = Inspection.objects.filter(result=InspectionResult.FAILED)
    assert failed.count() >= 2
    for inspection in failed:
        breach = Breach.objects.get(inspection=inspection, kind=BreachKind.FAILED_INSPECTION)
        assert breach.organisation_id == inspection.organisation_id
        assert timezone.localtime(breach.detected_at).date() == inspection.inspected_on
    assert Breach.objects.count() == failed.count()
    assert Inspection.objects.filter(result=InspectionResult.MINOR_ISSUES).exists()


def test_the_demo_leaves_supervision_reports_and_trust_scores_to_the_periodic_jobs(demo):
    for model in (SupervisionReport, TrustScore, JobRun):
        assert not model.objects.exists(), model


def test_every_demo_record_with_a_service_has_its_audit_entry(demo):
    for model in (Call, Review, Claim, CheckIn, Duty, ServiceReport, Complaint, Inspection, Rating, Evaluation):
        created = set(
            AuditEntry.objects.filter(
                action=AuditAction.CREATE,
                content_type__app_label=model._meta.app_label,
                content_type__model=model._meta.model_name,
            ).values_list("object_id", flat=True)
        )
        assert {str(pk) for pk in model.objects.values_list("pk", flat=True)} <= created, model


def test_every_stage_a_project_passed_was_a_transition_dated_in_the_past(demo):
    for project in Project.objects.exclude(stage=Stage.DESIGN):
        moves = list(ProjectTransition.objects.filter(project=project).order_by("at"))
        assert moves[0].from_stage == Stage.DESIGN and moves[-1].to_stage == project.stage
        assert moves[0].at.date() <= max(project.start_date, timezone.localdate())
    transitions = AuditEntry.objects.filter(action=AuditAction.TRANSITION, content_type__model="project")
    assert transitions.count() == ProjectTransition.objects.count()


def test_the_award_made_the_winner_a_provider_and_raised_no_red_flag(demo):
    awarded = Call.objects.get(status=CallStatus.AWARDED)
    winner = awarded.awarded_application.organisation
    assert awarded.project.participations.filter(organisation=winner, role=ParticipationRole.PROVIDER).exists()
    assert not (awarded.single_applicant or awarded.against_ranking)
    assert not Risk.objects.filter(kind=RiskKind.RENT_SEEKING).exists()


def test_reports_were_accepted_returned_and_one_corrected_and_resubmitted(demo):
    statuses = set(ServiceReport.objects.values_list("status", flat=True))
    assert statuses == {ReportStatus.ACCEPTED, ReportStatus.SUBMITTED, ReportStatus.RETURNED}
    resubmitted = ServiceReport.objects.get(revision=2)
    assert resubmitted.status == ReportStatus.ACCEPTED
    kinds = list(ReportEvent.objects.filter(report=resubmitted).order_by("at").values_list("kind", flat=True))
    assert kinds == [
        ReportEventKind.SUBMITTED,
        ReportEventKind.RETURNED,
        ReportEventKind.RESUBMITTED,
        ReportEventKind.ACCEPTED,
    ]


def test_sanctioned_organisations_got_their_status_from_an_official_with_a_reason(demo):
    for status in (OrganisationStatus.SUSPENDED, OrganisationStatus.BLACKLISTED):
        organisation = Organisation.objects.get(status=status)
        change = AuditEntry.objects.filter(
            content_type__model="organisation", object_id=str(organisation.pk), action=AuditAction.CHANGE
        ).latest("at")
        assert change.after["status"] == status and change.note and change.actor is not None


def test_a_second_run_adds_no_rows(demo):
    before = row_counts()
    call_command("seed_demo", stdout=StringIO())
    assert row_counts() == before


def test_scale_two_adds_a_community_and_doubles_residents_plots_and_organisations(demo):
    before = row_counts()
    call_command("seed_demo", "--scale", "2", stdout=StringIO())
    after = row_counts()
    assert Community.objects.filter(name="示范社区 1").exists()
    assert Resident.objects.count() >= 2 * before["partners.Resident"]
    assert Organisation.objects.count() >= 2 * before["partners.Organisation"] - 2
    assert Task.objects.count() >= 2 * before["coproduction.Task"]
    for label in ("coproduction.ServiceReport", "evaluation.Rating", "coproduction.Claim", "coproduction.CheckIn"):
        assert after[label] > before[label], label


def test_the_login_table_names_every_role_and_where_it_lands():
    from demo.context import Login
    from demo.management.commands.seed_demo import login_table, width

    table = login_table(
        [
            Login("xiqing_official", "district official, 西青区", "/dashboard/", "every community"),
            Login("resident_huayuan_001", "resident of 中北花园社区 (王芳)", "/me/", "its own tasks"),
        ]
    )
    lines = table.splitlines()
    assert lines[0].startswith("Demo logins")
    assert "lands on" in lines[1]
    assert "xiqing_official" in lines[2] and "/dashboard/" in lines[2]
    assert "resident_huayuan_001" in lines[3] and "/me/" in lines[3]
    # Chinese characters take two columns, so the next column starts at the same place on every line.
    assert len({width(line[: line.index("demo-pass")]) for line in lines[2:]}) == 1
