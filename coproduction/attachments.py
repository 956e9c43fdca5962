"""Checks on uploaded files (attachments of reports, applications and duty evidence): type, size, count.

A file's name and the browser's declared type are whatever the client says; an .exe renamed
receipts.pdf must not be stored and served back as a PDF. The type is therefore read from the
file's first bytes (and, for Office documents, from the parts inside the ZIP container), and the
file is stored under a generated name so that no client-chosen name reaches the file system.
"""

import uuid
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EXTENSIONS = {PDF: "pdf", PNG: "png", JPEG: "jpg", DOCX: "docx", XLSX: "xlsx"}
REPORT_TYPES = frozenset(EXTENSIONS)
PHOTO_TYPES = frozenset({PNG, JPEG})
MAX_REPORT_ATTACHMENTS = 10

_SIGNATURES = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))
_ZIP_SIGNATURE = b"PK\x03\x04"
# The part that makes an Office Open XML package a Word document or an Excel workbook.
_OFFICE_MAIN_PARTS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX))


class BoundedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Streams an upload to a temporary file, but writes no more than ATTACHMENT_MAX_BYTES of it.

    Django's own handler writes every byte a client sends before any view can check the size, so
    a many-gigabyte upload would fill the disk. This one drops the bytes past the limit while still
    counting them: the file keeps its real size, and upload_check() refuses it with the usual message.
    """

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        room = settings.ATTACHMENT_MAX_BYTES - start
        if room > 0:
            self.file.write(raw_data[:room])


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed the checks, with the type read from its bytes."""

    upload: File
    content_type: str

    @property
    def original_name(self) -> str:
        """The client's name for the file, kept for display only: its last path segment, printable, 255 at most.

        Django's request parser already cuts names so; files handed to the services by other code
        (imports, the demo) are cut the same way, so no record keeps a path or a control character.
        """
        name = (self.upload.name or "").replace("\\", "/").rsplit("/", 1)[-1]
        return "".join(character for character in name if character.isprintable())[:255]


def sniff_content_type(upload: File) -> str | None:
    """The file's type as its bytes show it, or None if it is none of the types we know."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head.startswith(_ZIP_SIGNATURE):
        return _office_type(upload)
    return None


def _office_type(upload: File) -> str | None:
    """Word or Excel if the ZIP holds their main part; only the directory is read, nothing unpacked."""
    try:
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    return next((content_type for part, content_type in _OFFICE_MAIN_PARTS if part in names), None)


def _type_names(allowed: Iterable[str]) -> str:
    labels = {PDF: "PDF", PNG: "PNG", JPEG: "JPEG", DOCX: _("Word (.docx)"), XLSX: _("Excel (.xlsx)")}
    return ", ".join(labels[content_type] for content_type in EXTENSIONS if content_type in allowed)


def upload_check(*, upload: File, allowed: frozenset[str] = REPORT_TYPES) -> CheckedUpload:
    """Refuse a file over the size limit or whose bytes are not of an allowed type."""
    name = upload.name or _("(unnamed file)")
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("%(name)s is larger than the limit of %(limit)s.") % {"name": name, "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    content_type = sniff_content_type(upload)
    if content_type not in allowed:
        raise ValidationError(
            _("%(name)s is not a file of an accepted type (%(types)s): its contents were checked, not its name.")
            % {"name": name, "types": _type_names(allowed)},
            code="file_type",
        )
    return CheckedUpload(upload=upload, content_type=content_type)


def uploads_check(
    *, uploads: Iterable[File], already_attached: int = 0, too_many_message: str | None = None
) -> list[CheckedUpload]:
    """Check every file of a report (or an application, a duty's evidence) at once, listing every problem together."""
    uploads = list(uploads)
    problems: list[ValidationError] = []
    if already_attached + len(uploads) > MAX_REPORT_ATTACHMENTS:
        message = too_many_message or _("A report may have at most %(max)d attachments.")
        problems.append(ValidationError(message % {"max": MAX_REPORT_ATTACHMENTS}, code="too_many_files"))
    checked = []
    for upload in uploads:
        try:
            checked.append(upload_check(upload=upload))
        except ValidationError as problem:
            problems.append(problem)
    if problems:
        raise ValidationError(problems)
    return checked


def upload_store(*, checked: CheckedUpload, field_file: FieldFile) -> None:
    """Write the file under a generated name with the extension of its real type."""
    stored_name = f"{uuid.uuid4().hex}.{EXTENSIONS[checked.content_type]}"
    field_file.save(stored_name, checked.upload, save=False)


def attachments_save(*, model, uploads: list[CheckedUpload], stored: list[FieldFile], **owner) -> list:
    """One `model` row per checked upload (file, original_name, content_type, size), the file stored first.

    `stored` collects the files written, for stored_files_discarded_on_error() to remove if the
    surrounding write fails; `owner` names the record the files belong to (report=..., application=...).
    """
    rows = []
    for checked in uploads:
        row = model(
            original_name=checked.original_name, content_type=checked.content_type, size=checked.upload.size, **owner
        )
        upload_store(checked=checked, field_file=row.file)
        stored.append(row.file)
        row.save()
        rows.append(row)
    return rows


@contextmanager
def stored_files_discarded_on_error() -> Iterator[list[FieldFile]]:
    """Files are not part of the database transaction: remove what was stored if the write fails."""
    stored: list[FieldFile] = []
    try:
        yield stored
    except BaseException:
        for field_file in stored:
            if field_file.name:  # a stored file always has one
                field_file.storage.delete(field_file.name)
        raise
