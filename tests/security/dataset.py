"""The world the access matrix is walked in: two communities, A and B, each with one record of
every kind, and one user per role.

Both communities hold the same records, so that every object URL can be asked with A's record
and with B's. The roles all belong to community A (its resident, the manager of the NGO that
delivers A's project, its official), except the official of B; the administrator oversees both.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.utils import timezone

from accountability.models import DutyCompletionAttachment, InspectionPhoto, InspectionTemplate, PeriodKind, RaciRole
from audit.models import AuditAction
from audit.services import record
from coproduction.models import ApplicationAttachment, Stage
from notifications.models import Notification
from partners.models import MembershipRole
from tests import factories

# The smallest PDF, for report and application files.
PDF = b"%PDF-1.4\n%%EOF\n"
# The smallest valid PNG: check-in photos are served with the type read from their name.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@dataclass
class World:
    """Records by name: `a` and `b` per community, `shared` for the platform-wide ones; the user
    and the session key of each role (sessions["anonymous"] is None)."""

    a: dict = field(default_factory=dict)
    b: dict = field(default_factory=dict)
    shared: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    sessions: dict = field(default_factory=dict)


def _community_records(name: str, service_item) -> dict:
    """One record of each kind in a new community of its own street and district."""
    community = factories.CommunityFactory(code=f"community-{name}")
    organisation = factories.OrganisationFactory(home_community=community, name=f"NGO {name}")
    project = factories.ProjectFactory(community=community, service_item=service_item, name=f"Project {name}")
    participation = factories.ParticipationFactory(project=project, organisation=organisation)
    design = factories.ProjectFactory(community=community, service_item=service_item, stage=Stage.DESIGN)
    call = factories.CallFactory(project=design)
    criterion = factories.CriterionFactory(call=call, weight=100)
    resident = factories.ResidentFactory(community=community, user=factories.UserFactory())
    task = factories.TaskFactory(project=project, capacity=2)
    claim = factories.ClaimFactory(task=task, resident=resident)
    checkin = factories.CheckInFactory(claim=claim)
    checkin.photo.save("photo.png", ContentFile(PNG))
    report = factories.ServiceReportFactory(project=project, organisation=organisation)
    attachment = factories.ReportAttachmentFactory(report=report, content_type="application/pdf")
    attachment.file.save("receipts.pdf", ContentFile(PDF))
    # A second provider, for the responsibility matrix: consulted on the duty, not yet informed.
    partner = factories.ParticipationFactory(project=project, organisation=factories.OrganisationFactory())
    duty = factories.DutyFactory(project=project, accountable=participation)
    factories.DutyAssignmentFactory(duty=duty, participation=partner, role=RaciRole.CONSULTED)
    now = timezone.now()
    # The files served after a permission check: a photo or file of each kind.
    application = factories.ApplicationFactory(call=call, organisation=organisation)
    application_attachment = ApplicationAttachment(
        application=application, original_name="plan.pdf", content_type="application/pdf", size=len(PDF)
    )
    application_attachment.file.save("plan.pdf", ContentFile(PDF))
    # An earlier occurrence: the current one is still to be completed.
    duty_completion = factories.DutyCompletionFactory(duty=duty, due_on=duty.next_due_on - timedelta(days=7))
    evidence = DutyCompletionAttachment(
        completion=duty_completion, original_name="yard.png", content_type="image/png", size=len(PNG)
    )
    evidence.file.save("yard.png", ContentFile(PNG))
    complaint = factories.ComplaintFactory(project=project, resident=resident, routed_to=organisation)
    complaint.photo.save("photo.png", ContentFile(PNG))
    inspection = factories.InspectionFactory(project=project, organisation=organisation)
    inspection_photo = InspectionPhoto(
        inspection=inspection, content_type="image/png", width=1, height=1, uploaded_at=now
    )
    inspection_photo.image.save("photo.png", ContentFile(PNG))
    return {
        "community": community,
        "street": community.street,
        "district": community.street.district,
        "organisation": organisation,
        "project": project,
        "participation": participation,
        "partner": partner,
        "contribution": factories.ContributionFactory(participation=participation),
        "design_project": design,
        # A project has one call under way at a time: a new call is opened on a project without one.
        "design_project_without_call": factories.ProjectFactory(
            community=community, service_item=service_item, stage=Stage.DESIGN
        ),
        "call": call,
        "criterion": criterion,
        "application": application,
        "application_attachment": application_attachment,
        "resident": resident,
        "task": task,
        "claim": claim,
        "checkin": checkin,
        "report": report,
        "attachment": attachment,
        "duty": duty,
        "duty_completion": duty_completion,
        "duty_evidence": evidence,
        "matrix_cell": SimpleNamespace(inform_partner=f"{duty.pk}:{partner.pk}:{RaciRole.INFORMED}"),
        "complaint": complaint,
        "inspection": inspection,
        "inspection_photo": inspection_photo,
        "breach": factories.BreachFactory(project=project, duty=duty),
        "risk": factories.RiskFactory(community=community, project=project),
        "supervision_report": factories.SupervisionReportFactory(community=community, period_kind=PeriodKind.MONTHLY),
        "evaluation": factories.EvaluationFactory(project=project),
        "rating": factories.RatingFactory(project=project, resident=resident),
        "need": factories.NeedFactory(community=community, resident=resident),
        "job_run": factories.JobRunFactory(community=community, started_at=now - timedelta(minutes=5)),
        "trust_score": factories.TrustScoreFactory(organisation=organisation),
        # The community's resident's own notification.
        "notification": Notification.objects.create(
            recipient=resident.user, kind="complaint_answered", key=name, url="/me/"
        ),
    }


def build_world() -> World:
    world = World()
    service_item = factories.ServiceListItemFactory()
    world.shared = {
        "service_item": service_item,
        "draft_item": factories.ServiceListItemFactory(draft=True),
        "indicator": factories.IndicatorFactory(service_item=service_item),
    }
    world.a = _community_records("a", service_item)
    world.b = _community_records("b", service_item)
    admin = factories.UserFactory(is_superuser=True, is_staff=True, username="administrator")
    world.users = {
        "resident": world.a["resident"].user,
        "ngo_staff": factories.MembershipFactory(
            organisation=world.a["organisation"], role=MembershipRole.MANAGER
        ).user,
        "official_a": factories.OfficialPostFactory(community=world.a["community"]).user,
        "official_b": factories.OfficialPostFactory(community=world.b["community"]).user,
        "admin": admin,
    }
    world.shared["audit_entry"] = record(actor=admin, action=AuditAction.CREATE, instance=world.a["project"])
    # The checklist of the service both communities deliver: the officials of each see it.
    world.shared["inspection_template"] = InspectionTemplate.objects.create(
        service_item=service_item, items=["Kitchen clean"], updated_at=timezone.now(), updated_by=admin
    )
    return world
