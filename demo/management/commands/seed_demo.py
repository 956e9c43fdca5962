"""seed_demo: fill the database with the Xiqing / Zhongbei / Houtai demo and print the demo logins."""
import unicodedata

from django.core.management.base import BaseCommand, CommandError

from demo.people import DEMO_PASSWORD
from demo.seed import DemoIncomplete, seed_demo


class Command(BaseCommand):
    help = (
        "Create the demo data set (Houtai community, Zhongbei town, Xiqing district): organisations, residents, "
        "the service list, projects in every stage and mode, the green-space claim and more. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=1,
            help="Multiply residents, organisations, plots, reports and ratings by N (default 1).",
        )

    def handle(self, *args, scale: int, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        self.stdout.write(f"Seeding the demo at scale {scale}...")
        try:
            seeding = seed_demo(scale=scale, log=self.stdout.write)
        except DemoIncomplete as error:
            raise CommandError(f"Nothing was saved: {error}") from error

        rows = [(login.username, login.role, DEMO_PASSWORD, login.sees) for login in seeding.logins]
        header = ("username", "role", "password", "what they see")
        widths = [max(width(row[column]) for row in [header, *rows]) for column in range(3)]
        self.stdout.write(self.style.SUCCESS("\nDemo logins (one password for all):"))
        for row in [header, *rows]:
            self.stdout.write("  ".join(pad(value, size) for value, size in zip(row, widths)) + "  " + row[3])


def width(text: str) -> int:
    """Columns the text takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text: str, size: int) -> str:
    return text + " " * (size - width(text))
