"""Reads for selection: how the applications to a call rank, and who may not review them."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, TypeAlias, TypedDict

from django.db.models import Avg, Count, F, Q, QuerySet

from coproduction.models import Application, ApplicationStatus, Call, ConflictDeclaration
from partners.models import Organisation, User

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _Ranking(TypedDict):
    mean_total: Decimal | None
    review_count: int


# An application as application_ranking() gives it, with its mean review total and review count.
RankedApplication: TypeAlias = "WithAnnotations[Application, _Ranking]"


def application_ranking(call: Call) -> QuerySet[RankedApplication]:
    """The applications still in contention, best mean review total first, in one query.

    Each row carries `mean_total` (the mean of its reviews' weighted totals, None before any
    review) and `review_count`. Withdrawn applications are left out: they cannot be awarded.
    Ties on the mean keep the order of submission, so the ranking is stable between reads.
    """
    ranking: QuerySet[RankedApplication] = (
        Application.objects.filter(call=call)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .select_related("organisation")
        .annotate(mean_total=Avg("reviews__total"), review_count=Count("reviews"))
        .order_by(F("mean_total").desc(nulls_last=True), "submitted_at", "pk")
    )
    return ranking


def reviews_missing(ranking: Iterable[RankedApplication], *, min_reviewers: int) -> dict[Application, int]:
    """For each ranked application short of reviews, how many more it needs."""
    return {
        application: min_reviewers - application.review_count
        for application in ranking
        if application.review_count < min_reviewers
    }


def conflict_declared(*, reviewer: User, organisation: Organisation | int, call: Call) -> bool:
    """A declared conflict bars the reviewer: one for this call, or one for every call."""
    organisation_id = organisation.pk if isinstance(organisation, Organisation) else organisation
    return ConflictDeclaration.objects.filter(
        Q(call=call) | Q(call__isnull=True), reviewer=reviewer, organisation_id=organisation_id
    ).exists()
