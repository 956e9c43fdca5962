"""Reads over residents' claims and check-ins: overdue claims, and the hours residents gave."""

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict

from django.db.models import DateField, DecimalField, F, Func, IntegerField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Greatest, Least, TruncDate

from coproduction.models import Claim, ClaimStatus
from partners.models import Community, Resident

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler, _AsSqlType
    from django_stubs_ext import WithAnnotations


def volunteer_hours_by_resident(*, community: Community) -> QuerySet[Resident]:
    """The community's residents, each annotated with `volunteer_hours`, most hours first.

    One query, for a league table or a supervision report; residents without check-ins count 0.
    """
    hours = Coalesce(
        Sum("claims__checkins__hours"), Value(Decimal("0")), output_field=DecimalField(max_digits=10, decimal_places=1)
    )
    residents: QuerySet[Resident] = (
        Resident.objects.filter(community=community)
        .annotate(volunteer_hours=hours)
        .order_by("-volunteer_hours", "name", "pk")
    )
    return residents


_DAY_ZERO = date(2000, 1, 1)


class DayNumber(Func):
    """Days from 2000-01-01 to a date, as an integer: date arithmetic SQLite and PostgreSQL share."""

    template = "((%(expressions)s)::date - DATE '2000-01-01')"
    output_field = IntegerField()

    def as_sqlite(self, compiler: "SQLCompiler", connection: "BaseDatabaseWrapper", **extra: Any) -> "_AsSqlType":
        template = "CAST(julianday(%(expressions)s) - julianday('2000-01-01') AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra)


def claims_overdue(*, today: date) -> QuerySet[Claim]:
    """Active claims whose check-ins stopped for longer than their task allows.

    The clock runs from the last check-in, or from the day of the claim if there was none, and
    never from before the task's period began (nobody can check in earlier). A claim lapses
    once more than checkin_interval_days x (missed_checkins_allowed + 1) days pass without a
    check-in, counted up to today or to the end of the task's period, whichever is earlier.
    """
    as_of = Least(Value(day_number(today)), DayNumber(F("task__period_end")))
    overdue: QuerySet[Claim] = (
        Claim.objects.filter(status=ClaimStatus.ACTIVE)
        .alias(lapses_after=_last_safe_day(), as_of=as_of)
        .filter(as_of__gt=F("lapses_after"))
    )
    return overdue


def day_number(day: date) -> int:
    """A date as the day numbers DayNumber() computes in SQL."""
    return (day - _DAY_ZERO).days


def date_of_day_number(number: int) -> date:
    return _DAY_ZERO + timedelta(days=number)


def _last_safe_day() -> Any:
    """The day number of the last day a check-in keeps the claim: the clock of claims_overdue()."""
    since = Greatest(
        Coalesce("last_checkin_on", TruncDate("claimed_at"), output_field=DateField()),
        F("task__period_start"),
        output_field=DateField(),
    )
    allowed_days = F("task__checkin_interval_days") * (F("task__missed_checkins_allowed") + 1)
    return DayNumber(since) + allowed_days


class _LastSafeDay(TypedDict):
    last_safe_day: int


LapsingClaim: TypeAlias = "WithAnnotations[Claim, _LastSafeDay]"


def claims_lapsing(*, today: date, within_days: int) -> "QuerySet[LapsingClaim]":
    """Active claims not yet overdue that will lapse unless their resident checks in within `within_days`
    days (today counted), by the rule of claims_overdue(); each annotated with `last_safe_day`, the day
    number (date_of_day_number()) of the last day a check-in keeps the place.

    A claim whose task's period ends before it would lapse is left out: it never lapses.
    """
    first = day_number(today)
    lapsing: QuerySet[LapsingClaim] = (
        Claim.objects.filter(status=ClaimStatus.ACTIVE)
        .annotate(last_safe_day=_last_safe_day())
        .filter(last_safe_day__gte=first, last_safe_day__lt=first + within_days)
        .filter(last_safe_day__lt=DayNumber(F("task__period_end")))
    )
    return lapsing
