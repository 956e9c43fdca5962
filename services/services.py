"""Writes to the service list: versions and publication."""
from django.db import transaction
from django.utils import timezone

from .models import ListItemStatus, ServiceListItem


@transaction.atomic
def list_item_publish(*, item: ServiceListItem) -> ServiceListItem:
    """Publish this version of an item and retire the version it replaces.

    Projects keep pointing at the version they were set up under, so past selections stay legible.
    """
    ServiceListItem.objects.filter(code=item.code, status=ListItemStatus.PUBLISHED).exclude(pk=item.pk).update(
        status=ListItemStatus.RETIRED
    )
    item.status = ListItemStatus.PUBLISHED
    item.published_at = timezone.now()
    item.save(update_fields=["status", "published_at"])
    return item


def list_item_new_version(*, item: ServiceListItem) -> ServiceListItem:
    """A draft copy of an item with the next version number, to edit and then publish."""
    latest = ServiceListItem.objects.filter(code=item.code).order_by("-version").values_list("version", flat=True)[0]
    draft = ServiceListItem.objects.get(pk=item.pk)
    draft.pk = None
    draft.version = latest + 1
    draft.status = ListItemStatus.DRAFT
    draft.published_at = None
    draft.save()
    return draft
