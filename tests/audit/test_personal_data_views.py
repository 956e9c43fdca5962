"""Views of personal data in the audit log: one entry per record, all written in one statement."""

import pytest
from django.contrib.contenttypes.models import ContentType

from audit.models import AuditAction, AuditEntry
from audit.services import record_personal_data_views
from partners.models import Resident
from tests.factories import ResidentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_each_record_seen_gets_an_entry_naming_it_by_id_only(django_assert_num_queries):
    official = UserFactory()
    residents = ResidentFactory.create_batch(3, phone="13912345678")
    ContentType.objects.get_for_model(Resident)  # cached, as after the first request of a process
    with django_assert_num_queries(1):
        record_personal_data_views(
            actor_id=official.pk, model=Resident, object_ids=[r.pk for r in residents], where="GET /api/v1/residents/"
        )
    entries = AuditEntry.objects.order_by("object_id")
    assert [(e.actor_id, e.action, e.object_id) for e in entries] == [
        (official.pk, AuditAction.VIEW_PERSONAL_DATA, str(r.pk)) for r in sorted(residents, key=lambda r: str(r.pk))
    ]
    assert all(e.object_repr == f"resident #{e.object_id}" and e.after is None for e in entries)
