"""Inspections: an official checks an organisation's work on a project against a checklist.

The result follows from the checklist, not from the inspector's choice: all items passed is
passed; a few failures (at most MINOR_ISSUES_MAX_SHARE of the items) are minor issues; more is
a failed inspection, which is a breach of the inspected organisation.

Each service-list item may have a checklist template, which an inspection of a project
delivering that item starts from. Photos taken during an inspection are checked by decoding
them (not by their name or declared type) and stored re-encoded, without their metadata.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterable
from datetime import date
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability.models import (
    BreachKind,
    Inspection,
    InspectionPhoto,
    InspectionResult,
    InspectionTemplate,
    Severity,
)
from accountability.services.breaches import breach_open
from audit.services import record_changed, record_created, snapshot
from common.errors import field_error
from coproduction.attachments import stored_files_discarded_on_error
from coproduction.downloads import stored_file_response
from coproduction.models import Participation, Project
from partners.models import Organisation, User
from partners.roles import require_official_for
from service_list.models import ServiceListItem

try:  # Pillow decodes the photos; without it no photo is accepted (the rest works).
    from PIL import Image, ImageOps, UnidentifiedImageError
except ImportError:  # pragma: no cover - Pillow is a pinned requirement
    Image = None  # type: ignore[assignment]  # no Pillow: refused before any photo is read

# Up to this share of failed items (and at least one) the organisation passes with minor issues:
# one slip in a five-item kitchen checklist is a note for next time, two are a failure.
MINOR_ISSUES_MAX_SHARE = Fraction(1, 5)


def inspection_result(checklist: list[dict[str, Any]]) -> str:
    failed = sum(1 for entry in checklist if not entry["passed"])
    if failed == 0:
        return InspectionResult.PASSED
    if Fraction(failed, len(checklist)) <= MINOR_ISSUES_MAX_SHARE:
        return InspectionResult.MINOR_ISSUES
    return InspectionResult.FAILED


def clean_checklist(checklist: object) -> list[dict[str, Any]]:
    """The checklist as [{"item", "passed", "note"}], refusing an empty or malformed one."""
    if not isinstance(checklist, list) or not checklist:
        raise field_error("checklist", _("List at least one checklist item."), "checklist_empty")
    cleaned = []
    for entry in checklist:
        if not isinstance(entry, dict) or not str(entry.get("item") or "").strip():
            raise field_error("checklist", _("Every checklist item needs a name."), "item_unnamed")
        item = str(entry["item"]).strip()
        if not isinstance(entry.get("passed"), bool):
            raise field_error("checklist", _("Say whether “%(item)s” passed.") % {"item": item}, "item_unmarked")
        cleaned.append({"item": item, "passed": entry["passed"], "note": str(entry.get("note") or "").strip()})
    names = [entry["item"] for entry in cleaned]
    if len(set(names)) != len(names):
        raise field_error("checklist", _("Each checklist item may appear only once."), "item_repeated")
    return cleaned


# --- Checklist templates ---------------------------------------------------------------------

TEMPLATE_MAX_ITEMS = 50
TEMPLATE_ITEM_MAX_LENGTH = 200


def clean_template_items(items: Iterable[str]) -> list[str]:
    """The template's item names, trimmed, blanks dropped; refused when empty, too long or repeated."""
    names = [str(item).strip() for item in items if str(item).strip()]
    if not names:
        raise field_error("items", _("List at least one checklist item."), "checklist_empty")
    if len(names) > TEMPLATE_MAX_ITEMS:
        raise field_error(
            "items", _("A checklist has at most %(max)d items.") % {"max": TEMPLATE_MAX_ITEMS}, "too_many_items"
        )
    too_long = next((name for name in names if len(name) > TEMPLATE_ITEM_MAX_LENGTH), None)
    if too_long is not None:
        raise field_error(
            "items",
            _("“%(item)s…” is longer than %(max)d characters.")
            % {"item": too_long[:20], "max": TEMPLATE_ITEM_MAX_LENGTH},
            "item_too_long",
        )
    if len(set(names)) != len(names):
        raise field_error("items", _("Each checklist item may appear only once."), "item_repeated")
    return names


