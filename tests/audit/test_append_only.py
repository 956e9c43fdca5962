"""The audit log is append-only: the application and the database both refuse changes."""

import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import AppendOnlyError, AuditAction, AuditEntry
from audit.services import record, record_changed, record_created, snapshot
from tests.factories import CommunityFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_record_created_stores_who_what_and_the_record_after():
    user = UserFactory()
    community = CommunityFactory(name="Houtai")

    entry = record_created(actor=user, instance=community)

    assert entry.actor == user
    assert entry.action == AuditAction.CREATE
    assert entry.object_id == str(community.pk)
    assert entry.object_repr == "Houtai"
    assert entry.before is None
    assert entry.after["name"] == "Houtai"


def test_record_changed_keeps_before_and_after():
    community = CommunityFactory(population=100)
    before = snapshot(community)
    community.population = 250
    community.save()

    entry = record_changed(actor=None, instance=community, before=before)

    assert entry.before["population"] == 100
    assert entry.after["population"] == 250
    assert entry.actor is None


def test_snapshot_is_json_safe_for_dates_and_decimals():
    from tests.factories import ProjectFactory

    project = ProjectFactory()
    values = snapshot(project)

    assert isinstance(values["start_date"], str)
    assert isinstance(values["budget"], str)


def test_an_entry_cannot_be_saved_again():
    entry = record(actor=None, action=AuditAction.CREATE, instance=CommunityFactory())
    entry.note = "edited"

    with pytest.raises(AppendOnlyError):
        entry.save()


def test_an_entry_cannot_be_deleted_through_the_application():
    entry = record(actor=None, action=AuditAction.CREATE, instance=CommunityFactory())

    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.update(note="edited")
    assert AuditEntry.objects.filter(pk=entry.pk, note="").exists()


def test_the_database_refuses_to_update_an_entry_behind_the_applications_back():
    entry = record(actor=None, action=AuditAction.CREATE, instance=CommunityFactory())

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET note = 'edited' WHERE id = %s", [entry.pk])

    assert AuditEntry.objects.get(pk=entry.pk).note == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps DELETE open for its test flush")
def test_postgresql_refuses_to_delete_an_entry():
    entry = record(actor=None, action=AuditAction.CREATE, instance=CommunityFactory())

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])

    assert AuditEntry.objects.filter(pk=entry.pk).exists()
