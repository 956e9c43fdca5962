"""Admin for evaluation: indicators per service item, evaluations and their scores, ratings, trust scores."""
from django.contrib import admin

from accountability import admin as accountability_admin
from coproduction.admin import ViewOnlyMixin, WeightsAddUpTo100FormSet
from coproduction.models import Project
from services import admin as services_admin
from services.models import ListItemStatus, ServiceListItem

from .models import Evaluation, Indicator, IndicatorScore, Rating, TrustScore

# --- Indicators, on their service-list item --------------------------------------------------


class IndicatorInline(admin.TabularInline):
    """Indicators are edited as a set with their draft item; a published version keeps its own."""

    model = Indicator
    formset = WeightsAddUpTo100FormSet
    extra = 0

    def _item_is_draft(self, obj):
        return obj is None or obj.status == ListItemStatus.DRAFT

    def has_add_permission(self, request, obj=None):
        return self._item_is_draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._item_is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._item_is_draft(obj) and super().has_delete_permission(request, obj)


# Indicators belong on the service-list item page, but services must not import evaluation, so
# this app re-registers the item admin with the indicator inline appended.
admin.site.unregister(ServiceListItem)


@admin.register(ServiceListItem)
class ServiceListItemAdmin(services_admin.ServiceListItemAdmin):
    inlines = [*services_admin.ServiceListItemAdmin.inlines, IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(ViewOnlyMixin, admin.ModelAdmin):
    # Edited on the item's page, where the weights are checked to add up to 100.
    list_display = ["name", "code", "service_item", "weight", "source", "target"]
    list_filter = ["source"]
    list_select_related = ["service_item"]
    search_fields = ["name", "code", "service_item__name", "service_item__code"]

    def has_delete_permission(self, request, obj=None):
        return False


# --- Evaluations, shown on their project -----------------------------------------------------


class EvaluationInline(ViewOnlyMixin, admin.TabularInline):
    model = Evaluation
    fields = ["period_start", "period_end", "is_final", "total", "grade", "evaluator"]
    can_delete = False
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("evaluator")


# As above for projects: the evaluations inline is appended to accountability's project admin.
admin.site.unregister(Project)


@admin.register(Project)
class ProjectAdmin(accountability_admin.ProjectAdmin):
    inlines = [*accountability_admin.ProjectAdmin.inlines, EvaluationInline]


class IndicatorScoreInline(ViewOnlyMixin, admin.TabularInline):
    model = IndicatorScore
    fields = ["indicator", "weight", "score", "note"]
    can_delete = False
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator")


# Evaluations are drawn up from the data, which their inputs keep as evidence, and their total
# and grade follow from the indicator scores: the admin shows them and may delete one made in error.
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

    def has_delete_permission(self, request, obj=None):
        return False  # Part of its evaluation.


# --- Ratings and trust -----------------------------------------------------------------------


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["project", "resident", "period", "score", "created_at"]
    list_filter = ["score"]
    list_select_related = ["project", "resident"]
    search_fields = ["project__name", "resident__name", "comment"]
    date_hierarchy = "period"
    autocomplete_fields = ["project", "resident"]
    readonly_fields = ["created_at"]


# Trust scores are computed daily by the periodic job; the admin shows the history.
@admin.register(TrustScore)
class TrustScoreAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["organisation", "computed_on", "score", "evaluation_component", "breach_component"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name"]
    list_filter = ["organisation__kind"]
    date_hierarchy = "computed_on"
    ordering = ["-computed_on", "organisation"]
