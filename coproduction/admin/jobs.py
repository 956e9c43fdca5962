"""Admin for the periodic jobs' runs and the tasks waiting for the broker: shown, never edited."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import JobRun, MissedTask
from .common import ViewOnlyMixin


class LatestRunFilter(admin.SimpleListFilter):
    """Operators first want to know how each job last went: the admin opens on that view."""

    title = _("runs")
    parameter_name = "runs"

    def lookups(self, request, model_admin):
        return [("all", _("All runs"))]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("Last run of each job"),
        }
        yield from super().choices(changelist)

    def queryset(self, request, queryset):
        if self.value() == "all":
            return queryset
        return queryset.filter(pk__in=JobRun.objects.latest_per_job().values("pk"))


@admin.register(JobRun)
class JobRunAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["job", "community", "started_at", "finished_at", "outcome", "counts_display"]
    list_filter = [LatestRunFilter, "outcome", "job"]
    list_select_related = ["community"]
    search_fields = ["job", "community__name", "error"]
    date_hierarchy = "started_at"
    ordering = ["-started_at"]

    @admin.display(description=_("counts"))
    def counts_display(self, obj):
        if not isinstance(obj.counts, dict):
            return obj.counts
        return ", ".join(f"{name}: {count}" for name, count in obj.counts.items())


@admin.register(MissedTask)
class MissedTaskAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Work waiting for the broker to come back; the catch-up sends it and removes the row."""

    list_display = ["task", "kwargs", "missed_at", "error"]
    list_filter = ["task"]
    date_hierarchy = "missed_at"
