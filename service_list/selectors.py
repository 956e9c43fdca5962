"""Reads of the service list: the version in force for an item, and what a draft changes in it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from service_list.models import ServiceListItem
from service_list.services import EDITABLE_FIELDS

EMPTY = "—"


@dataclass(frozen=True)
class FieldComparison:
    """One field of two versions, as people read it."""

    field: str
    label: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def list_item_current_version(*, code: str) -> ServiceListItem | None:
    """The published version of the item with this code, which new calls and projects use; None
    while no version of it has been published."""
    current: ServiceListItem | None = (
        ServiceListItem.objects.published().select_related("category").filter(code=code).first()
    )
    return current


def _model_field(field: str) -> models.Field[Any, Any]:
    """One of the item's own columns (every field an official edits is one)."""
    return {column.name: column for column in ServiceListItem._meta.concrete_fields}[field]


def field_label(field: str) -> str:
    if field == "category":
        return _("Category")  # a foreign key's default name is its attribute, which is not translated
    return str(capfirst(_model_field(field).verbose_name))


def field_display(item: ServiceListItem | None, field: str) -> str:
    """A field's value as the list shows it: choices by their label, yes or no, no empty cells."""
    if item is None:
        return EMPTY
    model_field = _model_field(field)
    value = getattr(item, field)
    if model_field.choices:
        value = getattr(item, f"get_{field}_display")()
    elif isinstance(model_field, models.BooleanField):
        value = _("Yes") if value else _("No")
    elif isinstance(model_field, models.ForeignKey):
        value = value.name
    return str(value).strip() if value not in (None, "") else EMPTY


def list_item_comparison(*, current: ServiceListItem | None, draft: ServiceListItem) -> list[FieldComparison]:
    """Every field an official edits, in the published version and in the draft, in the form's order.

    Without a published version (a new item, or one whose versions were all retired) every field of
    the draft counts as changed. Select the category of both items to compare them without queries.
    """
    return [
        FieldComparison(field, field_label(field), field_display(current, field), field_display(draft, field))
        for field in EDITABLE_FIELDS
    ]
