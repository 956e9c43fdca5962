"""The accountability job's audit entries: written set-based, the same as entry() makes, in fixed queries."""

import json
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.models import Breach, BreachKind
from accountability.services.breach_detection import recompute_accountability
from audit.models import AuditAction
from audit.services import entry
from coproduction.models import Claim, ClaimStatus
from partners.models import Resident
from tests.accountability.test_recompute import every_kind, overdue_duty, silent_claim
from tests.factories import ClaimFactory, OrganisationFactory, ParticipationFactory, ProjectFactory, TaskFactory

pytestmark = pytest.mark.django_db

COLUMNS = ("actor_id", "action", "content_type_id", "object_id", "object_repr", "before", "after", "note")
BREACH_NOTE = _("Detected by the accountability job.")
LAPSE_NOTE = _("No check-in within the task's rule: the claim lapsed and its place was freed.")


@pytest.fixture
def today():
    return timezone.localdate()


def typed(snapshot):
    """A snapshot as stored, with each value's JSON type beside it: "7" and 7 must not pass for one another."""
    if snapshot is None:
        return None
    return {key: (type(value).__name__, value) for key, value in json.loads(json.dumps(snapshot)).items()}


def columns(audit_entry):
    values = {name: getattr(audit_entry, name) for name in COLUMNS}
    return values | {"before": typed(values["before"]), "after": typed(values["after"])}


def test_each_kinds_breach_entry_equals_the_one_entry_makes(project, lead, provider, today, audit_of):
    every_kind(project, provider, today)  # with the provider's missing report, all five kinds

    recompute_accountability(today=today)

    breaches = Breach.objects.select_related("organisation")
    assert sorted(breaches.values_list("kind", flat=True)) == sorted(BreachKind.values)
    for breach in breaches:
        [written] = audit_of(breach)
        expected = entry(actor=None, action=AuditAction.CREATE, instance=breach, note=BREACH_NOTE)
        assert columns(written) == columns(expected), breach.kind


def test_a_breach_entry_names_a_long_organisation_cut_as_entry_cuts_it(project, today, audit_of):
    accountable = ParticipationFactory(project=project, organisation=OrganisationFactory(name="Org " + "n" * 196))
    overdue_duty(project, accountable, today)

    recompute_accountability(today=today)

    breach = Breach.objects.get(kind=BreachKind.OVERDUE_DUTY)
    [written] = audit_of(breach)
    assert written.object_repr == entry(actor=None, action=AuditAction.CREATE, instance=breach).object_repr
    assert len(written.object_repr) == 200


def test_a_lapsed_claims_entry_equals_the_one_the_lapse_wrote_before(project, lead, today, audit_of):
    claim = silent_claim(project)
    removed = silent_claim(project)
    Resident.objects.filter(pk=removed.resident_id).update(removed_at=timezone.now())

    recompute_accountability(today=today)

    for lapsed in Claim.objects.filter(pk__in=[claim.pk, removed.pk]).select_related("resident", "task"):
        after = entry(actor=None, action=AuditAction.CHANGE, instance=lapsed).after
        before = after | {"status": ClaimStatus.ACTIVE, "ended_at": None}
        expected = entry(
            actor=None, action=AuditAction.CHANGE, instance=lapsed, before=before, after=after, note=LAPSE_NOTE
        )
        [written] = audit_of(lapsed, AuditAction.CHANGE)
        assert columns(written) == columns(expected)
        assert written.after["status"] == ClaimStatus.LAPSED and written.before["status"] == ClaimStatus.ACTIVE


def misses_in_a_new_project(n, today):
    """n overdue duties and n silent claims in a new community's project: 2n breaches and n lapses."""
    project = ProjectFactory()
    provider = ParticipationFactory(project=project)
    task = TaskFactory(project=project, period_start=today - timedelta(days=60), capacity=n)
    for _number in range(n):
        overdue_duty(project, provider, today)
        ClaimFactory(task=task)
    Claim.objects.filter(task=task).update(claimed_at=timezone.now() - timedelta(days=42))
    return project.community_id


def audit_inserts_of_a_run(community_id, today):
    with CaptureQueriesContext(connection) as queries:
        counts = recompute_accountability(community_id=community_id, today=today)
    return sum('INSERT INTO "audit_auditentry"' in query["sql"] for query in queries.captured_queries), counts


def test_the_audit_entries_of_a_run_are_a_fixed_number_of_statements_for_10_and_100_misses(today):
    ContentType.objects.get_for_models(Breach, Claim)  # warm the cache both runs share
    ten, hundred = misses_in_a_new_project(10, today), misses_in_a_new_project(100, today)

    ten_inserts, ten_counts = audit_inserts_of_a_run(ten, today)
    hundred_inserts, hundred_counts = audit_inserts_of_a_run(hundred, today)

    assert (ten_counts["overdue_duty_opened"], ten_counts["lapsed_claim_opened"]) == (10, 10)
    assert (hundred_counts["overdue_duty_opened"], hundred_counts["lapsed_claim_opened"]) == (100, 100)
    # One for the lapses, one per kind that opened breaches (overdue duty, missed report, lapsed claim).
    assert ten_inserts == hundred_inserts == 4
