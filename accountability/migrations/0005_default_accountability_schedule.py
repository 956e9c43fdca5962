"""Install the default schedule of the accountability job: daily at 02:00, Asia/Shanghai time.

get_or_create leaves a schedule an administrator has since edited in the admin as it is, so
running the migration again (or on a database that already has it) changes nothing.
"""

from django.db import migrations
from django.utils import timezone

TASK_NAME = "Recompute accountability (daily)"
TASK = "accountability.recompute_accountability"


def install(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    daily_at_two, _created = CrontabSchedule.objects.get_or_create(
        minute="0", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    _task, created = PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": TASK,
            "crontab": daily_at_two,
            "kwargs": "{}",
            "enabled": True,
            "description": "Opens breaches for overdue duties, missed reports, unanswered complaints, "
            "lapsed claims and failed inspections in every community.",
        },
    )
    if created:
        # Tells a running beat to reload its schedule (what PeriodicTask.save() does outside migrations).
        PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=TASK_NAME, task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0004_readable_constraint_messages"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, remove)]
