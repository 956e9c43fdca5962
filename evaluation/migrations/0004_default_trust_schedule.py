"""Install the default schedule of the trust-score job: daily at 03:00, Asia/Shanghai time.

It runs after the accountability job (02:00), so that the day's scores count the day's breaches.
get_or_create leaves a schedule an administrator has since edited in the admin as it is.
"""

from django.db import migrations
from django.utils import timezone

TASK_NAME = "Recompute trust scores (daily)"
TASK = "evaluation.recompute_trust_scores"


def install(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    daily_at_three, _created = CrontabSchedule.objects.get_or_create(
        minute="0", hour="3", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    _task, created = PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": TASK,
            "crontab": daily_at_three,
            "kwargs": "{}",
            "enabled": True,
            "description": "Computes today's trust score of every organisation from its evaluations and breaches.",
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
        ("evaluation", "0003_readable_constraint_messages"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, remove)]
