"""Install the default schedule of the catch-up of missed tasks: every five minutes.

get_or_create leaves a schedule an administrator has since edited in the admin as it is, so
running the migration again (or on a database that already has it) changes nothing.
"""

from django.db import migrations
from django.utils import timezone

TASK_NAME = "Resend missed tasks (every 5 minutes)"
TASK = "coproduction.resend_missed_tasks"


def install(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    every_five_minutes, _created = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    _task, created = PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": TASK,
            "interval": every_five_minutes,
            "kwargs": "{}",
            "enabled": True,
            "description": "Sends again the background work that web requests could not send "
            "while the broker was unreachable.",
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
        ("coproduction", "0005_missed_task"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, remove)]
