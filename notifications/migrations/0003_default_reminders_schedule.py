"""Install the default schedule of the reminders before deadlines: daily at 08:30, Asia/Shanghai time.

In the morning, when people read them, and after the night's accountability job. get_or_create leaves a
schedule an administrator has since edited in the admin as it is, so running the migration again changes nothing.
"""

from django.db import migrations
from django.utils import timezone

TASK_NAME = "Reminders before deadlines (daily)"
TASK = "notifications.send_reminders"


def install(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    morning, _created = CrontabSchedule.objects.get_or_create(
        minute="30", hour="8", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    _task, created = PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": TASK,
            "crontab": morning,
            "kwargs": "{}",
            "enabled": True,
            "description": "Reminds of reports, duties, claims and complaints before their deadlines "
            "(notifications/services/reminders.py).",
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
        ("notifications", "0002_default_notification_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, remove)]
