"""Set-based audit entries: one INSERT ... SELECT writes, for every row, the entry entry() would make."""

import json
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F, Value
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accountability.models import Breach, BreachKind
from audit.models import AuditAction, AuditEntry
from audit.services import entry, record_changed_from, record_created_from
from coproduction.models import CheckIn, Claim, ClaimStatus
from tests.factories import BreachFactory, CheckInFactory, ClaimFactory

pytestmark = pytest.mark.django_db

COLUMNS = ("actor_id", "action", "content_type_id", "object_id", "object_repr", "before", "after", "note")


def typed(snapshot):
    """A snapshot as stored, with each value's JSON type beside it: "7" and 7 must not pass for one another."""
    if snapshot is None:
        return None
    stored = json.loads(json.dumps(snapshot))
    return {key: (type(value).__name__, value) for key, value in stored.items()}


def columns(audit_entry):
    values = {name: getattr(audit_entry, name) for name in COLUMNS}
    return values | {"before": typed(values["before"]), "after": typed(values["after"])}


def written_for(instance):
    return AuditEntry.objects.get(content_type=ContentType.objects.get_for_model(instance), object_id=str(instance.pk))


def test_a_created_entry_equals_the_one_entry_makes_for_the_same_row():
    period = {"period_start": "2026-01-01", "period_end": "2026-01-31"}
    breach = BreachFactory(kind=BreachKind.MISSED_REPORT, duty=None, details=period, description="No report.")
    breach.refresh_from_db()

    written = record_created_from(
        Breach.objects.filter(pk=breach.pk), object_repr=F("organisation__name"), note="Found by the job."
    )

    expected = entry(
        actor=None,
        action=AuditAction.CREATE,
        instance=breach,
        note="Found by the job.",
        object_repr=breach.organisation.name,
    )
    assert written == 1
    assert columns(written_for(breach)) == columns(expected)
    assert written_for(breach).after["details"] == period and written_for(breach).after["duty_id"] is None


def test_a_changed_entry_takes_its_before_from_the_after_with_the_replaced_fields():
    claim = ClaimFactory(status=ClaimStatus.LAPSED, last_checkin_on=timezone.localdate() - timedelta(days=20))
    claim.refresh_from_db()
    replaced = {"status": ClaimStatus.ACTIVE, "ended_at": None}

    record_changed_from(Claim.objects.filter(pk=claim.pk), object_repr=Value("a claim"), replaced_before=replaced)

    after = entry(actor=None, action=AuditAction.CHANGE, instance=claim).after
    expected = entry(
        actor=None,
        action=AuditAction.CHANGE,
        instance=claim,
        before=after | replaced,
        after=after,
        object_repr="a claim",
    )
    assert columns(written_for(claim)) == columns(expected)


@pytest.mark.parametrize("microsecond", [0, 123, 456789], ids=["whole second", "under a millisecond", "fraction"])
def test_moments_are_written_as_snapshot_writes_them(microsecond):
    claimed_at = (timezone.now() - timedelta(days=3)).replace(microsecond=microsecond)
    claim = ClaimFactory()
    Claim.objects.filter(pk=claim.pk).update(claimed_at=claimed_at)
    claim.refresh_from_db()

    record_created_from(Claim.objects.filter(pk=claim.pk), object_repr=Value("a claim"))

    expected = entry(actor=None, action=AuditAction.CREATE, instance=claim).after
    assert written_for(claim).after["claimed_at"] == expected["claimed_at"]
    assert written_for(claim).after["ended_at"] is None and written_for(claim).after["last_checkin_on"] is None


def test_the_object_repr_is_cut_at_the_columns_length_as_entry_cuts_it():
    breach = BreachFactory()

    record_created_from(Breach.objects.filter(pk=breach.pk), object_repr=Value("x" * 150 + "y" * 100))

    assert written_for(breach).object_repr == "x" * 150 + "y" * 50


def test_an_empty_set_writes_nothing():
    assert record_created_from(Breach.objects.none(), object_repr=Value("none")) == 0
    assert not AuditEntry.objects.exists()


def test_a_model_with_a_field_the_sql_snapshot_cannot_encode_is_refused_before_anything_is_written():
    CheckInFactory()

    with pytest.raises(TypeError, match="CheckIn.hours is a DecimalField"):
        record_created_from(CheckIn.objects.all(), object_repr=Value("a check-in"))
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("rows", [10, 100])
def test_one_statement_writes_the_entries_however_many_rows(rows):
    breach = BreachFactory()
    # Copies of one breach, each naming its own duty occurrence: what the job's INSERT ... SELECT makes.
    Breach.objects.bulk_create(
        [
            Breach(
                kind=breach.kind,
                project=breach.project,
                organisation=breach.organisation,
                duty=breach.duty,
                due_on=breach.due_on - timedelta(days=day),
                detected_at=breach.detected_at,
                updated_at=breach.updated_at,
            )
            for day in range(1, rows)
        ]
    )
    ContentType.objects.get_for_model(Breach)  # cached from here on, as in a running worker

    with CaptureQueriesContext(connection) as queries:
        written = record_created_from(Breach.objects.all(), object_repr=F("organisation__name"))

    assert (written, len(queries)) == (rows, 1)
    assert AuditEntry.objects.filter(object_repr=breach.organisation.name).count() == rows
