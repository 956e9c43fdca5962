"""An entry's content type: kept by Django (PROTECT), not checked row by row by PostgreSQL."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import ProtectedError

from audit.models import AuditEntry
from audit.services import record_created
from tests.factories import CommunityFactory
from tests.needs import require_postgresql

pytestmark = pytest.mark.django_db


def test_a_content_type_that_entries_name_cannot_be_deleted():
    entry = record_created(actor=None, instance=CommunityFactory())

    with pytest.raises(ProtectedError):
        ContentType.objects.get(pk=entry.content_type_id).delete()

    assert AuditEntry.objects.get(pk=entry.pk).content_type.model == "community"


def test_postgresql_does_not_check_each_entry_s_content_type():
    require_postgresql("SQLite keeps the constraint: it cannot drop one without rebuilding the table")
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, AuditEntry._meta.db_table)

    checking = [
        name for name, info in constraints.items() if info["foreign_key"] and "content_type_id" in info["columns"]
    ]
    assert checking == []
