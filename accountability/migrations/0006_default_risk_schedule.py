"""Install the default schedule of the risk detection: daily at 02:30, Asia/Shanghai time.

Half an hour after the accountability job, so that its rules see the day's breaches and claims.

get_or_create leaves a schedule an administrator has since edited in the admin as it is, so
running the migration again (or on a database that already has it) changes nothing.
"""

from django.db import migrations
from django.utils import timezone

TASK_NAME = "Detect risks (daily)"
TASK = "accountability.detect_risks"


def install(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    daily_at_half_past_two, _created = CrontabSchedule.objects.get_or_create(
        minute="30", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    _task, created = PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": TASK,
            "crontab": daily_at_half_past_two,
            "kwargs": "{}",
            "enabled": True,
            "description": "Raises or updates risks from every rule in accountability/services/risk_detection.py.",
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
        ("accountability", "0005_default_accountability_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, remove)]