def inspection_template_items(project: Project) -> list[str]:
    """The checklist an inspection of the project starts from: its service item's template, or none.

    A new version of a service-list item keeps the checklist of the version before it until
    an official writes one for the new version.
    """
    template = (
        InspectionTemplate.objects.filter(service_item__code=project.service_item.code)
        .order_by("-service_item__version")
        .first()
    )
    return list(template.items) if template is not None else []


def inspection_template_items_in_use(community_id: int) -> QuerySet[ServiceListItem]:
    """The service-list items of the community's projects, with their templates: what its officials inspect."""
    return (
        ServiceListItem.objects.filter(projects__community_id=community_id)
        .distinct()
        .select_related("inspection_template")
        .order_by("name", "-version")
    )


@transaction.atomic
def inspection_template_save(
    *, service_item: ServiceListItem, items: Iterable[str], user: User, community_id: int
) -> InspectionTemplate:
    """An official writes the checklist template of a service-list item one of the community's projects delivers.

    The template serves every community's inspections of the item, so only an item the
    official's own community delivers may be changed through it; every change is audited.
    """
    require_official_for(user, community_id)
    if not Project.objects.filter(community_id=community_id, service_item=service_item).exists():
        raise field_error(
            "service_item", _("No project of this community delivers this service."), "item_not_delivered"
        )
    names = clean_template_items(items)
    template: InspectionTemplate | None = (
        InspectionTemplate.objects.select_for_update().filter(service_item=service_item).first()
    )
    now = timezone.now()
    if template is None:
        template = InspectionTemplate.objects.create(
            service_item=service_item, items=names, updated_at=now, updated_by=user
        )
        record_created(actor=user, instance=template)
        return template
    before = snapshot(template)
    template.items, template.updated_at, template.updated_by = names, now, user
    template.save(update_fields=["items", "updated_at", "updated_by"])
    record_changed(actor=user, instance=template, before=before)
    return template


# --- Photos ----------------------------------------------------------------------------------

PHOTO_MAX_BYTES = 8 * 1024 * 1024
PHOTO_MAX_COUNT = 6
# Larger photos are scaled down when re-encoded: enough to read a label, small enough to serve.
PHOTO_MAX_EDGE = 2000
# Refuse images that would take this many pixels or more to decode (a "decompression bomb").
PHOTO_MAX_PIXELS = 50_000_000
PHOTO_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png")}


class CheckedPhoto:
    """A photo that decoded as a JPEG or PNG, re-encoded without its metadata."""

    def __init__(self, content: bytes, content_type: str, extension: str, width: int, height: int):
        self.content, self.content_type, self.extension = content, content_type, extension
        self.width, self.height = width, height


def _photo_refused(name: str) -> ValidationError:
    return ValidationError(
        _("%(name)s is not a JPEG or PNG photo: its contents were checked, not its name.") % {"name": name},
        code="photo_type",
    )


def inspection_photo_check(upload: File[Any]) -> CheckedPhoto:
    """Decode the upload as a photo and re-encode it; refuse anything else, or anything too large."""
    name = upload.name or _("(unnamed file)")
    if upload.size is not None and upload.size > PHOTO_MAX_BYTES:
        raise ValidationError(
            _("%(name)s is larger than the limit of %(limit)s.")
            % {"name": name, "limit": filesizeformat(PHOTO_MAX_BYTES)},
            code="file_too_large",
        )
    if Image is None:  # pragma: no cover
        raise ValidationError(_("Photos cannot be accepted on this server."), code="photos_unavailable")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            kind = probe.format
            if kind not in PHOTO_FORMATS or probe.width * probe.height >= PHOTO_MAX_PIXELS:
                raise _photo_refused(name)
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as opened:
            opened.load()
            # The camera's orientation is applied, then the metadata (place, device) is left behind.
            image = ImageOps.exif_transpose(opened)
            image.thumbnail((PHOTO_MAX_EDGE, PHOTO_MAX_EDGE))
            output = io.BytesIO()
            if kind == "JPEG":
                image.convert("RGB").save(output, "JPEG", quality=85, optimize=True)
            else:
                image.save(output, "PNG", optimize=True)
            width, height = image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _photo_refused(name) from None
    content_type, extension = PHOTO_FORMATS[kind]
    return CheckedPhoto(output.getvalue(), content_type, extension, width, height)


