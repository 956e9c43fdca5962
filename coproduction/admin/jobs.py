"""Admin for the periodic jobs' runs: shown, never edited."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import JobRun
from .common import ViewOnlyMixin


@admin.register(JobRun)
class JobRunAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["job", "community", "started_at", "finished_at", "outcome", "counts_display"]
    list_filter = ["outcome", "job"]
    list_select_related = ["community"]
    search_fields = ["job", "community__name", "error"]
    date_hierarchy = "started_at"
    ordering = ["-started_at"]

    @admin.display(description=_("counts"))
    def counts_display(self, obj):
        if not isinstance(obj.counts, dict):
            return obj.counts
        return ", ".join(f"{name}: {count}" for name, count in obj.counts.items())
