"""Three foreign keys lose their own index: another index of the table leads with the same column.

- Claim.resident: claim_resident_status (resident, status);
- ServiceReport.project: report_one_per_period (project, organisation, period_start);
- ServiceReport.organisation: report_org_period (organisation, period_start).

Every claim and every report submitted wrote to an index no query needs. Only the indexes are
dropped, by name (see DropIndexesCoveredByOthers).
"""

import django.db.models.deletion
from django.db import migrations, models

from common.index_operations import DropIndexesCoveredByOthers

INDEXES = {
    "coproduction_claim_resident_id_be8a4345": ("coproduction_claim", "resident_id"),
    "coproduction_servicereport_project_id_31073677": ("coproduction_servicereport", "project_id"),
    "coproduction_servicereport_organisation_id_d088df8b": ("coproduction_servicereport", "organisation_id"),
}


class Migration(migrations.Migration):
    dependencies = [
        ("coproduction", "0007_report_period_end_index"),
        ("partners", "0002_resident_removed_at"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="claim",
                    name="resident",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="claims",
                        to="partners.resident",
                    ),
                ),
                migrations.AlterField(
                    model_name="servicereport",
                    name="organisation",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reports",
                        to="partners.organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="servicereport",
                    name="project",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reports",
                        to="coproduction.project",
                    ),
                ),
            ],
            database_operations=[DropIndexesCoveredByOthers(INDEXES)],
        ),
    ]
