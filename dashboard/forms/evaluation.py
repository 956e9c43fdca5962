"""Forms of the officials' evaluation pages: an evaluation of a project, and a service item's indicators.

An evaluation form asks the evaluator only for the indicators the data cannot score over the period
shown; evaluation_create checks again which indicators need the evaluator's score.
"""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation.models import Indicator, IndicatorSource
from evaluation.services.evaluations import EVIDENCE_MAX_LENGTH

PERIODIC, FINAL = "periodic", "final"
KINDS = [(PERIODIC, _("Periodic evaluation")), (FINAL, _("Final evaluation (lets the project close)"))]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    period_start = forms.DateField(label=_("Period start"), widget=DATE_INPUT)
    period_end = forms.DateField(label=_("Period end"), widget=DATE_INPUT)

    def period(self):
        """The period typed, when it is a valid one; else None."""
        if not self.is_valid():
            return None
        start, end = self.cleaned_data["period_start"], self.cleaned_data["period_end"]
        return (start, end) if start <= end else None


class EvaluationForm(PeriodForm):
    """The period, periodic or final, a score and its evidence per indicator left to the evaluator, a comment."""

    is_final = forms.TypedChoiceField(
        label=_("Kind of evaluation"),
        widget=forms.RadioSelect,
        coerce=lambda value: value == FINAL,
        choices=KINDS,
        initial=PERIODIC,
    )
    comment = forms.CharField(label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, judged: list[Indicator], final_allowed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.judged = judged
        if not final_allowed:
            cast(forms.TypedChoiceField, self.fields["is_final"]).choices = KINDS[:1]
        for indicator in judged:
            # Asked field by field, so that a missing or out-of-range score is shown beside its input;
            # evaluation_create checks both again.
            self.fields[self.score_name(indicator)] = forms.DecimalField(
                label=_("Score of %(indicator)s (0 to 100)") % {"indicator": indicator.name},
                min_value=0,
                max_value=100,
                widget=forms.NumberInput(attrs={"step": "0.01"}),
            )
            self.fields[self.evidence_name(indicator)] = forms.CharField(
                label=_("Evidence for %(indicator)s") % {"indicator": indicator.name},
                required=False,
                max_length=EVIDENCE_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @staticmethod
    def score_name(indicator: Indicator) -> str:
        return f"score_{indicator.code}"

    @staticmethod
    def evidence_name(indicator: Indicator) -> str:
        return f"evidence_{indicator.code}"

    def main_fields(self):
        """The fields shown under the table of indicators."""
        return [self[name] for name in ("period_start", "period_end", "is_final", "comment")]

    def draft_arguments(self) -> dict:
        """evaluation_preview's arguments."""
        data = self.cleaned_data
        scores = {
            indicator.code: data[self.score_name(indicator)]
            for indicator in self.judged
            if data.get(self.score_name(indicator)) is not None
        }
        evidence = {
            indicator.code: data[self.evidence_name(indicator)]
            for indicator in self.judged
            if data.get(self.evidence_name(indicator))
        }
        return {
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "is_final": data["is_final"],
            "evaluator_scores": scores,
            "evidence": evidence,
        }

    def service_arguments(self) -> dict:
        """evaluation_create's arguments."""
        return {**self.draft_arguments(), "comment": self.cleaned_data["comment"]}


class IndicatorRowForm(forms.Form):
    """One indicator of the set; a row left blank is skipped."""

    code = forms.SlugField(label=_("Code"), max_length=50, required=False)
    name = forms.CharField(label=_("Indicator"), max_length=200, required=False)
    weight = forms.IntegerField(
        label=_("Weight"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 1, "max": 100}),
    )
    source = forms.ChoiceField(label=_("Source"), required=False, choices=[("", "—"), *IndicatorSource.choices])
    target = forms.DecimalField(
        label=_("Target"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 0, "step": "0.01"}),
        help_text=_("For output indicators: the service units per period that earn full marks."),
    )
    description = forms.CharField(label=_("Description"), required=False)

    def clean(self):
        data = super().clean()
        if self.row() is not None and not data.get("source"):
            self.add_error("source", _("Choose where the indicator's score comes from."))
        return data

    def row(self) -> dict | None:
        """The row as indicators_set() takes it, or None when it was left blank."""
        data = self.cleaned_data
        if not any(value not in (None, "") for value in data.values()):
            return None
        return {name: data.get(name) for name in self.base_fields}


IndicatorFormSet = forms.formset_factory(IndicatorRowForm, extra=0)
INDICATOR_BLANK_ROWS = 3


def indicator_rows(formset) -> list[dict]:
    return [row for row in (form.row() for form in formset.forms) if row is not None]
