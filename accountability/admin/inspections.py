"""Admin for inspections, recorded by inspection_record(), and their checklist templates and photos."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from accountability.models import Inspection, InspectionPhoto, InspectionTemplate
from accountability.services.inspections import inspection_record, inspection_template_save
from common.admin_workflows import ViewOnlyMixin, show_refusal
from coproduction.admin import ServiceAddForm, ServiceAddMixin, ServiceFormMixin
from coproduction.admin.common import download_link
from coproduction.models import Project


class InspectionAddForm(ServiceAddForm):
    class Meta:
        model = Inspection
        fields = ["project", "organisation", "inspected_on", "checklist", "notes"]
        help_texts = {
            "checklist": _(
                'A list of items, e.g. [{"item": "Kitchen clean", "passed": true, "note": ""}]. '
                "The result follows from it."
            ),
        }

    def create(self, cleaned_data):
        return inspection_record(
            project=cleaned_data["project"],
            organisation=cleaned_data["organisation"],
            user=self.acting_user,
            inspected_on=cleaned_data["inspected_on"],
            checklist=cleaned_data["checklist"],
            notes=cleaned_data["notes"],
        )


# The inspector is whoever records it and the result is derived from the checklist; a failed
# inspection opens its breach at once.
@admin.register(Inspection)
class InspectionAdmin(ServiceAddMixin, admin.ModelAdmin):
    add_form = InspectionAddForm
    list_display = ["project", "organisation", "inspected_on", "result", "inspector"]
    list_filter = ["result"]
    list_select_related = ["project", "organisation", "inspector"]
    search_fields = ["project__name", "organisation__name", "notes"]
    date_hierarchy = "inspected_on"
    autocomplete_fields = ["project", "organisation"]


class InspectionTemplateForm(forms.ModelForm):
    """The checklist as one item a line; inspection_template_save() cleans and stores it."""

    items_text = forms.CharField(
        label=_("checklist items"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One item a line, e.g. Kitchen clean."),
    )

    class Meta:
        model = InspectionTemplate
        fields = ["service_item"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["items_text"].initial = "\n".join(self.instance.items)
            # The template belongs to its item: another item gets a template of its own.
            self.fields["service_item"].disabled = True

    def clean(self):
        cleaned_data = super().clean()
        item = cleaned_data.get("service_item")
        if self.errors or item is None:
            return cleaned_data
        # A template serves every community delivering the item; the administrator acts through
        # any one of them, so that the service's rule (a project delivers it) still applies.
        community_id = Project.objects.filter(service_item=item).values_list("community_id", flat=True).first()
        try:
            self.instance = inspection_template_save(
                service_item=item,
                items=self.cleaned_data["items_text"].splitlines(),
                user=self.acting_user,
                community_id=community_id,
            )
        except (ValidationError, PermissionDenied) as refusal:
            show_refusal(self, refusal)
        return cleaned_data


# Templates are written by inspection_template_save(), which cleans the items and audits the change.
@admin.register(InspectionTemplate)
class InspectionTemplateAdmin(ServiceFormMixin, admin.ModelAdmin):
    form = InspectionTemplateForm
    list_display = ["service_item", "item_count", "updated_at", "updated_by"]
    list_select_related = ["service_item", "updated_by"]
    search_fields = ["service_item__name", "service_item__code"]
    autocomplete_fields = ["service_item"]
    readonly_fields = ["updated_at", "updated_by"]
    fields = ["service_item", "items_text", "updated_at", "updated_by"]

    @admin.display(description=_("number of items"))
    def item_count(self, template):
        return len(template.items)

    def get_fields(self, request, obj=None):
        return self.fields if obj else ["service_item", "items_text"]

    def save_model(self, request, obj, form, change):
        pass  # The service saved it while the form was validated.


# Photos are stored by inspection_record(), re-encoded; they are opened through the API's
# permission-checked download, never through MEDIA_URL.
@admin.register(InspectionPhoto)
class InspectionPhotoAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["__str__", "inspection", "content_type", "width", "height", "uploaded_at", "download"]
    list_select_related = ["inspection__project", "inspection__organisation"]
    search_fields = ["inspection__project__name", "inspection__organisation__name"]
    date_hierarchy = "uploaded_at"
    fields = ["inspection", "download", "content_type", "width", "height", "uploaded_at"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    @admin.display(description=_("photo"))
    def download(self, photo):
        return download_link("inspection-photo", pk=photo.inspection_id, photo_id=photo.pk)
