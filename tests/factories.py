"""Factories for every model, each producing a valid row by default.

Chains follow the domain: `TaskFactory()` builds a task on a project in a community, under a
published service-list item; `ClaimFactory()` a resident of that same community on it.
"""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db.models import F
from django.utils import timezone
from factory.django import DjangoModelFactory

from accountability.models import (
    Breach,
    BreachKind,
    Complaint,
    Duty,
    DutyAssignment,
    DutyCompletion,
    DutyCompletionAttachment,
    Inspection,
    InspectionPhoto,
    InspectionResult,
    InspectionTemplate,
    PeriodKind,
    RaciRole,
    Risk,
    RiskKind,
    SupervisionReport,
)
from coproduction.models import (
    Application,
    ApplicationAttachment,
    Call,
    CheckIn,
    Claim,
    ClaimStatus,
    ConflictDeclaration,
    Contribution,
    ContributionKind,
    Criterion,
    Need,
    Participation,
    ParticipationRole,
    Project,
    ProjectTransition,
    ReportAttachment,
    ReportEvent,
    ReportEventKind,
    Review,
    ReviewScore,
    ServiceReport,
    Stage,
    Task,
    TaskKind,
)
from evaluation.models import Evaluation, Grade, Indicator, IndicatorScore, IndicatorSource, Rating, TrustScore
from jobs.models import JobOutcome, JobRun, MissedTask, task_fingerprint
from partners.credit_code import make_credit_code
from partners.models import (
    Community,
    District,
    Membership,
    MembershipRole,
    OfficialPost,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Qualification,
    Resident,
    Street,
    User,
)
from service_list.models import ListItemStatus, Pricing, ServiceCategory, ServiceListItem, ServiceNature


def _today() -> date:
    return timezone.localdate()


# --- partners --------------------------------------------------------------------------------


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"User {n}")
    # An unusable password: no hashing, so the suite stays fast.
    password = factory.LazyFunction(lambda: make_password(None))


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"District {n}")
    code = factory.Sequence(lambda n: f"12{n:010d}")


class StreetFactory(DjangoModelFactory):
    class Meta:
        model = Street

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Street {n}")


class CommunityFactory(DjangoModelFactory):
    class Meta:
        model = Community

    street = factory.SubFactory(StreetFactory)
    name = factory.Sequence(lambda n: f"Community {n}")
    code = factory.Sequence(lambda n: f"community-{n}")
    population = 5000


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.NGO
    # Civil-affairs registration (5), social organisation (1), Xiqing district, a serial per row.
    credit_code = factory.Sequence(lambda n: make_credit_code("5", "1", "120111", f"{n:09d}"))
    status = OrganisationStatus.APPROVED
    home_community = factory.SubFactory(CommunityFactory)

    class Params:
        government = factory.Trait(kind=OrganisationKind.GOVERNMENT)
        enterprise = factory.Trait(kind=OrganisationKind.ENTERPRISE)


class QualificationFactory(DjangoModelFactory):
    class Meta:
        model = Qualification

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Licence {n}")
    valid_from = date(2024, 1, 1)
    valid_until = date(2027, 12, 31)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = MembershipRole.STAFF


class OfficialPostFactory(DjangoModelFactory):
    """A community official by default; pass community=None with a street or district for higher posts."""

    class Meta:
        model = OfficialPost

    user = factory.SubFactory(UserFactory)
    community = factory.SubFactory(CommunityFactory)
    street = None
    district = None
    title = "Residents' committee director"


class ResidentFactory(DjangoModelFactory):
    class Meta:
        model = Resident

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"Resident {n}")
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    building = "3"
    unit = "2"


# --- services --------------------------------------------------------------------------------


class ServiceCategoryFactory(DjangoModelFactory):
    class Meta:
        model = ServiceCategory

    code = factory.Sequence(lambda n: f"category-{n}")
    name = factory.Sequence(lambda n: f"Category {n}")


class ServiceListItemFactory(DjangoModelFactory):
    """A published item that NGOs and enterprises may deliver."""

    class Meta:
        model = ServiceListItem

    category = factory.SubFactory(ServiceCategoryFactory)
    code = factory.Sequence(lambda n: f"item-{n}")
    version = 1
    name = factory.Sequence(lambda n: f"Service {n}")
    nature = ServiceNature.WELFARE
    allows_ngo = True
    allows_enterprise = True
    standard = "Delivered weekly to the agreed standard."
    pricing = Pricing.SUBSIDISED
    unit_price = Decimal("15.00")
    subsidy_per_unit = Decimal("5.00")
    status = ListItemStatus.PUBLISHED
    published_at = factory.LazyAttribute(lambda o: timezone.now() if o.status == ListItemStatus.PUBLISHED else None)

    class Params:
        draft = factory.Trait(status=ListItemStatus.DRAFT)


