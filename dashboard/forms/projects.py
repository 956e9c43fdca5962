"""Forms of the officials' project pages: filters, lifecycle moves, governance authority, the matrix.

Choices are limited to what fits the project on screen (its current participants, its duties,
the stages it may move to); the domain services still check everything.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from accountability.models import Duty, Recurrence
from coproduction.models import GovernanceLevel, Mode, Participation, Stage
from coproduction.services.lifecycle import ALLOWED_MOVES
from partners.models import Community


class ProjectFilterForm(forms.Form):
    """The project list's filters, sent by GET; an empty choice means no filter."""

    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("Any stage")), *Stage.choices])
    mode = forms.ChoiceField(label=_("Coproduction mode"), required=False, choices=[("", _("Any mode")), *Mode.choices])
    community = forms.ModelChoiceField(
        label=_("Community"),
        required=False,
        queryset=Community.objects.none(),
        to_field_name="code",
        empty_label=_("Any community"),
    )

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities


class TransitionForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("Move to stage"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, prefix="transition", **kwargs)
        moves = ALLOWED_MOVES[Stage(project.stage)]
        self.fields["to_stage"].choices = [(value, label) for value, label in Stage.choices if value in moves]


class AuthorityForm(forms.Form):
    """Named after the project's fields, so that the service's field errors land on them."""

    governance_authority = forms.ChoiceField(
        label=_("Governance authority"),
        choices=GovernanceLevel.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "With the concentration of resources (from the contributions) it places the project in one "
            "of the four coproduction modes."
        ),
    )
    authority_reason = forms.CharField(label=_("Reason for this judgement"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="authority", **kwargs)


def participation_label(participation: Participation) -> str:
    return f"{participation.organisation.name} ({participation.get_role_display()})"


class _ParticipantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, participation):
        return participation_label(participation)


class _ParticipantsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, participation):
        return participation_label(participation)


class DutyCreateForm(forms.Form):
    title = forms.CharField(label=_("Duty"), max_length=Duty._meta.get_field("title").max_length)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    accountable = _ParticipantChoiceField(
        label=_("Accountable party"),
        queryset=Participation.objects.none(),
        help_text=_("Exactly one party answers for the duty."),
    )
    recurrence = forms.ChoiceField(label=_("Recurs"), choices=Recurrence.choices, initial=Recurrence.ONCE)
    next_due_on = forms.DateField(label=_("First due on"), widget=forms.DateInput(attrs={"type": "date"}))
    responsible = _ParticipantsChoiceField(
        label=_("Responsible"),
        required=False,
        queryset=Participation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    consulted = _ParticipantsChoiceField(
        label=_("Consulted"),
        required=False,
        queryset=Participation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    informed = _ParticipantsChoiceField(
        label=_("Informed"),
        required=False,
        queryset=Participation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, participations, **kwargs):
        super().__init__(*args, prefix="duty", **kwargs)
        for name in ("accountable", "responsible", "consulted", "informed"):
            self.fields[name].queryset = participations


class AccountableForm(forms.Form):
    """Hand a duty's accountability to another participant; `accountable` is the service's field name."""

    duty = forms.ModelChoiceField(label=_("Duty"), queryset=Duty.objects.none())
    accountable = _ParticipantChoiceField(label=_("New accountable party"), queryset=Participation.objects.none())
    reason = forms.CharField(label=_("Reason for the change"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, duties, participations, **kwargs):
        super().__init__(*args, prefix="accountable", **kwargs)
        self.fields["duty"].queryset = duties
        self.fields["accountable"].queryset = participations
