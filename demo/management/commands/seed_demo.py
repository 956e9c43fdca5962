"""seed_demo: fill the database with the Xiqing / Zhongbei / Houtai demo and print the demo logins."""

import unicodedata
from pathlib import Path

from django.conf import settings
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
            "--scale",
            type=int,
            default=1,
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

        table = login_table(seeding.logins)
        self.stdout.write(self.style.SUCCESS("\n" + table))
        # `make run` prints the table again last, after the jobs' output, just before the server starts.
        path = Path(settings.VAR_DIR) / "demo-logins.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(table + "\n", encoding="utf-8")


def login_table(logins) -> str:
    header = ("username", "role", "password", "lands on", "what they see")
    rows = [header, *((login.username, login.role, DEMO_PASSWORD, login.lands_on, login.sees) for login in logins)]
    widths = [max(width(row[column]) for row in rows) for column in range(4)]
    # The last column is left unpadded: `widths` covers the first four.
    lines = [
        "  ".join(pad(value, size) for value, size in zip(row, widths, strict=False)) + "  " + row[4] for row in rows
    ]
    return "\n".join(["Demo logins (one password for all):", *lines])


def width(text: str) -> int:
    """Columns the text takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text: str, size: int) -> str:
    return text + " " * (size - width(text))
