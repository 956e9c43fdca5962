"""Forms of the officials' supervision pages: filters, report review, inspections, breaches, risks.

The forms only parse what the official typed; every rule (a comment to return a report, a
checklist item marked, a resolution said) is the domain service's, shown back through
web.workflows.call_service.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from accountability.models import BreachKind, BreachStatus, RiskStatus, Sanction, Severity
from coproduction.models import Participation, Project, ReportStatus
from partners.models import Organisation


def _with_any(choices) -> list:
    return [("", _("Any")), *choices]


# --- Filters (GET): an invalid value is ignored rather than refused ----------------------------


class FilterForm(forms.Form):
    """A GET filter: `filters()` is the lookups of the fields that were given and valid."""

    lookups: dict[str, str] = {}

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {self.lookups.get(name, name): value for name, value in self.cleaned_data.items() if value}


class ReportFilterForm(FilterForm):
    status = forms.ChoiceField(label=_("Status"), choices=_with_any(ReportStatus.choices), required=False)
    project = forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.none(), required=False, empty_label=_("Any")
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class InspectionFilterForm(FilterForm):
    project = forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.none(), required=False, empty_label=_("Any")
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class BreachFilterForm(FilterForm):
    status = forms.ChoiceField(label=_("Status"), choices=_with_any(BreachStatus.choices), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=_with_any(BreachKind.choices), required=False)
    severity = forms.ChoiceField(label=_("Severity"), choices=_with_any(Severity.choices), required=False)


class RiskFilterForm(FilterForm):
    status = forms.ChoiceField(label=_("Status"), choices=_with_any(RiskStatus.choices), required=False)
    severity = forms.ChoiceField(label=_("Severity"), choices=_with_any(Severity.choices), required=False)


# --- Workflows (POST) ------------------------------------------------------------------------


class ReportReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("accept", _("Accept the report")), ("return", _("Return it for changes"))],
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when returning the report: say what must change."),
    )

    def service_arguments(self) -> dict:
        return {"accept": self.cleaned_data["decision"] == "accept", "comment": self.cleaned_data["comment"]}


class ProjectChoiceForm(forms.Form):
    """The first step of recording an inspection: which project (GET), so the next step knows its participants."""

    project = forms.ModelChoiceField(label=_("Project"), queryset=Project.objects.none())

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the list goes to the service, which checks each one."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class InspectionForm(forms.Form):
    project = forms.ModelChoiceField(label=_("Project"), queryset=Project.objects.none(), widget=forms.HiddenInput)
    organisation = forms.ModelChoiceField(
        label=_("Inspected organisation"),
        queryset=Organisation.objects.none(),
        error_messages={"invalid_choice": _("The inspected organisation must take part in the project.")},
    )
    inspected_on = forms.DateField(label=_("Inspected on"), widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}),
        help_text=_(
            "JPEG or PNG photos, up to 6, each at most 8 MB. If the form comes back with an error, "
            "choose the photos again: browsers do not keep them."
        ),
    )

    def __init__(self, *args, projects, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        # Only the chosen project's current participants are offered; the service checks it again.
        taking_part = Participation.objects.filter(project=project, left_on__isnull=True).values("organisation")
        self.fields["organisation"].queryset = (
            Organisation.objects.filter(pk__in=taking_part).order_by("name")
            if project is not None
            else Organisation.objects.none()
        )

    def service_arguments(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in ("project", "organisation", "inspected_on", "notes", "photos")
        }


class InspectionTemplateForm(forms.Form):
    """A checklist template typed one item per line: no script needed to add or remove rows."""

    items = forms.CharField(
        label=_("Checklist items"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        help_text=_("One item per line, in the order the inspector goes through them."),
    )

    def service_arguments(self) -> dict:
        return {"items": self.cleaned_data["items"].splitlines()}


class ChecklistRowForm(forms.Form):
    """One checklist item; a row left blank is skipped, a named row must say passed or failed."""

    item = forms.CharField(label=_("Checklist item"), max_length=200, required=False)
    passed = forms.TypedChoiceField(
        label=_("Result"),
        required=False,
        empty_value=None,
        coerce=lambda value: value == "yes",
        choices=[("", _("Not marked")), ("yes", _("Passed")), ("no", _("Failed"))],
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def entry(self) -> dict | None:
        data = self.cleaned_data
        if not (data.get("item") or "").strip() and data.get("passed") is None and not data.get("note"):
            return None
        return {"item": data.get("item") or "", "passed": data.get("passed"), "note": data.get("note") or ""}


ChecklistFormSet = forms.formset_factory(ChecklistRowForm, extra=0, min_num=0, max_num=50, absolute_max=50)
CHECKLIST_BLANK_ROWS = 4


def checklist_entries(formset) -> list[dict]:
    """The filled rows of a valid checklist formset, in order, for inspection_record()."""
    return [entry for entry in (form.entry() for form in formset.forms) if entry is not None]


class BreachResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("Resolution"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("How the breach was put right, or why it is closed."),
    )
    sanction = forms.ChoiceField(
        label=_("Sanction"),
        choices=Sanction.choices,
        initial=Sanction.NONE,
        help_text=_(
            "Suspension and blacklisting also change the organisation's status: it may no longer apply to calls."
        ),
    )


class RiskAcknowledgeForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)


class RiskCloseForm(forms.Form):
    note = forms.CharField(
        label=_("What was found or done"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
