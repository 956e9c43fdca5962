"""What the service-report tests share: a provider on a running project, its staff, an official, files."""

import io
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coproduction.models import ParticipationRole, Project
from partners.models import MembershipRole, Organisation, User
from tests.factories import (
    MembershipFactory,
    OfficialPostFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
)


@dataclass
class Provider:
    project: Project
    organisation: Organisation
    staff: User
    official: User


@pytest.fixture
def media(settings, tmp_path):
    """Uploads go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def provider(media) -> Provider:
    """A dining-hall provider on a project in operation through 2025-2027, its staff and the community official."""
    project = ProjectFactory(start_date=date(2025, 1, 1), end_date=date(2027, 12, 31))
    organisation = OrganisationFactory()
    ParticipationFactory(project=project, organisation=organisation, role=ParticipationRole.PROVIDER)
    staff = MembershipFactory(organisation=organisation, role=MembershipRole.STAFF).user
    official = OfficialPostFactory(community=project.community).user
    return Provider(project=project, organisation=organisation, staff=staff, official=official)


def march(**changes) -> dict:
    """The figures of a March 2025 report, with any field changed."""
    return {
        "period_start": date(2025, 3, 1),
        "period_end": date(2025, 3, 31),
        "people_served": 120,
        "service_units": 900,
        "cost": Decimal("20000.00"),
        "income": Decimal("9000.00"),
        "subsidy": Decimal("10000.00"),
        "narrative": "Lunch served every weekday to 120 elderly residents.",
        **changes,
    }


# --- Files whose bytes say what they are -----------------------------------------------------


def pdf(name="receipts.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", "application/pdf")


def png(name="kitchen.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")


def jpeg(name="lunch.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64, "image/jpeg")


def _office(name: str, main_part: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(main_part, "<document/>")
    return SimpleUploadedFile(name, buffer.getvalue(), "application/octet-stream")


def docx(name="minutes.docx") -> SimpleUploadedFile:
    return _office(name, "word/document.xml")


def xlsx(name="meals.xlsx") -> SimpleUploadedFile:
    return _office(name, "xl/workbook.xml")


def exe_named_pdf(name="receipts.pdf") -> SimpleUploadedFile:
    """A Windows program wearing a PDF's name and declared type."""
    return SimpleUploadedFile(name, b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "application/pdf")


def plain_zip(name="archive.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("readme.txt", "not an office document")
    return SimpleUploadedFile(name, buffer.getvalue(), "application/zip")


def sized(size: int, name="big.pdf") -> SimpleUploadedFile:
    """A PDF of exactly `size` bytes."""
    head = b"%PDF-1.7\n"
    return SimpleUploadedFile(name, head + b"0" * (size - len(head)), "application/pdf")


def stored_files(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []
