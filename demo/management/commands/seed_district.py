"""`manage.py seed_district --scale full|small|tiny|N`: the district-scale data set, in bulk, on PostgreSQL."""

from django.core.management.base import BaseCommand, CommandError

from demo.district.build import DistrictError, build_district
from demo.district.plan import plan_for


class Command(BaseCommand):
    help = "Build a district-scale data set (the demo, then bulk rows) in an empty PostgreSQL database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", default="full", help="full (100 communities), small, tiny, or a number of communities"
        )

    def handle(self, *args, scale, **options):
        try:
            counts = build_district(plan_for(scale), log=self.stdout.write)
        except (DistrictError, ValueError) as error:
            raise CommandError(str(error)) from error
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count}")
