"""JobRun and MissedTask now belong to the jobs app (jobs/migrations/0001_initial.py), which keeps their rows."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("coproduction", "0015_verbose_names_of_relations"),
        ("jobs", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="jobrun", name="community"),
                migrations.DeleteModel(name="MissedTask"),
                migrations.DeleteModel(name="JobRun"),
            ]
        ),
    ]
