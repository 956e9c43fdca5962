"""Admin for the periodic jobs: their schedules, their runs and the tasks waiting for the broker.

django-celery-beat's own schedule admins are replaced by ones that name each job in words.
"""

import json

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_celery_beat.admin import CrontabScheduleAdmin as BeatCrontabScheduleAdmin
from django_celery_beat.admin import PeriodicTaskAdmin as BeatPeriodicTaskAdmin
from django_celery_beat.admin import PeriodicTaskInline
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from common.admin_workflows import ViewOnlyMixin
from common.crontab_words import crontab_in_words
from jobs.models import JobRun, MissedTask, job_count_label, job_count_labels, job_label
from jobs.tasks import RESEND_MISSED_TASKS


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
    # The record page names the job and its counters in words too, not by their codes.
    fields = [
        "job_display",
        "community",
        "started_at",
        "finished_at",
        "outcome",
        "counts_display",
        "error",
        "lease_until",
    ]

    @admin.display(description=_("job"), ordering="job")
    def job_display(self, obj):
        return job_label(obj.job)

    @admin.display(description=_("counts"))
    def counts_display(self, obj):
        if not isinstance(obj.counts, dict):
            return obj.counts
        labels = job_count_labels()
        return ", ".join(f"{job_count_label(name, labels)}: {count}" for name, count in obj.counts.items())


def periodic_task_job(task: PeriodicTask) -> str:
    """The job a schedule starts, named as its runs are (a supervision report's period kind is part of it)."""
    try:
        kwargs = json.loads(task.kwargs or "{}")
    except ValueError:
        kwargs = {}
    period_kind = kwargs.get("period_kind") if isinstance(kwargs, dict) else None
    return f"{task.task}.{period_kind}" if period_kind else task.task


# A schedule whose task records no run (so it is not among the jobs officials watch).
UNRECORDED_JOB_LABELS = {
    RESEND_MISSED_TASKS: _("Resending the tasks the broker missed"),
    # notifications/tasks.py: each mail's outbox row is its record.
    "notifications.send_due_deliveries": _("Sending notification e-mails"),
    "notifications.send_daily_digests": _("Daily notification digests"),
}


def periodic_task_label(task: PeriodicTask) -> str:
    job = periodic_task_job(task)
    return str(UNRECORDED_JOB_LABELS.get(job) or job_label(job))


class ScheduledJobFilter(admin.SimpleListFilter):
    """The schedules by their jobs' labels (django-celery-beat filters by the task's code)."""

    title = _("job")
    parameter_name = "job"

    def _jobs(self):
        # A handful of schedules: read them whole rather than parse their arguments in SQL.
        return [(task.pk, periodic_task_job(task)) for task in PeriodicTask.objects.only("task", "kwargs")]

    def lookups(self, request, model_admin):
        jobs = {job for _pk, job in self._jobs()}
        labels = {job: str(UNRECORDED_JOB_LABELS.get(job) or job_label(job)) for job in jobs}
        return sorted(labels.items(), key=lambda choice: choice[1])

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        return queryset.filter(pk__in=[pk for pk, job in self._jobs() if job == self.value()])


# The schedules' names are the installing migrations' English; the list shows each job's label.
admin.site.unregister(PeriodicTask)


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(BeatPeriodicTaskAdmin):
    list_display = [
        {"name": "job_display", "scheduler": "schedule_display"}.get(name, name)
        for name in BeatPeriodicTaskAdmin.list_display
    ]
    list_display_links = ["job_display"]
    list_filter = [ScheduledJobFilter if name == "task" else name for name in BeatPeriodicTaskAdmin.list_filter]
    # The stored name stays as installed (the migrations find their schedules by it); the form opens on the label.
    fieldsets = [
        (
            None,
            {
                **BeatPeriodicTaskAdmin.fieldsets[0][1],
                "fields": ("job_display", *BeatPeriodicTaskAdmin.fieldsets[0][1]["fields"]),
            },
        ),
        *BeatPeriodicTaskAdmin.fieldsets[1:],
    ]
    readonly_fields = [*BeatPeriodicTaskAdmin.readonly_fields, "job_display"]

    @admin.display(description=_("job"), ordering="name")
    def job_display(self, task):
        return periodic_task_label(task) if task.task else self.get_empty_value_display()

    # django-celery-beat names these columns by their properties' names, which no catalogue translates.
    @admin.display(description=_("schedule"))
    def schedule_display(self, task):
        return crontab_in_words(task.crontab) if task.crontab_id else task.scheduler

    @admin.display(description=_("in words"))
    def crontab_translation(self, task):
        return crontab_in_words(task.crontab) if task.crontab_id else self.get_empty_value_display()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "crontab":
            field.label_from_instance = crontab_in_words
        return field

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # django-celery-beat's own view puts its English descriptions of the crontabs in the page's
        # script; this one gives the same words as the list, and titles the page with the job's label.
        extra_context = {
            **(extra_context or {}),
            "readable_crontabs": {
                schedule.pk: crontab_in_words(schedule) for schedule in CrontabSchedule.objects.all()
            },
        }
        task = self.get_object(request, object_id) if object_id else None
        if task is not None:
            extra_context["subtitle"] = periodic_task_label(task)
        return admin.ModelAdmin.changeform_view(self, request, object_id, form_url, extra_context)


@admin.register(MissedTask)
class MissedTaskAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Work waiting for the broker to come back; the catch-up sends it and removes the row."""

    list_display = ["task", "kwargs", "missed_at", "error"]
    list_filter = ["task"]
    date_hierarchy = "missed_at"


class ScheduledJobInline(PeriodicTaskInline):
    """The jobs a schedule starts, by their labels (the inline's own column is a code headed "Task Name")."""

    fields = ["job_display", "name", "args", "kwargs"]
    readonly_fields = fields

    @admin.display(description=_("job"))
    def job_display(self, task):
        return periodic_task_label(task)


admin.site.unregister(CrontabSchedule)


@admin.register(CrontabSchedule)
class CrontabScheduleAdmin(BeatCrontabScheduleAdmin):
    list_display = ["__str__", "human_readable_display"]
    fields = ["human_readable_display", *(name for name in BeatCrontabScheduleAdmin.fields if name != "human_readable")]
    readonly_fields = ["human_readable_display"]
    inlines = [ScheduledJobInline]

    @admin.display(description=_("in words"))
    def human_readable_display(self, schedule):
        return crontab_in_words(schedule) if schedule.pk else self.get_empty_value_display()
