"""Foreign keys lose their own index where another index of the table leads with the same column.

- Duty.project: duty_project_status_due (project, status, next_due_on);
- DutyAssignment.duty: assignment_unique_role (duty, participation, role);
- DutyCompletion.duty: completion_one_per_occurrence (duty, due_on);
- Breach.organisation: breach_org_status (organisation, status);
- Risk.community: risk_community_status (community, status);
- SupervisionReport.community: supervision_report_unique_period (community, period_kind, period_start).

Only the indexes are dropped, by name (see DropIndexesCoveredByOthers).
"""

import django.db.models.deletion
from django.db import migrations, models

from common.index_operations import DropIndexesCoveredByOthers

INDEXES = {
    "accountability_duty_project_id_cb2dcccf": ("accountability_duty", "project_id"),
    "accountability_dutyassignment_duty_id_3fad784a": ("accountability_dutyassignment", "duty_id"),
    "accountability_dutycompletion_duty_id_b73072a9": ("accountability_dutycompletion", "duty_id"),
    "accountability_breach_organisation_id_6c2cd4de": ("accountability_breach", "organisation_id"),
    "accountability_risk_community_id_9c9ad323": ("accountability_risk", "community_id"),
    "accountability_supervisionreport_community_id_ed611d18": ("accountability_supervisionreport", "community_id"),
}


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0009_duty_status_due_statistics"),
        ("coproduction", "0009_drop_indexes_covered_by_others"),
        ("partners", "0003_drop_indexes_covered_by_others"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="breach",
                    name="organisation",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="breaches",
                        to="partners.organisation",
                        verbose_name="accountable organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="duty",
                    name="project",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="duties",
                        to="coproduction.project",
                    ),
                ),
                migrations.AlterField(
                    model_name="dutyassignment",
                    name="duty",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="assignments",
                        to="accountability.duty",
                    ),
                ),
                migrations.AlterField(
                    model_name="dutycompletion",
                    name="duty",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="completions",
                        to="accountability.duty",
                    ),
                ),
                migrations.AlterField(
                    model_name="risk",
                    name="community",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="risks",
                        to="partners.community",
                    ),
                ),
                migrations.AlterField(
                    model_name="supervisionreport",
                    name="community",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="supervision_reports",
                        to="partners.community",
                    ),
                ),
            ],
            database_operations=[DropIndexesCoveredByOthers(INDEXES)],
        ),
    ]
