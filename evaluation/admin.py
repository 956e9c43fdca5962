"""Admin for evaluation: indicators per service item, evaluations and their scores, ratings, trust scores.

Indicators are written as a set by indicators_set(); evaluations (drawn up by evaluation_create()
from the data), ratings (given by residents through rating_submit()) and trust scores (computed
by the daily job) are shown, never edited or deleted here.

The indicators' and evaluations' inlines are shown on the service-list item's and the project's
pages, which the project composes from every app's inlines (config/admin.py).
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError

from common.admin_workflows import refusal_text
from coproduction.admin import ViewOnlyMixin, WeightsAddUpTo100FormSet
from evaluation.models import Evaluation, Indicator, IndicatorScore, Rating, TrustScore
from evaluation.services.indicators import indicators_set
from service_list.models import ListItemStatus

# What a row of the indicator set says; the service reads these keys.
INDICATOR_FIELDS = ("code", "name", "description", "weight", "source", "target")

# --- Indicators, on their service-list item --------------------------------------------------


class IndicatorFormSet(WeightsAddUpTo100FormSet):
    """Collects the item's indicators and hands the whole set to indicators_set() while validating,
    so that its refusals show on the page (the item admin undoes everything when the page has errors).
    The service has written the rows by the time the admin would save them, so saving writes nothing.
    """

    acting_user = None

    def clean(self):
        super().clean()
        if any(self.errors) or not self.has_changed():
            return
        rows = [
            {field: form.cleaned_data.get(field) for field in INDICATOR_FIELDS}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            indicators_set(service_item=self.instance, indicators=rows, user=self.acting_user)
        except (ValidationError, PermissionDenied) as refusal:
            raise ValidationError(refusal_text(refusal)) from refusal

    def save(self, commit=True):
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        return []


class IndicatorInline(admin.TabularInline):
    """Indicators are edited as a set on their saved draft item; a published version keeps its own.

    The formset writes through indicators_set() while it validates, so the item's admin must undo
    the writes of a page with errors (ServiceFormMixin)."""

    model = Indicator
    formset = IndicatorFormSet
    fields = INDICATOR_FIELDS
    extra = 0

    def _item_is_draft(self, obj):
        return obj is not None and obj.status == ListItemStatus.DRAFT

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.acting_user = request.user
        return formset

    def has_add_permission(self, request, obj=None):
        return self._item_is_draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._item_is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._item_is_draft(obj) and super().has_delete_permission(request, obj)


@admin.register(Indicator)
class IndicatorAdmin(ViewOnlyMixin, admin.ModelAdmin):
    # Edited as a set on the item's page, through indicators_set().
    list_display = ["name", "code", "service_item", "weight", "source", "target"]
    list_filter = ["source"]
    list_select_related = ["service_item"]
    search_fields = ["name", "code", "service_item__name", "service_item__code"]


# --- Evaluations, shown on their project -----------------------------------------------------


class EvaluationInline(ViewOnlyMixin, admin.TabularInline):
    model = Evaluation
    fields = ["period_start", "period_end", "is_final", "total", "grade", "evaluator"]
    can_delete = False
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("evaluator")


class IndicatorScoreInline(ViewOnlyMixin, admin.TabularInline):
    model = IndicatorScore
    fields = ["indicator", "weight", "score", "note"]
    can_delete = False
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator")


# Evaluations are drawn up from the data, which their inputs keep as evidence, and their total
# and grade follow from the indicator scores: the admin shows them and never deletes one.
@admin.register(Evaluation)
class EvaluationAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["project", "period_start", "period_end", "is_final", "total", "grade", "evaluator"]
    list_filter = ["grade", "is_final"]
    list_select_related = ["project", "evaluator"]
    search_fields = ["project__name", "comment"]
    date_hierarchy = "period_start"
    inlines = [IndicatorScoreInline]


@admin.register(IndicatorScore)
class IndicatorScoreAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["evaluation", "indicator", "weight", "score"]
    list_select_related = ["evaluation__project", "indicator"]
    search_fields = ["indicator__name", "evaluation__project__name"]


# --- Ratings and trust -----------------------------------------------------------------------


# Residents rate a project once per period through rating_submit(); the ratings feed evaluations.
@admin.register(Rating)
class RatingAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["project", "resident", "period", "score", "created_at"]
    list_filter = ["score"]
    list_select_related = ["project", "resident"]
    search_fields = ["project__name", "resident__name", "comment"]
    date_hierarchy = "period"


# Trust scores are computed daily by the periodic job; the admin shows the history.
@admin.register(TrustScore)
class TrustScoreAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["organisation", "computed_on", "score", "evaluation_component", "breach_component"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name"]
    list_filter = ["organisation__kind"]
    date_hierarchy = "computed_on"
    ordering = ["-computed_on", "organisation"]
