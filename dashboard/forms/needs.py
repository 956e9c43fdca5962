"""Forms of the officials' needs pages: the status filter and the answer to a need.

The answer form only parses what the official chose and typed; what each answer requires (a
response, a reason, a project of the community) is coproduction.services.needs.need_answer's to say.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduction.models import NeedStatus, Project
from dashboard.forms.supervision import FilterForm


class NeedFilterForm(FilterForm):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any")), *NeedStatus.choices], required=False)


class NeedAnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Answer"),
        widget=forms.RadioSelect,
        choices=[
            (NeedStatus.PLANNED, _("Planned: the committee will provide it")),
            (NeedStatus.DECLINED, _("Declined: it will not be provided")),
            (NeedStatus.MERGED, _("Merged into a project of the community")),
        ],
    )
    response = forms.CharField(
        label=_("Response to the resident"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when planned (what and roughly when) or declined (the reason). The resident reads it."),
    )
    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=Project.objects.none(),
        required=False,
        empty_label=_("Choose a project"),
        help_text=_("Required when merged: the project that will meet the need."),
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
