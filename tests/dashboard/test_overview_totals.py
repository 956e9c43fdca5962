"""The "needs attention" lists read their totals with their rows: complete beyond the limit, zero when empty."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accountability.models import Severity
from dashboard import metrics
from partners.models import Community
from tests import factories

pytestmark = pytest.mark.django_db


def only(community):
    return Community.objects.filter(pk=community.pk)


def test_a_community_with_nothing_to_attend_to_counts_zero_everywhere():
    community = factories.CommunityFactory()
    factories.BreachFactory(severity=Severity.HIGH)  # another community's
    now = timezone.now()
    today = timezone.localdate(now)

    assert metrics.overdue_duties(only(community), today=today) == {"count": 0, "rows": []}
    assert metrics.open_breaches(only(community), today=today) == {"count": 0, "high": 0, "rows": []}
    assert metrics.open_complaints(only(community), now=now) == {"count": 0, "overdue": 0, "rows": []}
    assert metrics.reports_awaiting_review(only(community), today=today) == {"count": 0, "rows": []}


def test_the_filtered_totals_cover_the_rows_past_the_limit():
    project = factories.ProjectFactory()
    now = timezone.now()
    for days in range(1, 5):
        factories.BreachFactory(project=project, detected_at=now - timedelta(days=days), severity=Severity.HIGH)
    factories.BreachFactory(project=project, detected_at=now)

    breaches = metrics.open_breaches(only(project.community), today=timezone.localdate(now), limit=2)

    assert (breaches["count"], breaches["high"], len(breaches["rows"])) == (5, 4, 2)
    assert set(breaches["rows"][0]) == {
        "id",
        "kind",
        "severity",
        "detected_at",
        "project_id",
        "project__name",
        "organisation__name",
        "kind_label",
        "severity_label",
        "age_days",
    }