def inspection_photos_check(uploads: Iterable[File[Any]]) -> list[CheckedPhoto]:
    """Check every photo at once, so that the refusal names every problem together."""
    uploads = list(uploads)
    problems: list[ValidationError] = []
    if len(uploads) > PHOTO_MAX_COUNT:
        problems.append(
            ValidationError(
                _("An inspection may have at most %(max)d photos.") % {"max": PHOTO_MAX_COUNT}, code="too_many_photos"
            )
        )
    checked = []
    for upload in uploads:
        try:
            checked.append(inspection_photo_check(upload))
        except ValidationError as problem:
            problems.append(problem)
    if problems:
        raise ValidationError({"photos": problems})
    return checked


def _store_photos(inspection: Inspection, photos: list[CheckedPhoto], stored: list[FieldFile]) -> None:
    now = timezone.now()
    for photo in photos:
        row = InspectionPhoto(
            inspection=inspection,
            content_type=photo.content_type,
            width=photo.width,
            height=photo.height,
            uploaded_at=now,
        )
        row.image.save(f"{uuid.uuid4().hex}.{photo.extension}", ContentFile(photo.content), save=False)
        stored.append(row.image)
        row.save()
        record_created(actor=inspection.inspector, instance=row)


def inspection_photo_download(photo: InspectionPhoto) -> FileResponse:
    """The photo as a download under a name the platform gives it; the caller has checked who may see it."""
    extension = dict(PHOTO_FORMATS.values()).get(photo.content_type, "bin")
    return stored_file_response(
        photo.image,
        filename=f"inspection-{photo.inspection_id}-{photo.pk}.{extension}",
        content_type=photo.content_type if extension != "bin" else "application/octet-stream",
    )


# --- Recording an inspection -----------------------------------------------------------------


def _validate_inspection(*, project: Project, organisation: Organisation, inspected_on: date) -> None:
    errors = {}
    if not Participation.objects.filter(project=project, organisation=organisation, left_on__isnull=True).exists():
        errors["organisation"] = ValidationError(
            _("The inspected organisation must take part in the project."), code="not_a_participant"
        )
    if inspected_on is None:
        errors["inspected_on"] = ValidationError(_("Say when the inspection took place."), code="date_required")
    elif inspected_on > timezone.localdate():
        errors["inspected_on"] = ValidationError(
            _("An inspection cannot be recorded for a future date."), code="future_date"
        )
    if errors:
        raise ValidationError(errors)


def inspection_record(
    *,
    project: Project,
    organisation: Organisation,
    user: User,
    inspected_on: date,
    checklist: list[dict[str, Any]],
    notes: str = "",
    photos: Iterable[File[Any]] = (),
) -> Inspection:
    """An official of the community records an inspection with its photos; a failed one opens a breach at once.

    The photos are checked before anything is written; if the write fails, the stored files go too.
    """
    require_official_for(user, project.community_id)
    _validate_inspection(project=project, organisation=organisation, inspected_on=inspected_on)
    checklist = clean_checklist(checklist)
    checked_photos = inspection_photos_check(photos)
    with stored_files_discarded_on_error() as stored, transaction.atomic():
        return _inspection_write(
            project=project,
            organisation=organisation,
            user=user,
            inspected_on=inspected_on,
            checklist=checklist,
            notes=notes,
            photos=checked_photos,
            stored=stored,
        )


def _inspection_write(
    *,
    project: Project,
    organisation: Organisation,
    user: User,
    inspected_on: date,
    checklist: list[dict[str, Any]],
    notes: str,
    photos: list[CheckedPhoto],
    stored: list[FieldFile],
) -> Inspection:
    inspection = Inspection.objects.create(
        project=project,
        organisation=organisation,
        inspector=user,
        inspected_on=inspected_on,
        checklist=checklist,
        result=inspection_result(checklist),
        notes=notes.strip(),
    )
    record_created(actor=user, instance=inspection)
    _store_photos(inspection, photos, stored)
    if inspection.result == InspectionResult.FAILED:
        failed_items = [entry["item"] for entry in checklist if not entry["passed"]]
        breach_open(
            kind=BreachKind.FAILED_INSPECTION,
            project=project,
            organisation=organisation,
            severity=Severity.HIGH,
            inspection=inspection,
            user=user,
            description=_("Failed inspection on %(date)s: %(items)s")
            % {"date": inspected_on, "items": ", ".join(failed_items)},
            details={"failed_items": failed_items, "items": len(checklist)},
        )
    return inspection
