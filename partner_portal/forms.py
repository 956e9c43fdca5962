"""The portal's forms: they parse what was typed; the domain services decide what is allowed.

Fields check types only (a date, a number); rules such as "no negative figures" or "within the
project's dates" are the services', so a page and the API refuse with the same words.
"""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from common.widgets import IsoDateInput
from partners.models import Organisation

FILES_HELP = _(
    "PDF, PNG, JPEG, Word or Excel files, up to 10 at a time. If the form comes back with an error, "
    "choose the files again: browsers do not keep them."
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the list goes to the service, which checks each one."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class DutyCompleteForm(forms.Form):
    due_on = forms.DateField(widget=forms.HiddenInput)
    evidence = forms.CharField(
        label=_("Evidence"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("What was done, and where the proof is (photos, sign-off sheets, receipts)."),
    )
    attachments = MultipleFileField(
        label=_("Photos and files"),
        required=False,
        help_text=_(
            "Photos (PNG, JPEG) or PDF, Word or Excel files, up to 10. If the form comes back with an error, "
            "choose the files again: browsers do not keep them."
        ),
    )


class ComplaintAnswerForm(forms.Form):
    response = forms.CharField(
        label=_("Response"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("The resident reads this answer and may confirm or reopen the complaint."),
    )


class ReportFiguresForm(forms.Form):
    """The figures and narrative of a report, shared by the first submission and a resubmission."""

    people_served = forms.IntegerField(label=_("People served"))
    service_units = forms.IntegerField(label=_("Service units"), help_text=_("e.g. meals served, visits made"))
    cost = forms.DecimalField(label=_("Cost (yuan)"), decimal_places=2)
    income = forms.DecimalField(label=_("Income (yuan)"), decimal_places=2)
    subsidy = forms.DecimalField(label=_("Subsidy (yuan)"), decimal_places=2)
    narrative = forms.CharField(
        label=_("Narrative"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("What was delivered in the period, what went well and what did not."),
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False, help_text=FILES_HELP)


class ReportSubmitForm(ReportFiguresForm):
    organisation = forms.ModelChoiceField(
        label=_("Reporting organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    period_start = forms.DateField(label=_("Period start"), widget=IsoDateInput)
    period_end = forms.DateField(label=_("Period end"), widget=IsoDateInput)

    field_order = ["organisation", "period_start", "period_end"]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations


class ReportResubmitForm(ReportFiguresForm):
    """A returned or withdrawn report's corrections: period and figures start from the report as it stands."""

    period_start = forms.DateField(label=_("Period start"), widget=IsoDateInput)
    period_end = forms.DateField(label=_("Period end"), widget=IsoDateInput)

    field_order = ["period_start", "period_end"]


class ApplicationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Applying organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    proposal = forms.CharField(
        label=_("Proposal"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_("How you would deliver the service: staff, schedule, standard, experience."),
    )
    proposed_budget = forms.DecimalField(label=_("Proposed budget (yuan)"), decimal_places=2)
    attachments = MultipleFileField(label=_("Attachments"), required=False, help_text=FILES_HELP)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations
