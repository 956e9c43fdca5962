"""What the residents' pages read: through visible_to(user), narrowed to the resident's community and records."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery
from django.utils import timezone

from accountability.models import Complaint
from coproduction.models import CheckIn, Claim, ClaimStatus, Need, Project, Stage, Task, TaskStatus
from evaluation.models import Rating
from evaluation.services.ratings import RATEABLE_STAGES
from partners.models import Resident
from service_list.models import ServiceListItem

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class _MyClaim(TypedDict):
        my_claim_id: int | None

    # A task as claimable_tasks() gives it: with the resident's active claim on it, or None.
    ClaimableTask = WithAnnotations[Task, _MyClaim]


def claimable_tasks(*, user, resident: Resident) -> QuerySet[ClaimableTask]:
    """Open tasks of running projects in the resident's community, each with `my_claim_id`
    (the resident's active claim on it, or None), in map order within each project."""
    mine = Claim.objects.filter(task=OuterRef("pk"), resident=resident, status=ClaimStatus.ACTIVE)
    return (
        Task.objects.visible_to(user)
        .filter(
            project__community_id=resident.community_id,
            project__stage=Stage.OPERATION,
            status=TaskStatus.OPEN,
            period_end__gte=timezone.localdate(),
        )
        .select_related("project")
        .annotate(my_claim_id=Subquery(mine.values("pk")[:1]))
        .order_by("project__name", "project_id", "grid_row", "grid_column", "code")
    )


def tasks_i_hold(tasks: QuerySet[ClaimableTask]) -> QuerySet[ClaimableTask]:
    """Of claimable_tasks(), those the resident holds an active claim on."""
    return tasks.filter(my_claim_id__isnull=False)


def tasks_to_find(
    tasks: QuerySet[ClaimableTask], *, project: Project | None = None, free_only: bool = False
) -> QuerySet[ClaimableTask]:
    """Of claimable_tasks(), those the resident does not hold, of one project if given; with
    `free_only`, only those with a place left."""
    tasks = tasks.filter(my_claim_id__isnull=True)
    if project is not None:
        tasks = tasks.filter(project=project)
    if free_only:
        tasks = tasks.filter(active_claims__lt=F("capacity"))
    return tasks


def projects_with_claimable_tasks(*, user, resident: Resident) -> QuerySet[Project]:
    tasks = claimable_tasks(user=user, resident=resident)
    return Project.objects.visible_to(user).filter(Exists(tasks.filter(project=OuterRef("pk")))).order_by("name")


def my_active_claims(*, user, resident: Resident) -> QuerySet[Claim]:
    return (
        Claim.objects.visible_to(user)
        .filter(resident=resident, status=ClaimStatus.ACTIVE)
        .select_related("task__project")
        .order_by("-claimed_at")
    )


def my_checkins(*, user, resident: Resident) -> QuerySet[CheckIn]:
    return (
        CheckIn.objects.visible_to(user)
        .filter(claim__resident=resident)
        .select_related("claim__task__project")
        .order_by("-on", "-pk")
    )


def running_projects(*, user, resident: Resident) -> QuerySet[Project]:
    """The projects of the resident's community that are delivering their service: the ones
    that may be rated and complained about."""
    return (
        Project.objects.visible_to(user)
        .filter(community_id=resident.community_id, stage__in=RATEABLE_STAGES)
        .order_by("name")
    )


def my_ratings(*, user, resident: Resident) -> QuerySet[Rating]:
    ratings = Rating.objects.visible_to(user).filter(resident=resident)
    return ratings.select_related("project").order_by("-period", "project__name")


def my_complaints(*, user, resident: Resident) -> QuerySet[Complaint]:
    return (
        Complaint.objects.visible_to(user)
        .filter(resident=resident)
        .select_related("project", "routed_to")
        .order_by("-filed_at")
    )


def my_needs(*, resident: Resident) -> QuerySet[Need]:
    needs = Need.objects.visible_to(resident.user).filter(resident=resident)
    return needs.select_related("service_item", "project").order_by("-created_at")


def published_service_items(*, user) -> QuerySet[ServiceListItem]:
    return ServiceListItem.objects.visible_to(user).published().order_by("name")
