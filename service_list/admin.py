"""Admin for the service list: categories and versioned list items, published through the services."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from service_list.models import ListItemStatus, ServiceCategory
from service_list.services import (
    EDITABLE_FIELDS,
    list_item_new_version,
    list_item_publish,
    list_item_rule_errors,
    list_item_update,
)


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class ServiceListItemAdminForm(forms.ModelForm):
    """The model's own checks, then the list's rules (a price for a paid service...), on their fields."""

    def _post_clean(self):
        super()._post_clean()
        for field, errors in list_item_rule_errors(self.instance).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, errors)


# Registered by the project (config/admin.py), with the higher apps' inlines (evaluation indicators).
class ServiceListItemAdmin(admin.ModelAdmin):
    """Only drafts are edited, through list_item_update as on the dashboard; a published or retired
    version is changed by drafting the next version."""

    form = ServiceListItemAdminForm

    list_display = ["name", "code", "version", "category", "nature", "pricing", "status", "published_at"]
    list_filter = [
        "status",
        "nature",
        "pricing",
        "category",
        "needs_specific_assets",
        "allows_government",
        "allows_enterprise",
        "allows_ngo",
        "allows_resident_group",
    ]
    list_select_related = ["category"]
    search_fields = ["name", "code"]
    date_hierarchy = "created_at"
    readonly_fields = ["status", "published_at", "created_at"]
    actions = ["publish", "new_version"]
    fieldsets = [
        (None, {"fields": ["category", "code", "version", "name", "description", "nature", "standard"]}),
        (
            _("Who may deliver"),
            {
                "fields": ["allows_government", "allows_enterprise", "allows_ngo", "allows_resident_group"],
            },
        ),
        (_("Pricing"), {"fields": ["pricing", "unit_label", "unit_price", "subsidy_per_unit", "pricing_note"]}),
        (_("Specific assets"), {"fields": ["needs_specific_assets", "specific_assets_note"]}),
        (_("Publication"), {"fields": ["status", "published_at", "created_at"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # The code and version name the item across versions; new versions come from the action.
        if obj is not None:
            return [*self.readonly_fields, "code", "version"]
        return self.readonly_fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != ListItemStatus.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        changes = {field: getattr(obj, field) for field in form.changed_data if field in EDITABLE_FIELDS}
        list_item_update(item=obj, user=request.user, **changes)

    def _one_version_per_code(self, request, items) -> bool:
        codes = [item.code for item in items]
        if len(codes) != len(set(codes)):
            self.message_user(request, _("Select at most one version of each item."), messages.ERROR)
            return False
        return True

    @admin.action(description=_("Publish selected items"), permissions=["change"])
    def publish(self, request, queryset):
        items = list(queryset.exclude(status=ListItemStatus.PUBLISHED))
        if not self._one_version_per_code(request, items):
            return
        for item in items:
            list_item_publish(item=item, user=request.user)
        self.message_user(
            request,
            ngettext("Published %(count)d item.", "Published %(count)d items.", len(items)) % {"count": len(items)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Create a new draft version"), permissions=["change"])
    def new_version(self, request, queryset):
        items = list(queryset)
        if not self._one_version_per_code(request, items):
            return
        drafts = [list_item_new_version(item=item, user=request.user) for item in items]
        self.message_user(
            request,
            ngettext("Created %(count)d draft: %(names)s.", "Created %(count)d drafts: %(names)s.", len(drafts))
            % {"count": len(drafts), "names": ", ".join(str(draft) for draft in drafts)},
            messages.SUCCESS,
        )
