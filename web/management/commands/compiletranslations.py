"""Compile every locale/**/django.po to its .mo with Babel, so no system gettext is needed."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


def catalogues() -> list[Path]:
    """The .po files under every LOCALE_PATHS folder (none yet is fine)."""
    return sorted(po for folder in settings.LOCALE_PATHS for po in Path(folder).glob("**/django.po"))


def compile_catalogue(po_path: Path) -> Path:
    """Write the .mo beside the .po; fuzzy entries are left out, as msgfmt does."""
    with po_path.open("rb") as po_file:
        catalogue = read_po(po_file)
    mo_path = po_path.with_suffix(".mo")
    with mo_path.open("wb") as mo_file:
        write_mo(mo_file, catalogue)
    return mo_path


class Command(BaseCommand):
    help = "Compile the project's translation catalogues (locale/**/django.po) into .mo files."

    def handle(self, *args, **options):
        compiled = [compile_catalogue(po) for po in catalogues()]
        for mo_path in compiled:
            self.stdout.write(f"compiled {mo_path}")
        self.stdout.write(self.style.SUCCESS(f"{len(compiled)} translation catalogue(s) compiled."))
