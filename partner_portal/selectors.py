"""Reads for the portal: what the user's organisations must do, answer, fix and may apply to.

Every read starts from `<Model>.objects.visible_to(user)` and narrows it to the user's
organisations, with the joins a page needs so that it makes the same few queries whatever
the number of rows.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, cast

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from accountability.models import Breach, Complaint, Duty, DutyAssignment, DutyCompletion, DutyStatus, RaciRole
from accountability.selectors import duty_evidence
from accountability.services.complaints import AWAITING_RESPONSE
from coproduction.models import (
    Application,
    Call,
    CallStatus,
    Participation,
    ParticipationRole,
    Project,
    ReportStatus,
    ServiceReport,
)
from evaluation.models import Evaluation, IndicatorScore, TrustScore
from partners.models import Organisation
from partners.roles import organisations_of

# The roles judged by evaluations (as in evaluation.services.trust_scores): those who deliver the service.
DELIVERING_ROLES = (ParticipationRole.PROVIDER, ParticipationRole.LEAD)


@dataclass
class ProjectPart:
    """One project an organisation takes part in, with every role it holds there (lead and provider, say)."""

    project: Project
    roles: list[str] = field(default_factory=list)
    left_on: date | None = None


def _parts_by_project(participations: list[Participation]) -> list[ProjectPart]:
    parts: dict[int, ProjectPart] = {}
    left: dict[int, list[date | None]] = {}
    for participation in participations:
        part = parts.setdefault(participation.project_id, ProjectPart(project=participation.project))
        part.roles.append(participation.get_role_display())
        left.setdefault(participation.project_id, []).append(participation.left_on)
    for project_id, part in parts.items():
        # The organisation has left the project only once every part it held there has ended.
        dates = left[project_id]
        ended = [day for day in dates if day is not None]
        part.left_on = max(ended) if len(ended) == len(dates) else None
    return list(parts.values())


if TYPE_CHECKING:

    class OrganisationWithProjects(Organisation):
        """An organisation as `organisations_with_projects()` gives it."""

        participations_listed: list[Participation]
        project_parts: list[ProjectPart]

    class OrganisationWithTrust(Organisation):
        """An organisation as `organisations_with_trust()` gives it."""

        latest_trust: int | None
        trust: TrustScore | None
else:
    OrganisationWithProjects = OrganisationWithTrust = Organisation


def organisations_with_projects(user) -> list[OrganisationWithProjects]:
    """The user's organisations, each with `project_parts`: one ProjectPart per project it takes part in."""
    participations = Participation.objects.select_related("project__community").order_by("project__name", "role")
    organisations = cast(
        "list[OrganisationWithProjects]",
        list(
            organisations_of(user).prefetch_related(
                Prefetch("participations", queryset=participations, to_attr="participations_listed")
            )
        ),
    )
    for organisation in organisations:
        organisation.project_parts = _parts_by_project(organisation.participations_listed)
    return organisations


def duties_due(user, *, today: date | None = None) -> list[Duty]:
    """Active duties the user's organisations are Accountable or Responsible for, most overdue first.

    Each carries `days_overdue` (0 when not yet due).
    """
    today = today or timezone.localdate()
    organisations = organisations_of(user).values("pk")
    responsible = DutyAssignment.objects.filter(
        role=RaciRole.RESPONSIBLE, participation__organisation__in=organisations
    ).values("duty")
    duties = list(
        Duty.objects.visible_to(user)
        .filter(status=DutyStatus.ACTIVE)
        .filter(Q(accountable__organisation__in=organisations) | Q(pk__in=responsible))
        .select_related("project__community", "accountable__organisation")
        .order_by("next_due_on", "pk")
    )
    for duty in duties:
        duty.days_overdue = max((today - duty.next_due_on).days, 0)
    return duties


def completions_of(user, duty: Duty) -> QuerySet[DutyCompletion]:
    """The duty's completed occurrences, latest first, each with who completed it and its files."""
    return (
        duty_evidence(user)
        .filter(duty=duty)
        .select_related("completed_by")
        .prefetch_related("attachments")
        .order_by("-due_on", "-pk")
    )


def complaints_to_answer(user) -> QuerySet[Complaint]:
    """Complaints routed to the user's organisations that await a response, nearest deadline first."""
    return (
        Complaint.objects.visible_to(user)
        .filter(routed_to__in=organisations_of(user).values("pk"), status__in=AWAITING_RESPONSE)
        .select_related("project__community", "routed_to")
        .order_by("response_due_at", "pk")
    )


def reports_of(user) -> QuerySet[ServiceReport]:
    """Reports of the user's organisations, with the project and the number of attachments."""
    return (
        ServiceReport.objects.visible_to(user)
        .filter(organisation__in=organisations_of(user).values("pk"))
        .select_related("project__community", "organisation")
        .annotate(attachment_count=Count("attachments"))
    )


def returned_reports(user) -> QuerySet[ServiceReport]:
    """Reports waiting on the organisation: returned by a reviewer, or withdrawn and not yet sent again."""
    waiting = (ReportStatus.RETURNED, ReportStatus.WITHDRAWN)
    return reports_of(user).filter(status__in=waiting).order_by("period_start", "pk")


def reporting_organisations(user, project: Project) -> QuerySet[Organisation]:
    """The user's organisations taking part in the project: the ones that may report on it."""
    parts = Participation.objects.filter(project=project).values("organisation")
    return organisations_of(user).filter(pk__in=parts)


def breaches_of(user) -> QuerySet[Breach]:
    return (
        Breach.objects.visible_to(user)
        .filter(organisation__in=organisations_of(user).values("pk"))
        .select_related("project__community", "organisation")
        .order_by("status", "-detected_at")
    )


def evaluations_of(user) -> QuerySet[Evaluation]:
    """Evaluations of the projects the user's organisations deliver, with their indicator scores."""
    delivered = Participation.objects.filter(
        organisation__in=organisations_of(user).values("pk"), role__in=DELIVERING_ROLES
    ).values("project")
    scores = IndicatorScore.objects.select_related("indicator").order_by("-weight", "indicator__name")
    return (
        Evaluation.objects.visible_to(user)
        .filter(project__in=delivered)
        .select_related("project__community")
        .prefetch_related(Prefetch("scores", queryset=scores))
        .order_by("-period_start", "project__name")
    )


def organisations_with_trust(user) -> list[OrganisationWithTrust]:
    """The user's organisations, each with `trust`: its latest TrustScore or None (two queries)."""
    latest = TrustScore.objects.filter(organisation=OuterRef("pk")).order_by("-computed_on").values("pk")[:1]
    organisations = cast(
        "list[OrganisationWithTrust]", list(organisations_of(user).annotate(latest_trust=Subquery(latest)))
    )
    scores = TrustScore.objects.visible_to(user).in_bulk([o.latest_trust for o in organisations if o.latest_trust])
    for organisation in organisations:
        organisation.trust = scores.get(organisation.latest_trust)
    return organisations


def open_calls(user) -> QuerySet[Call]:
    """Calls still taking applications, soonest deadline first."""
    return (
        Call.objects.visible_to(user)
        .filter(status=CallStatus.OPEN, deadline__gt=timezone.now())
        .select_related("project__community", "project__service_item")
        .order_by("deadline", "pk")
    )


def applications_of(user) -> QuerySet[Application]:
    return (
        Application.objects.visible_to(user)
        .filter(organisation__in=organisations_of(user).values("pk"))
        .select_related("call__project__community", "organisation")
        .order_by("-submitted_at", "pk")
    )
