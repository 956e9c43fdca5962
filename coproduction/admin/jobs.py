"""Admin for the periodic jobs: their schedules, their runs and the tasks waiting for the broker."""
import json

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_celery_beat.admin import CrontabScheduleAdmin as BeatCrontabScheduleAdmin
from django_celery_beat.admin import PeriodicTaskAdmin as BeatPeriodicTaskAdmin
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from ..models import JobRun, MissedTask
from ..models.jobs import job_count_label, job_label
from ..tasks import RESEND_MISSED_TASKS
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


class JobFilter(admin.SimpleListFilter):
    """The jobs on record, by their labels rather than their codes."""

    title = _("job")
    parameter_name = "job"

    def lookups(self, request, model_admin):
        jobs = JobRun.objects.order_by().values_list("job", flat=True).distinct()
        return sorted(((job, job_label(job)) for job in jobs), key=lambda choice: choice[1])

    def queryset(self, request, queryset):
        return queryset.filter(job=self.value()) if self.value() else queryset


@admin.register(JobRun)
class JobRunAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["job_display", "community", "started_at", "finished_at", "outcome", "counts_display"]
    list_filter = [LatestRunFilter, "outcome", JobFilter]
    list_select_related = ["community"]
    search_fields = ["job", "community__name", "error"]
    date_hierarchy = "started_at"
    ordering = ["-started_at"]

    @admin.display(description=_("job"), ordering="job")
    def job_display(self, obj):
        return job_label(obj.job)

    @admin.display(description=_("counts"))
    def counts_display(self, obj):
        if not isinstance(obj.counts, dict):
            return obj.counts
        return ", ".join(f"{job_count_label(name)}: {count}" for name, count in obj.counts.items())


def periodic_task_job(task: PeriodicTask) -> str:
    """The job a schedule starts, named as its runs are (a supervision report's period kind is part of it)."""
    try:
        kwargs = json.loads(task.kwargs or "{}")
    except ValueError:
        kwargs = {}
    period_kind = kwargs.get("period_kind") if isinstance(kwargs, dict) else None
    return f"{task.task}.{period_kind}" if period_kind else task.task


# A schedule whose task records no run (so it is not among the jobs officials watch).
UNRECORDED_JOB_LABELS = {RESEND_MISSED_TASKS: _("Resending the tasks the broker missed")}

# The schedules' names are the installing migrations' English; the list shows each job's label.
admin.site.unregister(PeriodicTask)


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(BeatPeriodicTaskAdmin):
    list_display = [
        {"name": "job_display", "scheduler": "schedule_display"}.get(name, name)
        for name in BeatPeriodicTaskAdmin.list_display
    ]
    list_display_links = ["job_display"]

    @admin.display(description=_("job"), ordering="name")
    def job_display(self, task):
        job = periodic_task_job(task)
        return UNRECORDED_JOB_LABELS.get(job) or job_label(job)

    # django-celery-beat names these columns by their properties' names, which no catalogue translates.
    @admin.display(description=_("schedule"))
    def schedule_display(self, task):
        return task.scheduler


@admin.register(MissedTask)
class MissedTaskAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Work waiting for the broker to come back; the catch-up sends it and removes the row."""

    list_display = ["task", "kwargs", "missed_at", "error"]
    list_filter = ["task"]
    date_hierarchy = "missed_at"


admin.site.unregister(CrontabSchedule)


@admin.register(CrontabSchedule)
class CrontabScheduleAdmin(BeatCrontabScheduleAdmin):
    list_display = ["__str__", "human_readable_display"]

    @admin.display(description=_("in words"))
    def human_readable_display(self, schedule):
        return schedule.human_readable
