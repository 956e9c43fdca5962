"""What one seeding run carries from step to step: today, the scale, seeded randomness, the rows made."""

import calendar
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from partners.models import District, Street

# Changing the seed changes every generated name, number and date offset of the demo.
SEED = "coproduction-demo-2026"


@dataclass
class Login:
    username: str
    role: str
    lands_on: str
    sees: str


@dataclass
class Seeding:
    scale: int
    today: date
    log: Callable[[str], None]
    # Set by the territory step, the first.
    district: District = field(init=False)
    town: Street = field(init=False)
    communities: dict = field(default_factory=dict)  # key -> Community
    community_numbers: dict = field(default_factory=dict)  # key -> stable small integer
    organisations: dict = field(default_factory=dict)  # key -> Organisation
    users: dict = field(default_factory=dict)  # key -> User
    org_users: dict = field(default_factory=dict)  # organisation key -> User acting for it
    officials: dict = field(default_factory=dict)  # community key -> User holding a post there
    residents: dict = field(default_factory=dict)  # community key -> [Resident] in index order
    items: dict = field(default_factory=dict)  # item code -> published ServiceListItem
    projects: dict = field(default_factory=dict)  # project key -> Project
    plans: dict = field(default_factory=dict)  # project key -> ProjectPlan
    participations: dict = field(default_factory=dict)  # (project key, org key, role) -> Participation
    logins: list = field(default_factory=list)
    # When this run began: rows stamped since then were written by it (see clock.backdate_fresh).
    started: datetime = field(default_factory=timezone.now)

    def rng(self, *parts) -> random.Random:
        """A random source of its own for each subject, so that adding rows elsewhere never shifts it."""
        return random.Random("|".join([SEED, *map(str, parts)]))

    def days_ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def days_ahead(self, days: int) -> date:
        return self.today + timedelta(days=days)

    def at(self, day: date, hour: int = 9, minute: int = 0) -> datetime:
        """An aware moment on a day, never later than now (the demo records no future events)."""
        moment = timezone.make_aware(datetime.combine(day, time(hour, minute)))
        return min(moment, timezone.now() - timedelta(minutes=5)) if day <= self.today else moment

    def participation(self, project_key: str, org_key: str, role: str):
        return self.participations[(project_key, org_key, role)]


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def months_between(first: date, last: date) -> list[date]:
    """First days of the calendar months from first's month to last's month, both included."""
    months, current = [], month_start(first)
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


def money(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
