"""Fixtures for the evaluation tests: people in their roles, and a project with a full set of indicators."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from evaluation.models import Indicator, IndicatorSource
from partners.models import MembershipRole
from tests.factories import (
    IndicatorFactory,
    MembershipFactory,
    OfficialPostFactory,
    ProjectFactory,
    ResidentFactory,
    UserFactory,
)

# One indicator of every source; the output target is 1000 service units a period.
INDICATORS = [
    ("meals", IndicatorSource.REPORT_OUTPUTS, 30, 1000),
    ("satisfaction", IndicatorSource.SATISFACTION, 20, None),
    ("record", IndicatorSource.BREACHES, 20, None),
    ("inspections", IndicatorSource.INSPECTIONS, 10, None),
    ("judgement", IndicatorSource.EVALUATOR, 20, None),
]
PERIOD = (date(2025, 1, 1), date(2025, 6, 30))


def official_of(community):
    """A user with an official post over this one community."""
    return OfficialPostFactory(community=community).user


def street_official_of(street):
    return OfficialPostFactory(community=None, street=street).user


def district_official_of(district):
    return OfficialPostFactory(community=None, district=district).user


def staff_of(organisation, role=MembershipRole.STAFF):
    return MembershipFactory(organisation=organisation, role=role).user


def resident_user_of(community):
    return ResidentFactory(community=community, user=UserFactory()).user


def administrator():
    return UserFactory(is_superuser=True, is_staff=True)


def moment(day: date, hour: int = 10) -> datetime:
    """An aware datetime on that day, in the platform's time zone."""
    return timezone.make_aware(datetime.combine(day, time(hour)))


def indicator_rows(**changes) -> list[dict]:
    """The standard set as indicators_set() input; keyword arguments replace fields by code."""
    rows = [
        {"code": code, "name": code.title(), "weight": weight, "source": source, "target": target}
        for code, source, weight, target in INDICATORS
    ]
    for row in rows:
        row.update(changes.get(row["code"], {}))
    return rows


def give_indicators(service_item) -> dict[str, Indicator]:
    """Write the standard set directly, for tests about what comes after setting indicators."""
    return {
        code: IndicatorFactory(
            service_item=service_item, code=code, name=code.title(), weight=weight, source=source, target=target
        )
        for code, source, weight, target in INDICATORS
    }


@pytest.fixture
def project():
    """A project in operation from 2025 to 2027, whose service item has the standard indicators."""
    project = ProjectFactory(start_date=date(2025, 1, 1), end_date=date(2027, 12, 31))
    give_indicators(project.service_item)
    return project


@pytest.fixture
def official(project):
    return official_of(project.community)
