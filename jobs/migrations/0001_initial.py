"""JobRun and MissedTask move here from the coproduction app, their rows kept.

The models were created by coproduction's migrations; here they enter this app's state under their old
tables, which are then renamed. Their content types and the beat schedule's task name follow them.
"""

import django.db.models.deletion
from django.db import migrations, models

OLD_TASK, NEW_TASK = "coproduction.resend_missed_tasks", "jobs.resend_missed_tasks"


def content_types_and_task_names_follow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="coproduction", model__in=["jobrun", "missedtask"]).update(app_label="jobs")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task=OLD_TASK).update(task=NEW_TASK)
    apps.get_model("jobs", "MissedTask").objects.filter(task=OLD_TASK).update(task=NEW_TASK)


def content_types_and_task_names_go_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    # Django recreates the old ones after any migrate that ran in between: the moved ones win.
    ContentType.objects.filter(app_label="coproduction", model__in=["jobrun", "missedtask"]).delete()
    ContentType.objects.filter(app_label="jobs", model__in=["jobrun", "missedtask"]).update(app_label="coproduction")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task=NEW_TASK).update(task=OLD_TASK)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("partners", "0004_verbose_names_of_relations"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("coproduction", "0015_verbose_names_of_relations"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="MissedTask",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("task", models.CharField(max_length=100, verbose_name="task")),
                        ("kwargs", models.JSONField(blank=True, default=dict, verbose_name="arguments")),
                        (
                            "fingerprint",
                            models.CharField(editable=False, max_length=64, unique=True, verbose_name="fingerprint"),
                        ),
                        ("missed_at", models.DateTimeField(verbose_name="missed at")),
                        ("error", models.TextField(blank=True, verbose_name="error")),
                    ],
                    options={
                        "db_table": "coproduction_missedtask",
                        "verbose_name": "missed task",
                        "verbose_name_plural": "missed tasks",
                        "ordering": ["missed_at", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="JobRun",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("job", models.CharField(max_length=60, verbose_name="job")),
                        ("started_at", models.DateTimeField(verbose_name="started at")),
                        ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="finished at")),
                        (
                            "outcome",
                            models.CharField(
                                choices=[
                                    ("running", "Running"),
                                    ("succeeded", "Succeeded"),
                                    ("failed", "Failed"),
                                    ("skipped", "Skipped: another run held the lock"),
                                    ("interrupted", "Interrupted: its worker stopped before the run ended"),
                                ],
                                default="running",
                                max_length=20,
                                verbose_name="outcome",
                            ),
                        ),
                        ("counts", models.JSONField(blank=True, default=dict, verbose_name="counts")),
                        ("error", models.TextField(blank=True, verbose_name="error")),
                        ("lease_until", models.DateTimeField(blank=True, null=True, verbose_name="lease until")),
                        (
                            "community",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="job_runs",
                                to="partners.community",
                                verbose_name="community",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "coproduction_jobrun",
                        "verbose_name": "job run",
                        "verbose_name_plural": "job runs",
                        "ordering": ["-started_at"],
                        "get_latest_by": "started_at",
                        "indexes": [models.Index(fields=["job", "-started_at"], name="jobrun_job_started")],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("outcome__in", ["running", "succeeded", "failed", "skipped", "interrupted"])
                                ),
                                name="jobrun_outcome_valid",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("outcome", "running"), ("finished_at__isnull", False), _connector="OR"
                                ),
                                name="jobrun_finished_when_done",
                            ),
                        ],
                    },
                ),
            ]
        ),
        migrations.AlterModelTable(name="missedtask", table=None),
        migrations.AlterModelTable(name="jobrun", table=None),
        migrations.RunPython(content_types_and_task_names_follow, content_types_and_task_names_go_back),
    ]
