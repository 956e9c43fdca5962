"""AuditEntry.content_type keeps its relation but loses its foreign-key constraint in PostgreSQL.

Every entry's content type was checked at commit: a tenth of the accountability job's time at
district scale, for ids the platform takes from ContentType.objects.get_for_model() alone.
Django still refuses to delete a content type that entries name (on_delete=PROTECT).

Only the constraint is dropped, by SQL: an AlterField would make SQLite rebuild the table, and with
it drop the append-only trigger of migration 0002. SQLite, the embedded default, keeps the
constraint (it cannot drop one without rebuilding the table); nothing there depends on its absence.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE, COLUMN = "audit_auditentry", "content_type_id"


def _constraint_names(schema_editor) -> list[str]:
    with schema_editor.connection.cursor() as cursor:
        constraints = schema_editor.connection.introspection.get_constraints(cursor, TABLE)
    return [name for name, info in constraints.items() if info["foreign_key"] and info["columns"] == [COLUMN]]


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in _constraint_names(schema_editor):
        schema_editor.execute(f"ALTER TABLE {TABLE} DROP CONSTRAINT {schema_editor.quote_name(name)}")


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql" or _constraint_names(schema_editor):
        return
    schema_editor.execute(
        f"ALTER TABLE {TABLE} ADD CONSTRAINT audit_auditentry_content_type_id_fk FOREIGN KEY ({COLUMN}) "
        "REFERENCES django_content_type (id) DEFERRABLE INITIALLY DEFERRED"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_content_type_served_by_audit_object"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditentry",
                    name="content_type",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_constraint, add_constraint)],
        ),
    ]