# --- coproduction: projects ------------------------------------------------------------------


class ProjectFactory(DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Project {n}")
    community = factory.SubFactory(CommunityFactory)
    service_item = factory.SubFactory(ServiceListItemFactory)
    stage = Stage.OPERATION
    start_date = date(2025, 1, 1)
    end_date = date(2027, 12, 31)
    budget = Decimal("100000.00")


class ProjectTransitionFactory(DjangoModelFactory):
    class Meta:
        model = ProjectTransition

    project = factory.SubFactory(ProjectFactory, stage=Stage.DESIGN)
    from_stage = Stage.DESIGN
    to_stage = Stage.OPERATION
    by = factory.SubFactory(UserFactory)
    reason = "Partners agreed the division of labour."


class ParticipationFactory(DjangoModelFactory):
    class Meta:
        model = Participation

    project = factory.SubFactory(ProjectFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = ParticipationRole.PROVIDER
    joined_on = date(2025, 1, 1)


class ContributionFactory(DjangoModelFactory):
    """A raw row; contribution_add() is the service that also recomputes the mode."""

    class Meta:
        model = Contribution

    participation = factory.SubFactory(ParticipationFactory)
    project = factory.LazyAttribute(lambda o: o.participation.project)
    kind = ContributionKind.MONEY
    value = Decimal("1000.00")
    contributed_on = date(2025, 2, 1)


class NeedFactory(DjangoModelFactory):
    class Meta:
        model = Need

    community = factory.SubFactory(CommunityFactory)
    resident = factory.SubFactory(ResidentFactory, community=factory.SelfAttribute("..community"))
    title = factory.Sequence(lambda n: f"Need {n}")


# --- coproduction: selection -----------------------------------------------------------------


class CallFactory(DjangoModelFactory):
    class Meta:
        model = Call

    project = factory.SubFactory(ProjectFactory, stage=Stage.DESIGN)
    title = factory.Sequence(lambda n: f"Call {n}")
    deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    opened_by = factory.SubFactory(UserFactory)


class CriterionFactory(DjangoModelFactory):
    class Meta:
        model = Criterion

    call = factory.SubFactory(CallFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    weight = 50


class ApplicationFactory(DjangoModelFactory):
    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    submitted_by = factory.SubFactory(UserFactory)
    proposal = "We will run the service five days a week."
    proposed_budget = Decimal("80000.00")


class ReviewFactory(DjangoModelFactory):
    class Meta:
        model = Review

    application = factory.SubFactory(ApplicationFactory)
    reviewer = factory.SubFactory(UserFactory)
    total = Decimal("75.00")


class ReviewScoreFactory(DjangoModelFactory):
    class Meta:
        model = ReviewScore

    review = factory.SubFactory(ReviewFactory)
    criterion = factory.SubFactory(CriterionFactory, call=factory.SelfAttribute("..review.application.call"))
    score = 75


class ConflictDeclarationFactory(DjangoModelFactory):
    class Meta:
        model = ConflictDeclaration

    reviewer = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    call = factory.SubFactory(CallFactory)
    reason = "Served on its board until last year."


# --- coproduction: reports -------------------------------------------------------------------


class ServiceReportFactory(DjangoModelFactory):
    class Meta:
        model = ServiceReport

    project = factory.SubFactory(ProjectFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    period_start = date(2025, 3, 1)
    period_end = date(2025, 3, 31)
    people_served = 120
    service_units = 900
    cost = Decimal("20000.00")
    income = Decimal("9000.00")
    subsidy = Decimal("10000.00")
    narrative = "Meals served every weekday."
    submitted_by = factory.SubFactory(UserFactory)
    submitted_at = factory.LazyFunction(timezone.now)


class ReportAttachmentFactory(DjangoModelFactory):
    class Meta:
        model = ReportAttachment

    report = factory.SubFactory(ServiceReportFactory)
    # A stored name only: no file is written.
    file = "reports/2025/03/receipts.pdf"
    original_name = "receipts.pdf"
    content_type = "application/pdf"
    size = 2048


class ReportEventFactory(DjangoModelFactory):
    class Meta:
        model = ReportEvent

    report = factory.SubFactory(ServiceReportFactory)
    kind = ReportEventKind.SUBMITTED
    revision = factory.SelfAttribute("report.revision")
    by = factory.SelfAttribute("report.submitted_by")
    figures = factory.LazyAttribute(lambda o: {"people_served": o.report.people_served, "cost": str(o.report.cost)})


# --- coproduction: tasks ---------------------------------------------------------------------


class TaskFactory(DjangoModelFactory):
    """An open green-space plot whose period runs from a month ago to most of a year ahead."""

    class Meta:
        model = Task

    project = factory.SubFactory(ProjectFactory)
    code = factory.Sequence(lambda n: f"P{n:03d}")
    title = factory.Sequence(lambda n: f"Green plot {n}")
    kind = TaskKind.GREEN_PLOT
    area_m2 = Decimal("120.0")
    capacity = 1
    period_start = factory.LazyFunction(lambda: _today() - timedelta(days=30))
    period_end = factory.LazyFunction(lambda: _today() + timedelta(days=335))
    hours_per_checkin = Decimal("1.5")


class ClaimFactory(DjangoModelFactory):
    """A claim by a resident of the task's community; an active one takes a place on the task.

    Rules (capacity, one active claim per resident) are claim_create()'s: this factory writes rows.
    """

    class Meta:
        model = Claim

    task = factory.SubFactory(TaskFactory)
    resident = factory.SubFactory(ResidentFactory, community=factory.SelfAttribute("..task.project.community"))
    status = ClaimStatus.ACTIVE
    ended_at = factory.LazyAttribute(lambda o: None if o.status == ClaimStatus.ACTIVE else timezone.now())

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        claim = super()._create(model_class, *args, **kwargs)
        if claim.status == ClaimStatus.ACTIVE:
            Task.objects.filter(pk=claim.task_id).update(active_claims=F("active_claims") + 1)
            claim.task.refresh_from_db(fields=["active_claims"])
        return claim


class CheckInFactory(DjangoModelFactory):
    class Meta:
        model = CheckIn

    claim = factory.SubFactory(ClaimFactory)
    on = factory.LazyFunction(_today)
    hours = Decimal("1.5")


class JobRunFactory(DjangoModelFactory):
    class Meta:
        model = JobRun

    job = "accountability.recompute"
    started_at = factory.LazyFunction(timezone.now)
    finished_at = factory.LazyFunction(timezone.now)
    outcome = JobOutcome.SUCCEEDED
    # A running run's worker renews its lease; one made here is as if it had just been started.
    lease_until = factory.LazyAttribute(
        lambda run: (
            run.started_at + timedelta(seconds=settings.JOB_LEASE_SECONDS)
            if run.outcome == JobOutcome.RUNNING
            else None
        )
    )


class MissedTaskFactory(DjangoModelFactory):
    class Meta:
        model = MissedTask

    task = "evaluation.recompute_trust_scores"
    kwargs = factory.Sequence(lambda n: {"attempt": n})
    fingerprint = factory.LazyAttribute(lambda row: task_fingerprint(row.task, row.kwargs))
    missed_at = factory.LazyFunction(timezone.now)


# --- accountability --------------------------------------------------------------------------


class DutyFactory(DjangoModelFactory):
    class Meta:
        model = Duty

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Duty {n}")
    accountable = factory.SubFactory(ParticipationFactory, project=factory.SelfAttribute("..project"))
    next_due_on = factory.LazyFunction(lambda: _today() + timedelta(days=7))


class DutyAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = DutyAssignment

    duty = factory.SubFactory(DutyFactory)
    participation = factory.SubFactory(ParticipationFactory, project=factory.SelfAttribute("..duty.project"))
    role = RaciRole.RESPONSIBLE


class DutyCompletionFactory(DjangoModelFactory):
    class Meta:
        model = DutyCompletion

    duty = factory.SubFactory(DutyFactory)
    due_on = factory.LazyAttribute(lambda o: o.duty.next_due_on)
    completed_at = factory.LazyFunction(timezone.now)
    completed_by = factory.SubFactory(UserFactory)
    evidence = "Photos of the cleaned kitchen, signed by the committee."


class InspectionFactory(DjangoModelFactory):
    class Meta:
        model = Inspection

    project = factory.SubFactory(ProjectFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    inspector = factory.SubFactory(UserFactory)
    inspected_on = factory.LazyFunction(_today)
    checklist = factory.LazyFunction(lambda: [{"item": "Kitchen clean", "passed": True, "note": ""}])
    result = InspectionResult.PASSED


class ComplaintFactory(DjangoModelFactory):
    class Meta:
        model = Complaint

    project = factory.SubFactory(ProjectFactory)
    resident = factory.SubFactory(ResidentFactory, community=factory.SelfAttribute("..project.community"))
    routed_to = factory.SubFactory(OrganisationFactory)
    subject = factory.Sequence(lambda n: f"Complaint {n}")
    body = "The meals arrived cold three days running."
    filed_at = factory.LazyFunction(timezone.now)
    response_due_at = factory.LazyAttribute(lambda o: o.filed_at + timedelta(days=3))


class BreachFactory(DjangoModelFactory):
    """An open overdue-duty breach naming the duty's accountable organisation."""

    class Meta:
        model = Breach

    kind = BreachKind.OVERDUE_DUTY
    project = factory.SubFactory(ProjectFactory)
    duty = factory.SubFactory(DutyFactory, project=factory.SelfAttribute("..project"))
    due_on = factory.LazyAttribute(lambda o: o.duty.next_due_on if o.duty else _today())
    organisation = factory.LazyAttribute(lambda o: o.duty.accountable.organisation if o.duty else OrganisationFactory())
    detected_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyFunction(timezone.now)


class RiskFactory(DjangoModelFactory):
    class Meta:
        model = Risk

    kind = RiskKind.RESPONSIBILITY_AMBIGUITY
    community = factory.SubFactory(CommunityFactory)
    subject_key = factory.Sequence(lambda n: f"project:{n}")
    rule = "duties_without_responsible"
    summary = "Duties with nobody responsible."
    raised_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyFunction(timezone.now)


class SupervisionReportFactory(DjangoModelFactory):
    class Meta:
        model = SupervisionReport

    community = factory.SubFactory(CommunityFactory)
    period_kind = PeriodKind.MONTHLY
    period_start = date(2025, 3, 1)
    period_end = date(2025, 3, 31)
    generated_at = factory.LazyFunction(timezone.now)
    data = factory.LazyFunction(lambda: {"open_breaches": 0})


# --- evaluation ------------------------------------------------------------------------------


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator

    service_item = factory.SubFactory(ServiceListItemFactory)
    code = factory.Sequence(lambda n: f"indicator-{n}")
    name = factory.Sequence(lambda n: f"Indicator {n}")
    weight = 50
    source = IndicatorSource.EVALUATOR


class EvaluationFactory(DjangoModelFactory):
    class Meta:
        model = Evaluation

    project = factory.SubFactory(ProjectFactory)
    period_start = date(2025, 1, 1)
    period_end = date(2025, 6, 30)
    evaluator = factory.SubFactory(UserFactory)
    inputs = factory.LazyFunction(lambda: {"ratings": 12, "average_rating": 4.2})
    total = Decimal("82.50")
    grade = Grade.GOOD


class IndicatorScoreFactory(DjangoModelFactory):
    class Meta:
        model = IndicatorScore

    evaluation = factory.SubFactory(EvaluationFactory)
    indicator = factory.SubFactory(
        IndicatorFactory, service_item=factory.SelfAttribute("..evaluation.project.service_item")
    )
    weight = factory.SelfAttribute("indicator.weight")
    score = Decimal("80.00")


class RatingFactory(DjangoModelFactory):
    class Meta:
        model = Rating

    project = factory.SubFactory(ProjectFactory)
    resident = factory.SubFactory(ResidentFactory, community=factory.SelfAttribute("..project.community"))
    period = date(2025, 3, 1)
    score = 4


class TrustScoreFactory(DjangoModelFactory):
    class Meta:
        model = TrustScore

    organisation = factory.SubFactory(OrganisationFactory)
    computed_on = factory.LazyFunction(_today)
    score = Decimal("80.00")
    evaluation_component = Decimal("85.00")
    breach_component = Decimal("5.00")


# Stored names only for the files below: no file is written.
class ApplicationAttachmentFactory(DjangoModelFactory):
    class Meta:
        model = ApplicationAttachment

    application = factory.SubFactory(ApplicationFactory)
    file = "applications/2026/03/plan.pdf"
    original_name = "plan.pdf"
    content_type = "application/pdf"
    size = 2048


class DutyCompletionAttachmentFactory(DjangoModelFactory):
    class Meta:
        model = DutyCompletionAttachment

    completion = factory.SubFactory(DutyCompletionFactory)
    file = "duties/2026/03/swept.jpg"
    original_name = "swept.jpg"
    content_type = "image/jpeg"
    size = 4096


class InspectionTemplateFactory(DjangoModelFactory):
    class Meta:
        model = InspectionTemplate

    service_item = factory.SubFactory(ServiceListItemFactory)
    items = ["厨房卫生", "餐食温度"]
    updated_at = factory.LazyFunction(timezone.now)
    updated_by = factory.SubFactory(UserFactory)


class InspectionPhotoFactory(DjangoModelFactory):
    class Meta:
        model = InspectionPhoto

    inspection = factory.SubFactory(InspectionFactory)
    image = "inspections/2026/03/kitchen.jpg"
    content_type = "image/jpeg"
    width = 640
    height = 480
    uploaded_at = factory.LazyFunction(timezone.now)
