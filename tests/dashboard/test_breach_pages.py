"""Officials' breach pages: open and resolved breaches with their age, and resolution with a sanction."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability.models import Breach, BreachKind, BreachStatus, Sanction, Severity
from audit.models import AuditEntry
from partners.models import OrganisationStatus
from tests import factories
from tests.pages import official_of, queries_to_get, staff_of

pytestmark = pytest.mark.django_db


def list_url(community, query=""):
    return reverse("dashboard:breach_list", kwargs={"code": community.code}) + query


def resolve_url(breach):
    return reverse("dashboard:breach_resolve", kwargs={"pk": breach.pk})


@pytest.fixture
def breach():
    """Found three days ago, by a job run late: the duty was due 65 days ago."""
    return factories.BreachFactory(
        detected_at=timezone.now() - timedelta(days=3), due_on=timezone.localdate() - timedelta(days=65)
    )


@pytest.fixture
def community(breach):
    return breach.project.community


@pytest.fixture
def official(community):
    return official_of(community)


def test_visitors_are_sent_to_the_login_page(client, community):
    response = client.get(list_url(community))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_staff_of_the_accountable_organisation_are_refused(client, breach):
    client.force_login(staff_of(breach.organisation))
    assert client.get(list_url(breach.project.community)).status_code == 403
    assert client.get(resolve_url(breach)).status_code == 403


def test_another_communitys_breach_is_not_found(client, breach):
    client.force_login(official_of(factories.CommunityFactory()))
    assert client.get(list_url(breach.project.community)).status_code == 404
    assert client.get(resolve_url(breach)).status_code == 404


def test_the_list_shows_open_breaches_with_their_age_by_default(client, breach, community, official):
    resolved = factories.BreachFactory(
        project=factories.ProjectFactory(community=community),
        status=BreachStatus.RESOLVED,
        resolved_at=timezone.now(),
        resolved_by=official,
        resolution="Fixed.",
        sanction=Sanction.WARNING,
    )
    factories.BreachFactory()  # another community's
    client.force_login(official)

    response = client.get(list_url(community))

    assert list(response.context["breaches"]) == [breach]
    page = response.content.decode()
    assert "65 days overdue" in page
    assert f'href="{resolve_url(breach)}"' in page
    assert list(client.get(list_url(community, "?status=resolved")).context["breaches"]) == [resolved]


def test_the_list_filters_by_kind_and_severity(client, breach, community, official):
    inspection = factories.InspectionFactory(project=breach.project)
    failed = factories.BreachFactory(
        project=breach.project,
        kind=BreachKind.FAILED_INSPECTION,
        duty=None,
        inspection=inspection,
        severity=Severity.HIGH,
    )
    client.force_login(official)
    assert list(client.get(list_url(community, "?kind=failed_inspection")).context["breaches"]) == [failed]
    assert list(client.get(list_url(community, "?severity=medium")).context["breaches"]) == [breach]


def test_the_list_makes_as_many_queries_for_thirty_breaches_as_for_three(client, community, official):
    client.force_login(official)
    factories.BreachFactory.create_batch(2, project=factories.ProjectFactory(community=community))
    small = queries_to_get(client, list_url(community))
    factories.BreachFactory.create_batch(27, project=factories.ProjectFactory(community=community))
    assert len(client.get(list_url(community)).context["breaches"]) == 30
    assert queries_to_get(client, list_url(community)) == small


def test_an_official_resolves_a_breach_with_a_warning(client, breach, official):
    client.force_login(official)

    data = {"resolution": "Kitchen cleaned; photos checked.", "sanction": "warning"}
    response = client.post(resolve_url(breach), data)

    assert response.status_code == 302
    breach.refresh_from_db()
    assert breach.status == BreachStatus.RESOLVED and breach.resolved_by == official
    assert breach.sanction == Sanction.WARNING and breach.resolution == "Kitchen cleaned; photos checked."


def test_suspension_suspends_the_organisation(client, breach, official):
    client.force_login(official)
    client.post(resolve_url(breach), {"resolution": "Third miss this quarter.", "sanction": "suspension"})
    breach.organisation.refresh_from_db()
    assert breach.organisation.status == OrganisationStatus.SUSPENDED


def test_resolving_without_a_resolution_is_refused_inline_with_nothing_written(client, breach, official):
    client.force_login(official)
    entries = AuditEntry.objects.count()

    response = client.post(resolve_url(breach), {"resolution": " ", "sanction": "blacklist"})

    assert response.status_code == 200
    assert response.context["form"].errors["resolution"] == ["Say how the breach was resolved."]
    assert response.context["form"]["sanction"].value() == "blacklist"
    breach.refresh_from_db()
    assert breach.status == BreachStatus.OPEN and breach.sanction == Sanction.NONE
    assert breach.organisation.status == OrganisationStatus.APPROVED
    assert AuditEntry.objects.count() == entries


def test_resolving_a_resolved_breach_again_is_refused_at_the_top(client, breach, official):
    client.force_login(official)
    client.post(resolve_url(breach), {"resolution": "Done.", "sanction": "none"})

    response = client.post(resolve_url(breach), {"resolution": "Again.", "sanction": "warning"})

    assert response.context["form"].non_field_errors() == ["This breach has already been resolved."]
    assert Breach.objects.get(pk=breach.pk).sanction == Sanction.NONE
