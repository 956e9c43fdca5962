"""Install the default schedules of the notifications: send what is due every 5 minutes, digests daily at 07:00.

The five-minute run catches up the mail that failed while the mail server was down. The digest of a day is
sent the next morning, Asia/Shanghai time. get_or_create leaves a schedule an administrator has since edited
in the admin as it is, so running the migration again changes nothing.
"""

from django.db import migrations
from django.utils import timezone

SEND_NAME = "Send due notification e-mails (every 5 minutes)"
SEND_TASK = "notifications.send_due_deliveries"
DIGEST_NAME = "Daily notification digests (07:00)"
DIGEST_TASK = "notifications.send_daily_digests"


def install(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    every_five_minutes, _created = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    _task, created_send = PeriodicTask.objects.get_or_create(
        name=SEND_NAME,
        defaults={
            "task": SEND_TASK,
            "interval": every_five_minutes,
            "kwargs": "{}",
            "enabled": True,
            "description": "Sends the queued notification e-mails and retries those that failed.",
        },
    )
    morning, _created = CrontabSchedule.objects.get_or_create(
        minute="0", hour="7", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    _task, created_digest = PeriodicTask.objects.get_or_create(
        name=DIGEST_NAME,
        defaults={
            "task": DIGEST_TASK,
            "crontab": morning,
            "kwargs": "{}",
            "enabled": True,
            "description": "Sends yesterday's notifications as one mail to each person who chose a daily digest.",
        },
    )
    if created_send or created_digest:
        # Tells a running beat to reload its schedule (what PeriodicTask.save() does outside migrations).
        PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=SEND_NAME, task=SEND_TASK).delete()
    PeriodicTask.objects.filter(name=DIGEST_NAME, task=DIGEST_TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, remove)]
