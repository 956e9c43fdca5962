"""Writes to the service list: versions, editing drafts and publication."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_changed, record_created, snapshot
from common.actors import Actor, acting_user, is_trusted
from partners.roles import may_maintain_service_list
from service_list.models import ELIGIBILITY_FIELDS, ListItemStatus, Pricing, ServiceListItem
from service_list.signals import list_item_version_created

# What an official edits on a draft; the code, version, status and dates are the platform's.
EDITABLE_FIELDS = (
    "category",
    "name",
    "description",
    "nature",
    *ELIGIBILITY_FIELDS.values(),
    "standard",
    "pricing",
    "unit_label",
    "unit_price",
    "subsidy_per_unit",
    "pricing_note",
    "needs_specific_assets",
    "specific_assets_note",
)


def _require_maintainer(user: Actor) -> None:
    """A user must maintain the service list; TRUSTED is the platform acting (demo, imports)."""
    if not is_trusted(user) and not may_maintain_service_list(user):
        raise PermissionDenied(_("Only an administrator or a street or district official may change the service list."))


@transaction.atomic
def list_item_publish(*, item: ServiceListItem, user: Actor) -> ServiceListItem:
    """Publish this version of an item and retire the version it replaces.

    Projects keep pointing at the version they were set up under, so past selections stay legible.
    """
    _require_maintainer(user)
    for replaced in ServiceListItem.objects.filter(code=item.code, status=ListItemStatus.PUBLISHED).exclude(pk=item.pk):
        before = snapshot(replaced)
        replaced.status = ListItemStatus.RETIRED
        replaced.save(update_fields=["status"])
        record_changed(actor=acting_user(user), instance=replaced, before=before, note=_("Replaced by a new version."))
    before = snapshot(item)
    item.status = ListItemStatus.PUBLISHED
    item.published_at = timezone.now()
    item.save(update_fields=["status", "published_at"])
    record_changed(actor=acting_user(user), instance=item, before=before)
    return item


@transaction.atomic
def list_item_new_version(*, item: ServiceListItem, user: Actor) -> ServiceListItem:
    """A draft copy of an item with the next version number, to edit and then publish.

    What the higher apps keep about the item (its evaluation indicators) follows through
    list_item_version_created, in this transaction.
    """
    _require_maintainer(user)
    latest = ServiceListItem.objects.filter(code=item.code).order_by("-version").values_list("version", flat=True)[0]
    draft = ServiceListItem.objects.get(pk=item.pk)
    draft.pk = None
    draft.version = latest + 1
    draft.status = ListItemStatus.DRAFT
    draft.published_at = None
    draft.save()
    record_created(actor=acting_user(user), instance=draft, note=_("New version of %(code)s.") % {"code": item.code})
    list_item_version_created.send(sender=ServiceListItem, item=draft, previous=item, user=acting_user(user))
    return draft


def list_item_edit_refusal(item: ServiceListItem) -> ValidationError | None:
    """Why this version may not be edited, with the way forward; None for a draft, which may."""
    if item.status == ListItemStatus.DRAFT:
        return None
    if item.status == ListItemStatus.PUBLISHED:
        message = _(
            "%(item)s is published and is no longer edited: create a new version of it, edit that draft, "
            "then publish it."
        )
    else:
        message = _(
            "%(item)s is retired and is no longer edited: edit the draft of a newer version, or create one "
            "from the published version."
        )
    return ValidationError(message % {"item": item.version_label}, code="not_a_draft")


def list_item_rule_errors(item: ServiceListItem) -> dict[str, list[ValidationError]]:
    """What the list asks of an item beyond each field's own type and length, by field; empty when
    it asks nothing more. For forms that validate the fields themselves first (the admin's)."""
    errors = _text_errors(item)
    _rule_errors(item, errors)
    return errors


def _text_errors(item: ServiceListItem) -> dict[str, list[ValidationError]]:
    errors: dict[str, list[ValidationError]] = {}
    if not str(item.name or "").strip():
        errors["name"] = [ValidationError(_("Give the service a name."), code="name_required")]
    if not str(item.standard or "").strip():
        errors["standard"] = [
            ValidationError(_("Write the service standard the provider is held to."), code="standard_required")
        ]
    return errors


def _rule_errors(item: ServiceListItem, errors: dict[str, list[ValidationError]]) -> None:
    """Add what the list asks of an item as a whole to `errors`, for the fields whose values are valid."""

    def refuse(field: str, message: str, code: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    if not any(getattr(item, field) for field in ELIGIBILITY_FIELDS.values()):
        refuse(
            "allows_ngo",
            _("Tick at least one kind of participant that may deliver the service."),
            "no_kind_may_deliver",
        )
    if {"pricing", "unit_price", "subsidy_per_unit"} & set(errors):
        return
    price, subsidy = item.unit_price, item.subsidy_per_unit
    for field, amount in (("unit_price", price), ("subsidy_per_unit", subsidy)):
        if amount is not None and amount < 0:
            refuse(field, _("An amount cannot be negative."), "amount_negative")
    if item.pricing == Pricing.FREE and price:
        refuse("unit_price", _("A service free to residents has no price: leave the price empty."), "free_has_price")
    if item.pricing == Pricing.USER_PAYS and price is None:
        refuse("unit_price", _("Give the price per unit that users pay."), "price_required")
    if item.pricing == Pricing.SUBSIDISED:
        if price is None:
            refuse("unit_price", _("Give the price per unit of the subsidised service."), "price_required")
        if subsidy is None:
            refuse("subsidy_per_unit", _("Give the subsidy per unit."), "subsidy_required")
        elif price is not None and subsidy > price >= 0:
            refuse(
                "subsidy_per_unit",
                _("The subsidy per unit cannot exceed the price per unit."),
                "subsidy_above_price",
            )
    if item.needs_specific_assets and not item.specific_assets_note.strip():
        refuse(
            "specific_assets_note",
            _("Name the specific assets the service needs, such as a fitted kitchen."),
            "assets_required",
        )


@transaction.atomic
def list_item_update(*, item: ServiceListItem, user: Actor, **changes: Any) -> ServiceListItem:
    """Edit a draft version of an item; published and retired versions stay as they were decided.

    `changes` names fields of EDITABLE_FIELDS with their new values; fields not named keep theirs.
    Every refusal is given at once, field by field, and nothing is saved. Editing changes nothing
    until the draft is published, so projects and calls are untouched.
    """
    _require_maintainer(user)
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise TypeError(f"list_item_update() cannot change {', '.join(unknown)}")
    item = ServiceListItem.objects.select_for_update().get(pk=item.pk)
    refusal = list_item_edit_refusal(item)
    if refusal is not None:
        raise refusal
    before = snapshot(item)
    for field, value in changes.items():
        setattr(item, field, value.strip() if isinstance(value, str) else value)
    errors = _text_errors(item)
    try:
        # Types, lengths and choices; the list's own rules speak more plainly than its constraints.
        item.full_clean(exclude=list(errors), validate_unique=False, validate_constraints=False)
    except ValidationError as invalid:
        for field, messages in invalid.error_dict.items():
            errors.setdefault(field, []).extend(messages)
    _rule_errors(item, errors)
    if errors:
        raise ValidationError(errors)
    after = snapshot(item)
    changed = [field for field in EDITABLE_FIELDS if after[_attname(field)] != before[_attname(field)]]
    if not changed:
        return item
    item.save(update_fields=changed)
    record_changed(actor=acting_user(user), instance=item, before=before)
    return item


def _attname(field: str) -> str:
    return {column.name: column.attname for column in ServiceListItem._meta.concrete_fields}[field]
