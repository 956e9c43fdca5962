"""Foreign keys lose their own index where another index of the table leads with the same column.

- Project.community: project_community_stage (community, stage);
- Participation.project: participation_unique_role (project, organisation, role);
- Participation.organisation: participation_org_role (organisation, role);
- Need.community: need_community_status (community, status);
- Criterion.call: criterion_unique_name (call, name);
- Application.call: application_one_per_organisation (call, organisation);
- Review.application: review_one_per_reviewer (application, reviewer);
- ReviewScore.review: review_score_unique_criterion (review, criterion);
- ConflictDeclaration.reviewer: conflict_unique (reviewer, organisation, call);
- Task.project: task_project_status (project, status);
- CheckIn.claim: checkin_one_per_day (claim, on).

Only the indexes are dropped, by name (see DropIndexesCoveredByOthers).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from common.index_operations import DropIndexesCoveredByOthers

INDEXES = {
    "coproduction_project_community_id_b2eb9f8e": ("coproduction_project", "community_id"),
    "coproduction_participation_project_id_b8455be4": ("coproduction_participation", "project_id"),
    "coproduction_participation_organisation_id_0c8ed3d5": ("coproduction_participation", "organisation_id"),
    "coproduction_need_community_id_282dd785": ("coproduction_need", "community_id"),
    "coproduction_criterion_call_id_7b74daa6": ("coproduction_criterion", "call_id"),
    "coproduction_application_call_id_743f9e35": ("coproduction_application", "call_id"),
    "coproduction_review_application_id_b17b1377": ("coproduction_review", "application_id"),
    "coproduction_reviewscore_review_id_b01c38ae": ("coproduction_reviewscore", "review_id"),
    "coproduction_conflictdeclaration_reviewer_id_ce0765c0": ("coproduction_conflictdeclaration", "reviewer_id"),
    "coproduction_task_project_id_f8352c82": ("coproduction_task", "project_id"),
    "coproduction_checkin_claim_id_0fbc5658": ("coproduction_checkin", "claim_id"),
}


class Migration(migrations.Migration):
    dependencies = [
        ("coproduction", "0008_drop_indexes_covered_by_others"),
        ("partners", "0003_drop_indexes_covered_by_others"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="application",
                    name="call",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="applications",
                        to="coproduction.call",
                    ),
                ),
                migrations.AlterField(
                    model_name="checkin",
                    name="claim",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="checkins",
                        to="coproduction.claim",
                    ),
                ),
                migrations.AlterField(
                    model_name="conflictdeclaration",
                    name="reviewer",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="conflicts",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="criterion",
                    name="call",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="criteria",
                        to="coproduction.call",
                    ),
                ),
                migrations.AlterField(
                    model_name="need",
                    name="community",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="needs",
                        to="partners.community",
                    ),
                ),
                migrations.AlterField(
                    model_name="participation",
                    name="organisation",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="participations",
                        to="partners.organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="participation",
                    name="project",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="participations",
                        to="coproduction.project",
                    ),
                ),
                migrations.AlterField(
                    model_name="project",
                    name="community",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="projects",
                        to="partners.community",
                    ),
                ),
                migrations.AlterField(
                    model_name="review",
                    name="application",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reviews",
                        to="coproduction.application",
                    ),
                ),
                migrations.AlterField(
                    model_name="reviewscore",
                    name="review",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="scores",
                        to="coproduction.review",
                    ),
                ),
                migrations.AlterField(
                    model_name="task",
                    name="project",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tasks",
                        to="coproduction.project",
                    ),
                ),
            ],
            database_operations=[DropIndexesCoveredByOthers(INDEXES)],
        ),
    ]
