"""Writes to the service list: versions and publication."""
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_changed, record_created, snapshot
from partners.roles import may_maintain_service_list

from .models import ListItemStatus, ServiceListItem


def _require_maintainer(user) -> None:
    """Given a user, they must maintain the service list; without one, the platform acts (demo, imports)."""
    if user is not None and not may_maintain_service_list(user):
        raise PermissionDenied(_("Only an administrator or a street or district official may change the service list."))


@transaction.atomic
def list_item_publish(*, item: ServiceListItem, user=None) -> ServiceListItem:
    """Publish this version of an item and retire the version it replaces.

    Projects keep pointing at the version they were set up under, so past selections stay legible.
    """
    _require_maintainer(user)
    for replaced in ServiceListItem.objects.filter(code=item.code, status=ListItemStatus.PUBLISHED).exclude(pk=item.pk):
        before = snapshot(replaced)
        replaced.status = ListItemStatus.RETIRED
        replaced.save(update_fields=["status"])
        record_changed(actor=user, instance=replaced, before=before, note=_("Replaced by a new version."))
    before = snapshot(item)
    item.status = ListItemStatus.PUBLISHED
    item.published_at = timezone.now()
    item.save(update_fields=["status", "published_at"])
    record_changed(actor=user, instance=item, before=before)
    return item


@transaction.atomic
def list_item_new_version(*, item: ServiceListItem, user=None) -> ServiceListItem:
    """A draft copy of an item with the next version number, to edit and then publish."""
    _require_maintainer(user)
    latest = ServiceListItem.objects.filter(code=item.code).order_by("-version").values_list("version", flat=True)[0]
    draft = ServiceListItem.objects.get(pk=item.pk)
    draft.pk = None
    draft.version = latest + 1
    draft.status = ListItemStatus.DRAFT
    draft.published_at = None
    draft.save()
    record_created(actor=user, instance=draft, note=_("New version of %(code)s.") % {"code": item.code})
    return draft
