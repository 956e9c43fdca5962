"""Forms of the officials' complaint pages: the list's filter and the four ways to handle a complaint.

They only parse what the official typed; each rule (a reason given, one extension, a party
someone answers for) is accountability.services.complaints', shown back through web.workflows.call_service.
Each form has its own prefix, so all four sit on the complaint's page without their fields clashing.
"""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accountability.models import Complaint, ComplaintStatus
from coproduction.models import Participation
from dashboard.forms.supervision import FilterForm
from partners.models import Organisation, OrganisationKind


class ComplaintFilterForm(FilterForm):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any")), *ComplaintStatus.choices], required=False)


class ComplaintAnswerForm(forms.Form):
    prefix = "answer"

    response = forms.CharField(
        label=_("Answer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The resident reads this answer in their portal and may accept it or reopen the complaint."),
    )


class PartyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, organisation):
        if organisation.kind == OrganisationKind.GOVERNMENT:
            return _("%(name)s (answered by the community's officials)") % {"name": organisation.name}
        return organisation.name


class ComplaintRerouteForm(forms.Form):
    prefix = "reroute"

    organisation = PartyChoiceField(
        label=_("Route to"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose a party"),
        required=False,
        help_text=_("One of the project's current participants."),
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, **kwargs)
        taking_part = Participation.objects.filter(project=complaint.project_id, left_on__isnull=True)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = (
            Organisation.objects.filter(pk__in=taking_part.values("organisation"))
            .exclude(pk=complaint.routed_to_id)
            .order_by("name")
        )

    def clean_organisation(self):
        organisation = self.cleaned_data.get("organisation")
        if organisation is None:
            raise forms.ValidationError(_("Choose the party the complaint should go to."), code="organisation_required")
        return organisation


class ComplaintExtendForm(forms.Form):
    prefix = "extend"

    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The deadline moves by one response period; it can be extended only once."),
    )


class ComplaintCloseForm(forms.Form):
    prefix = "close"

    note = forms.CharField(
        label=_("Closing note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: settled in person with the resident, or withdrawn by the resident."),
    )
