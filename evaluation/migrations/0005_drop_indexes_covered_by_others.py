"""Foreign keys lose their own index where another index of the table leads with the same column.

- Indicator.service_item: indicator_unique_code (service_item, code);
- Evaluation.project: evaluation_one_per_period (project, period_start);
- IndicatorScore.evaluation: indicator_score_unique (evaluation, indicator);
- Rating.project: rating_once_per_period (project, resident, period);
- TrustScore.organisation: trust_score_one_per_day (organisation, computed_on).

Only the indexes are dropped, by name (see DropIndexesCoveredByOthers).
"""

import django.db.models.deletion
from django.db import migrations, models

from common.index_operations import DropIndexesCoveredByOthers

INDEXES = {
    "evaluation_indicator_service_item_id_897efea8": ("evaluation_indicator", "service_item_id"),
    "evaluation_evaluation_project_id_90cd6c3b": ("evaluation_evaluation", "project_id"),
    "evaluation_indicatorscore_evaluation_id_10494865": ("evaluation_indicatorscore", "evaluation_id"),
    "evaluation_rating_project_id_75600143": ("evaluation_rating", "project_id"),
    "evaluation_trustscore_organisation_id_33a821bd": ("evaluation_trustscore", "organisation_id"),
}


class Migration(migrations.Migration):
    dependencies = [
        ("coproduction", "0009_drop_indexes_covered_by_others"),
        ("evaluation", "0004_default_trust_schedule"),
        ("partners", "0003_drop_indexes_covered_by_others"),
        ("services", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="evaluation",
                    name="project",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="evaluations",
                        to="coproduction.project",
                    ),
                ),
                migrations.AlterField(
                    model_name="indicator",
                    name="service_item",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="indicators",
                        to="services.servicelistitem",
                    ),
                ),
                migrations.AlterField(
                    model_name="indicatorscore",
                    name="evaluation",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="scores",
                        to="evaluation.evaluation",
                    ),
                ),
                migrations.AlterField(
                    model_name="rating",
                    name="project",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="ratings",
                        to="coproduction.project",
                    ),
                ),
                migrations.AlterField(
                    model_name="trustscore",
                    name="organisation",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="trust_scores",
                        to="partners.organisation",
                    ),
                ),
            ],
            database_operations=[DropIndexesCoveredByOthers(INDEXES)],
        ),
    ]
