"""AuditEntry.content_type loses its own index: audit_object (content_type, object_id) leads with it.

Only the index is dropped, by name: an AlterField would make SQLite rebuild the table, and with
it drop the append-only trigger of migration 0002.
"""

import django.db.models.deletion
from django.db import migrations, models

from common.index_operations import DropIndexesCoveredByOthers

INDEXES = {"audit_auditentry_content_type_id_3fc095fb": ("audit_auditentry", "content_type_id")}


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_action_anonymise"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditentry",
                    name="content_type",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
            ],
            database_operations=[DropIndexesCoveredByOthers(INDEXES)],
        ),
    ]
