"""Reads over residents' claims and check-ins: overdue claims, and the hours residents gave."""

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import DateField, DecimalField, F, Func, IntegerField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Greatest, Least, TruncDate

from coproduction.models import Claim, ClaimStatus
from partners.models import Community, Resident

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler, _AsSqlType


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
    since = Greatest(
        Coalesce("last_checkin_on", TruncDate("claimed_at"), output_field=DateField()),
        F("task__period_start"),
        output_field=DateField(),
    )
    allowed_days = F("task__checkin_interval_days") * (F("task__missed_checkins_allowed") + 1)
    as_of = Least(Value((today - _DAY_ZERO).days), DayNumber(F("task__period_end")))
    overdue: QuerySet[Claim] = (
        Claim.objects.filter(status=ClaimStatus.ACTIVE)
        .alias(lapses_after=DayNumber(since) + allowed_days, as_of=as_of)
        .filter(as_of__gt=F("lapses_after"))
    )
    return overdue
