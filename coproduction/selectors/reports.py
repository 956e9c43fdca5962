"""Reads over service reports that the supervision rules of higher apps build on."""

from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, F, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from coproduction.models import Project, ReportStatus, ServiceReport
from partners.models import Organisation

# A returned report's figures are still being corrected: only submitted and accepted ones count.
COUNTED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
_BEFORE_ANY_PERIOD = date(1, 1, 1)


def loss_making_streak(*, project: Project, organisation: Organisation | None = None) -> int:
    """How many of the most recent reported periods in a row ran at a loss (cost above income plus subsidy).

    A period is one period_start; with several providers their figures for it are added up,
    unless `organisation` narrows the count to one of them. The streak is the number of
    loss-making periods after the latest period that broke even, counted in one query; the
    dining halls the seeds describe close after such a run, so accountability raises a
    financial-sustainability risk from it.
    """
    reports = ServiceReport.objects.filter(project=project, status__in=COUNTED_STATUSES)
    if organisation is not None:
        reports = reports.filter(organisation=organisation)
    money: DecimalField[Decimal, Decimal] = DecimalField(max_digits=16, decimal_places=2)
    periods = (
        reports.order_by()
        .values("period_start")
        .annotate(balance=Sum(F("income") + F("subsidy") - F("cost"), output_field=money))
    )
    last_break_even = periods.filter(balance__gte=0).order_by("-period_start").values("period_start")[:1]
    since = Coalesce(Subquery(last_break_even), Value(_BEFORE_ANY_PERIOD))
    streak: int = periods.filter(balance__lt=0, period_start__gt=since).count()
    return streak
