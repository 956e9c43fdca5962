"""Stored files as downloads: report attachments and check-in photos, under names the platform gives them.

The API and the pages serve files through these functions only, after checking that the user
may see the report or check-in. A file goes out as an attachment under a fixed name of the
form `report-<id>-<attachment id>.<ext>` or `checkin-<id>.<ext>`, never under the client's
file name nor from MEDIA_URL, and with `X-Content-Type-Options: nosniff`, so that a browser
never renders or guesses the type of an uploaded file, and `Cache-Control: private`, so that
no shared cache serves it past the permission check.
"""

from typing import cast

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control

from coproduction.attachments import EXTENSIONS, PHOTO_TYPES
from coproduction.models import CheckIn, ReportAttachment

UNKNOWN_TYPE = ("bin", "application/octet-stream")
# Photos are stored under a generated name whose extension is that of the type read from the bytes.
PHOTO_BY_EXTENSION = {EXTENSIONS[content_type]: content_type for content_type in PHOTO_TYPES}


def stored_file_response(field_file: FieldFile, *, filename: str, content_type: str) -> FileResponse:
    """The stored file as a download under `filename`; 404 when the file is gone from storage."""
    try:
        handle = field_file.storage.open(cast(str, field_file.name), "rb")  # a stored file always has a name
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # Only the permission check may hand the file out: no shared cache keeps a copy for the next caller.
    patch_cache_control(response, private=True)
    return response


def attachment_download(attachment: ReportAttachment) -> FileResponse:
    """One file of a service report, typed as the upload check read it from its bytes."""
    if attachment.content_type in EXTENSIONS:
        extension, content_type = EXTENSIONS[attachment.content_type], attachment.content_type
    else:
        extension, content_type = UNKNOWN_TYPE
    return stored_file_response(
        attachment.file,
        filename=f"report-{attachment.report_id}-{attachment.pk}.{extension}",
        content_type=content_type,
    )


def stored_attachment_download(attachment, *, prefix: str) -> FileResponse:
    """A file of an application or a duty completion, as `<prefix>-<attachment id>.<ext>`, typed as checked."""
    extension, content_type = (
        (EXTENSIONS[attachment.content_type], attachment.content_type)
        if attachment.content_type in EXTENSIONS
        else UNKNOWN_TYPE
    )
    return stored_file_response(
        attachment.file, filename=f"{prefix}-{attachment.pk}.{extension}", content_type=content_type
    )


def checkin_photo_download(checkin: CheckIn) -> FileResponse:
    """A check-in's photo; 404 when the check-in has none."""
    if not checkin.photo:
        raise Http404
    extension = checkin.photo.name.rsplit(".", 1)[-1].lower()
    content_type = PHOTO_BY_EXTENSION.get(extension)
    if content_type is None:  # not stored by checkin_record(): served as bytes of no known type
        extension, content_type = UNKNOWN_TYPE
    return stored_file_response(checkin.photo, filename=f"checkin-{checkin.pk}.{extension}", content_type=content_type)
