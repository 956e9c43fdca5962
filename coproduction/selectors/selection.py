"""Reads for selection: how the applications to a call rank, and who may not review them."""
from django.db.models import Avg, Count, F, Q, QuerySet

from coproduction.models import Application, ApplicationStatus, Call, ConflictDeclaration
from partners.models import Organisation


def application_ranking(call: Call) -> QuerySet[Application]:
    """The applications still in contention, best mean review total first, in one query.

    Each row carries `mean_total` (the mean of its reviews' weighted totals, None before any
    review) and `review_count`. Withdrawn applications are left out: they cannot be awarded.
    Ties on the mean keep the order of submission, so the ranking is stable between reads.
    """
    return (
        Application.objects.filter(call=call)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .select_related("organisation")
        .annotate(mean_total=Avg("reviews__total"), review_count=Count("reviews"))
        .order_by(F("mean_total").desc(nulls_last=True), "submitted_at", "pk")
    )


def reviews_missing(ranking, *, min_reviewers: int) -> dict[Application, int]:
    """For each ranked application short of reviews, how many more it needs."""
    return {
        application: min_reviewers - application.review_count
        for application in ranking
        if application.review_count < min_reviewers
    }


def conflict_declared(*, reviewer, organisation: Organisation | int, call: Call) -> bool:
    """A declared conflict bars the reviewer: one for this call, or one for every call."""
    organisation_id = getattr(organisation, "pk", organisation)
    return ConflictDeclaration.objects.filter(
        Q(call=call) | Q(call__isnull=True), reviewer=reviewer, organisation_id=organisation_id
    ).exists()
