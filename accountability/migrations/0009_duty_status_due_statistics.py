"""Joint statistics of a duty's status and next due date (PostgreSQL).

Finished and cancelled duties keep the due date they stopped at, so nearly every past date
belongs to one of them. Planned as independent columns, "active and due before today" is then
estimated several times too large, and the accountability job hashes every duty completion
instead of looking up the few overdue duties' ones. A most-common-values list of the pairs lets
the planner see the real share. Due dates are few (one per day), so a long list covers them.
"""

from django.db import migrations

CREATE = """
CREATE STATISTICS IF NOT EXISTS duty_status_due_statistics (mcv) ON status, next_due_on FROM accountability_duty;
ALTER STATISTICS duty_status_due_statistics SET STATISTICS 1000;
ANALYZE accountability_duty;
"""
DROP = "DROP STATISTICS IF EXISTS duty_status_due_statistics;"


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0008_duty_project_status_due_index"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False),
    ]
