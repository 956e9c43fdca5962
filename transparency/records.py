"""The public record of a community, read through the models' `public()` rules, in a bounded number of queries.

Everything the public pages and downloads show comes from here, so that a page and its download
can never disagree about what is public. Nothing that names a person is read: no residents, no
contact persons, no reviewers or evaluators, no individual ratings.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django.db.models import Avg, Count, Prefetch, Q, QuerySet, Sum

from coproduction.models import Call, CallStatus, Contribution, ContributionKind, Participation, Project
from evaluation.models import Evaluation, Rating
from partners.models import Community
from service_list.models import ServiceListItem

# Below this many ratings the mean is not shown: with one or two raters it would give away
# what an individual resident said.
MIN_RATINGS_SHOWN = 3
# Amounts are published in yuan with fen: zero, and the places every amount is rounded to.
CENTS = Decimal("0.00")


@dataclass(frozen=True)
class Satisfaction:
    """Residents' ratings of a project, as an aggregate only."""

    mean: Decimal | None
    ratings: int


if TYPE_CHECKING:

    class PublicProject(Project):
        """A public project as `projects_of()` gives it: the attributes it sets on each one."""

        partners: list[Participation]
        awards: list[Call]
        evaluations_in_order: list[Evaluation]
        contributions_by_kind: dict[str, Decimal]
        contributions_total: Decimal
        satisfaction: Satisfaction
        latest_evaluation: Evaluation | None
        final_evaluation: Evaluation | None
else:
    PublicProject = Project


def communities() -> QuerySet[Community]:
    """Every community is public; each carries how many public projects and open calls it has."""
    public_projects = Project.objects.public().values("pk")
    open_calls = Call.objects.public().filter(status=CallStatus.OPEN).values("pk")
    return (
        Community.objects.select_related("street__district")
        .annotate(
            public_project_count=Count("projects", filter=Q(projects__in=public_projects), distinct=True),
            open_call_count=Count("projects__calls", filter=Q(projects__calls__in=open_calls), distinct=True),
        )
        .order_by("street__district__name", "street__name", "name")
    )


def service_list() -> QuerySet[ServiceListItem]:
    """The published service list: one current version of each item, by category."""
    return ServiceListItem.objects.public().select_related("category").order_by("category__name", "name", "code")


def calls_of(community: Community) -> QuerySet[Call]:
    """The community's open and awarded calls with their criteria and, once awarded, the winner."""
    return (
        Call.objects.public()
        .filter(project__community=community)
        .select_related("project__service_item", "awarded_application__organisation")
        .prefetch_related("criteria")
        .order_by("status", "-deadline", "pk")
    )


def projects_of(community: Community) -> list[PublicProject]:
    """The community's public projects, each with its partners, awards, evaluations and figures."""
    return with_figures(_projects().filter(community=community).order_by("name"))


def project_of(community: Community, pk: int) -> PublicProject | None:
    """One public project of the community with its figures; None when there is none such."""
    projects = with_figures(_projects().filter(community=community, pk=pk))
    return projects[0] if projects else None


def _projects() -> QuerySet[Project]:
    awarded_calls = (
        Call.objects.public()
        .filter(status=CallStatus.AWARDED)
        .select_related("awarded_application__organisation")
        .order_by("awarded_at", "pk")
    )
    return (
        Project.objects.public()
        .select_related("service_item", "community")
        .prefetch_related(
            Prefetch(
                "participations", queryset=Participation.objects.select_related("organisation"), to_attr="partners"
            ),
            Prefetch("calls", queryset=awarded_calls, to_attr="awards"),
            Prefetch(
                "evaluations", queryset=Evaluation.objects.order_by("period_start"), to_attr="evaluations_in_order"
            ),
        )
    )


def with_figures(queryset: QuerySet[Project]) -> list[PublicProject]:
    """The projects, each given `contributions_by_kind` ({kind: yuan}), `contributions_total`,
    `satisfaction`, `latest_evaluation` and `final_evaluation`: two grouped queries for all of them."""
    # The queryset comes from `_projects()`, whose prefetches set the other attributes.
    projects = cast("list[PublicProject]", list(queryset))
    ids = [project.pk for project in projects]
    contributions = _contributions_by_project(ids)
    satisfaction = _satisfaction_by_project(ids)
    for project in projects:
        project.contributions_by_kind = contributions.get(project.pk, _no_contributions())
        project.contributions_total = sum(project.contributions_by_kind.values(), CENTS)
        project.satisfaction = satisfaction.get(project.pk, Satisfaction(mean=None, ratings=0))
        evaluations = project.evaluations_in_order
        project.latest_evaluation = evaluations[-1] if evaluations else None
        project.final_evaluation = next((evaluation for evaluation in evaluations if evaluation.is_final), None)
    return projects


def _contributions_by_project(ids: list[int]) -> dict[int, dict[str, Decimal]]:
    totals: dict[int, dict[str, Decimal]] = {}
    rows = (
        Contribution.objects.filter(project__in=ids)
        .order_by()
        .values_list("project", "kind")
        .annotate(total=Sum("value"))
    )
    for project_id, kind, total in rows:
        # SQLite sums decimals without their places; amounts are published in yuan and fen.
        totals.setdefault(project_id, _no_contributions())[kind] = total.quantize(CENTS)
    return totals


def _no_contributions() -> dict[str, Decimal]:
    return dict.fromkeys(ContributionKind.values, CENTS)


def _satisfaction_by_project(ids: list[int]) -> dict[int, Satisfaction]:
    rows = (
        Rating.objects.filter(project__in=ids)
        .order_by()
        .values_list("project")
        .annotate(mean=Avg("score"), count=Count("pk"))
    )
    return {
        project_id: Satisfaction(
            mean=Decimal(str(mean)).quantize(Decimal("0.01")) if count >= MIN_RATINGS_SHOWN else None,
            ratings=count,
        )
        for project_id, mean, count in rows
    }
