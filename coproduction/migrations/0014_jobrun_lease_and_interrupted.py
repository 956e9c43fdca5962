"""A job run's lease, renewed while its worker lives, and the `interrupted` outcome of a run whose worker was lost."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("coproduction", "0013_report_withdrawal_and_application_attachments"),
    ]

    operations = [
        migrations.AddField(
            model_name="jobrun",
            name="lease_until",
            field=models.DateTimeField(blank=True, null=True, verbose_name="lease until"),
        ),
        migrations.AlterField(
            model_name="jobrun",
            name="outcome",
            field=models.CharField(
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
        migrations.RemoveConstraint(
            model_name="jobrun",
            name="jobrun_outcome_valid",
        ),
        migrations.AddConstraint(
            model_name="jobrun",
            constraint=models.CheckConstraint(
                condition=models.Q(("outcome__in", ["running", "succeeded", "failed", "skipped", "interrupted"])),
                name="jobrun_outcome_valid",
            ),
        ),
    ]
