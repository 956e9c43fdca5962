"""The form of the officials' service-list pages: every field of a draft version of an item.

The form only parses what the official typed; the rules (a price for a paid service, at least one
kind of participant...) are service_list.services.list_item_update's, whose refusal shows inline.
"""

from typing import cast

from django import forms
from django.forms.models import fields_for_model, model_to_dict
from django.utils.translation import gettext_lazy as _

from service_list.models import ServiceCategory, ServiceListItem
from service_list.services import EDITABLE_FIELDS

TEXT_AREAS = {"description": 3, "standard": 4, "pricing_note": 3}


class ServiceListItemForm(forms.Form):
    """The fields of ServiceListItem an official edits, labelled as the model names them."""

    def __init__(self, *args, item: ServiceListItem, **kwargs):
        kwargs.setdefault("initial", model_to_dict(item, fields=EDITABLE_FIELDS))
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(ServiceListItem, fields=EDITABLE_FIELDS))
        category = cast(forms.ModelChoiceField, self.fields["category"])
        category.queryset = ServiceCategory.objects.order_by("name")
        category.label = _("Category")
        category.empty_label = None
        for name, rows in TEXT_AREAS.items():
            self.fields[name].widget = forms.Textarea(attrs={"rows": rows})
        # The list's own rules decide what is required, with messages that say why.
        self.fields["standard"].required = False
        self.fields["unit_price"].help_text = _("Leave empty for a service free to residents.")
        self.fields["specific_assets_note"].help_text = _("Required when the service needs specific assets.")
        self.fields["allows_government"].help_text = _("Tick every kind of participant that may deliver the service.")
