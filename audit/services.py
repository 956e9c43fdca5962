"""Writing audit entries: every domain service calls record() for what it creates or changes."""
import json

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from .models import AuditAction, AuditEntry


def snapshot(instance: models.Model) -> dict:
    """The instance's own column values, as JSON-safe data (dates and decimals as strings)."""
    values = {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder, default=str))


def entry(
    *, actor, action: str, instance: models.Model, before: dict | None = None, after: dict | None = None,
    note: str = "", object_repr: str | None = None,
) -> AuditEntry:
    """An unsaved entry, for record() or, many at once, for record_many()."""
    if after is None and action != AuditAction.DELETE:
        after = snapshot(instance)
    return AuditEntry(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(instance),
        object_id=str(instance.pk),
        object_repr=(object_repr or str(instance))[:200],
        before=before,
        after=after,
        note=note,
    )


def record(
    *, actor, action: str, instance: models.Model, before: dict | None = None, after: dict | None = None,
    note: str = "",
) -> AuditEntry:
    audit_entry = entry(actor=actor, action=action, instance=instance, before=before, after=after, note=note)
    audit_entry.save()
    return audit_entry


def record_many(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Write the entries of a set-based job in one statement per thousand."""
    return AuditEntry.objects.bulk_create(entries, batch_size=1000)


def record_created(*, actor, instance: models.Model, note: str = "") -> AuditEntry:
    return record(actor=actor, action=AuditAction.CREATE, instance=instance, note=note)


def record_changed(*, actor, instance: models.Model, before: dict, note: str = "") -> AuditEntry:
    return record(actor=actor, action=AuditAction.CHANGE, instance=instance, before=before, note=note)
