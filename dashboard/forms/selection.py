"""Forms of the officials' selection pages: opening a call, reviewing, conflicts, the award, cancelling.

The forms only parse what the official typed; every rule (weights add up to 100, reviews
complete before the award...) is the domain service's, whose refusal web.workflows shows inline.
"""

from django import forms
from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coproduction.models import Application, Call, Criterion
from coproduction.services.selection import MAX_SCORE, earliest_deadline
from partners.models import Organisation

# A new call offers this many empty criterion rows; rows left blank are ignored.
CRITERION_ROWS = 4


class CallOpenForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=Call._meta.get_field("title").max_length)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    deadline = forms.DateTimeField(
        label=_("Application deadline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Applications are taken until this moment; reviews start after it."),
    )
    min_reviewers = forms.IntegerField(
        label=_("Reviewers needed per application"),
        initial=2,
        min_value=0,
        help_text=_("At least two officials score each application before the award."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The minimum window is a setting: say it, with the date it gives today, before anyone is refused.
        days = settings.CALL_MIN_APPLICATION_DAYS
        self.fields["deadline"].help_text = ngettext(
            "Applications are taken until this moment; reviews start after it. Leave at least %(days)s day "
            "to apply: no earlier than %(earliest)s.",
            "Applications are taken until this moment; reviews start after it. Leave at least %(days)s days "
            "to apply: no earlier than %(earliest)s.",
            days,
        ) % {
            "days": days,
            "earliest": formats.date_format(timezone.localtime(earliest_deadline()), "SHORT_DATETIME_FORMAT"),
        }


class CriterionForm(forms.Form):
    """One weighted criterion of a new call; a row left entirely blank is skipped."""

    name = forms.CharField(label=_("Criterion"), max_length=Criterion._meta.get_field("name").max_length)
    weight = forms.IntegerField(label=_("Weight"), min_value=0, help_text=_("The weights of a call add up to 100."))
    description = forms.CharField(
        label=_("What reviewers look for"),
        required=False,
        max_length=Criterion._meta.get_field("description").max_length,
    )


CriterionFormSet = forms.formset_factory(CriterionForm, extra=CRITERION_ROWS, max_num=20)


def criteria_from(formset) -> list[dict]:
    """The filled rows of a valid criterion formset, in the shape call_open() takes."""
    return [
        {"name": row["name"], "weight": row["weight"], "description": row.get("description", "")}
        for row in formset.cleaned_data
        if row
    ]


class ReviewForm(forms.Form):
    """A score from 0 to MAX_SCORE for each criterion of the call, and a comment; each label states the scale."""

    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, criteria: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        scores = {
            f"score_{criterion.pk}": forms.IntegerField(
                label=_("%(name)s (weight %(weight)s, scored 0 to %(max)s)")
                % {"name": criterion.name, "weight": criterion.weight, "max": MAX_SCORE},
                help_text=criterion.description,
                min_value=0,
                max_value=MAX_SCORE,
            )
            for criterion in criteria
        }
        # The scores first, the comment last.
        self.fields = {**scores, "comment": self.fields["comment"]}

    def scores(self) -> dict[int, int]:
        return {criterion.pk: self.cleaned_data[f"score_{criterion.pk}"] for criterion in self.criteria}


class ConflictForm(forms.Form):
    SCOPE_CALL, SCOPE_ALL = "call", "all"

    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    reason = forms.CharField(
        label=_("What is the conflict of interest?"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    scope = forms.ChoiceField(
        label=_("For"),
        widget=forms.RadioSelect,
        initial=SCOPE_CALL,
        choices=[(SCOPE_CALL, _("This call only")), (SCOPE_ALL, _("Every call"))],
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, prefix="conflict", **kwargs)
        self.fields["organisation"].queryset = organisations


class AwardForm(forms.Form):
    application = forms.ModelChoiceField(
        label=_("Winning application"),
        queryset=Application.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for the award"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Published with the award. Say why, above all when the winner is not first in the ranking."),
    )

    def __init__(self, *args, ranking, **kwargs):
        super().__init__(*args, prefix="award", **kwargs)
        field = self.fields["application"]
        field.queryset = Application.objects.filter(pk__in=[application.pk for application in ranking])
        # The choices come from the ranking already read, best first, without another query.
        field.choices = [(application.pk, application.organisation.name) for application in ranking]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is the call cancelled?"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="cancel", **kwargs)
