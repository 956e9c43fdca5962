"""Install the default schedules of the supervision reports: weekly on Monday 04:00, monthly on the 1st 04:30.

Asia/Shanghai time. get_or_create leaves a schedule an administrator has since edited in the
admin as it is, so running the migration again changes nothing.
"""

import json

from django.db import migrations
from django.utils import timezone

TASK = "accountability.build_supervision_reports"
SCHEDULES = [
    ("Supervision reports (weekly)", "weekly", {"minute": "0", "hour": "4", "day_of_week": "1", "day_of_month": "*"}),
    (
        "Supervision reports (monthly)",
        "monthly",
        {"minute": "30", "hour": "4", "day_of_week": "*", "day_of_month": "1"},
    ),
]


def install(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    installed = False
    for name, period_kind, when in SCHEDULES:
        crontab, _created = CrontabSchedule.objects.get_or_create(month_of_year="*", timezone="Asia/Shanghai", **when)
        _task, created = PeriodicTask.objects.get_or_create(
            name=name,
            defaults={
                "task": TASK,
                "crontab": crontab,
                "kwargs": json.dumps({"period_kind": period_kind}),
                "enabled": True,
                "description": f"Builds every community's {period_kind} supervision report for the last completed "
                "period and e-mails new ones to its officials.",
            },
        )
        installed = installed or created
    if installed:
        # Tells a running beat to reload its schedule (what PeriodicTask.save() does outside migrations).
        PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, _kind, _when in SCHEDULES], task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0006_default_risk_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, remove)]
