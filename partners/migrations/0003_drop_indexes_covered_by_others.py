"""Foreign keys lose their own index where another index of the table leads with the same column.

- Street.district: street_unique_name (district, name);
- Community.street: community_unique_name (street, name);
- Qualification.organisation: qualification_unique_name (organisation, name);
- Membership.user: membership_unique_user (user, organisation);
- OfficialPost.user: official_post_unique_community (user, community);
- Resident.community: resident_community_volunteer (community, is_volunteer).

Only the indexes are dropped, by name (see DropIndexesCoveredByOthers).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from common.index_operations import DropIndexesCoveredByOthers

INDEXES = {
    "partners_street_district_id_bd74e1ca": ("partners_street", "district_id"),
    "partners_community_street_id_7dd59265": ("partners_community", "street_id"),
    "partners_qualification_organisation_id_f1251049": ("partners_qualification", "organisation_id"),
    "partners_membership_user_id_4e1fffe4": ("partners_membership", "user_id"),
    "partners_officialpost_user_id_49b258c8": ("partners_officialpost", "user_id"),
    "partners_resident_community_id_a8df1ad3": ("partners_resident", "community_id"),
}


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0002_resident_removed_at"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="community",
                    name="street",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="communities",
                        to="partners.street",
                    ),
                ),
                migrations.AlterField(
                    model_name="membership",
                    name="user",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="officialpost",
                    name="user",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="official_posts",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="qualification",
                    name="organisation",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="qualifications",
                        to="partners.organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="resident",
                    name="community",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="residents",
                        to="partners.community",
                    ),
                ),
                migrations.AlterField(
                    model_name="street",
                    name="district",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="streets",
                        to="partners.district",
                    ),
                ),
            ],
            database_operations=[DropIndexesCoveredByOthers(INDEXES)],
        ),
    ]
