"""Uploads on every path (API and pages): size limit, type read from the bytes, generated names,
files kept out of every public URL, and served only by the permission-checked downloads.

Every upload path:
- API report submission (POST /api/v1/reports/),
- the partner portal's report form,
- the resident's check-in page (photo),
- API check-in (POST /api/v1/claims/<id>/check-in/, photo).
The multipart bodies are written by hand so that file names reach the server exactly as a
client could send them (the test client would strip directories itself).
"""

import io
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files import File
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from common.actors import TRUSTED
from coproduction.attachments import BoundedTemporaryFileUploadHandler
from coproduction.downloads import stored_file_response
from coproduction.models import CheckIn, ReportAttachment
from coproduction.services.claims import checkin_record
from coproduction.services.reports import report_submit
from tests.coproduction.report_fixtures import march, media, provider
from tests.factories import (
    ClaimFactory,
    OfficialPostFactory,
    ReportAttachmentFactory,
    ResidentFactory,
    ServiceReportFactory,
    TaskFactory,
    UserFactory,
)
from tests.pages import staff_of
from tests.resident_portal.images import tiny_png

pytestmark = pytest.mark.django_db

PNG_HEAD = b"\x89PNG\r\n\x1a\n"
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64
WEB_PAGE = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
STORED_NAME = re.compile(r"^(reports|checkins)/\d{4}/\d{2}/[0-9a-f]{32}\.png$")


def png_of(size: int) -> bytes:
    return PNG_HEAD + b"\x00" * (size - len(PNG_HEAD))


def multipart(fields: dict, field: str, filename: str, content: bytes, content_type: str) -> tuple[bytes, str]:
    """A multipart body with the file name written as given, traversal and quotes included."""
    boundary = f"upload-{uuid.uuid4().hex}"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@dataclass
class UploadPath:
    """One way a file reaches the platform: where it is posted, by whom, and how acceptance shows."""

    client: Client
    url: str
    fields: dict
    field: str
    accepted_status: int

    def post(self, content: bytes, filename: str = "photo.png", content_type: str = "image/png"):
        body, multipart_type = multipart(self.fields, self.field, filename, content, content_type)
        return self.client.post(self.url, data=body, content_type=multipart_type)

    def refusal(self, response) -> str:
        """The refusal's words about the file, from the API's error body or the page's form."""
        assert response.status_code in (200, 400), response.status_code
        if response.status_code == 400:
            return " ".join(str(message) for message in response.json()["errors"][self.field])
        return " ".join(response.context["form"].errors[self.field])


def stored_names() -> list[str]:
    attachments = list(ReportAttachment.objects.values_list("file", flat=True))
    return attachments + [name for name in CheckIn.objects.values_list("photo", flat=True) if name]


def files_on_disk(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def _api_report(provider) -> UploadPath:
    client = APIClient()
    client.force_login(provider.staff)
    fields = {"project": provider.project.pk, "organisation": provider.organisation.pk, **march()}
    return UploadPath(client, "/api/v1/reports/", fields, "attachments", 201)


def _portal_report(provider) -> UploadPath:
    client = Client()
    client.force_login(provider.staff)
    fields = {"organisation": provider.organisation.pk, **march()}
    url = reverse("partner_portal:report_new", args=[provider.project.pk])
    return UploadPath(client, url, fields, "attachments", 302)


def _resident_claim(provider):
    resident = ResidentFactory(community=provider.project.community, user=UserFactory())
    return ClaimFactory(task=TaskFactory(project=provider.project), resident=resident)


def _checkin_page(provider) -> UploadPath:
    claim = _resident_claim(provider)
    client = Client()
    client.force_login(claim.resident.user)
    url = reverse("resident_portal:checkin", args=[claim.pk])
    return UploadPath(client, url, {"on": timezone.localdate().isoformat()}, "photo", 302)


def _api_checkin(provider) -> UploadPath:
    claim = _resident_claim(provider)
    client = APIClient()
    client.force_login(claim.resident.user)
    url = f"/api/v1/claims/{claim.pk}/check-in/"
    return UploadPath(client, url, {"on": timezone.localdate().isoformat()}, "photo", 201)


PATHS: dict[str, Callable] = {
    "api-report": _api_report,
    "portal-report": _portal_report,
    "checkin-page": _checkin_page,
    "api-checkin": _api_checkin,
}


@pytest.fixture(params=list(PATHS))
def upload_path(request, provider) -> UploadPath:
    return PATHS[request.param](provider)


# --- Size ------------------------------------------------------------------------------------


def test_a_file_at_the_size_limit_is_accepted(upload_path, settings, media):
    settings.ATTACHMENT_MAX_BYTES = 1024
    response = upload_path.post(png_of(1024))
    assert response.status_code == upload_path.accepted_status, response.content[:500]
    assert len(stored_names()) == 1 and len(files_on_disk(media)) == 1


def test_a_file_one_byte_over_the_limit_is_refused_and_nothing_is_stored(upload_path, settings, media):
    settings.ATTACHMENT_MAX_BYTES = 1024
    response = upload_path.post(png_of(1025))
    assert "is larger than the limit of 1.0\xa0KB" in upload_path.refusal(response)
    assert stored_names() == [] and files_on_disk(media) == []


def test_a_large_upload_streamed_to_disk_is_refused_by_its_real_size(upload_path, settings, media):
    settings.ATTACHMENT_MAX_BYTES = 1024
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every file goes through the temporary-file handler
    response = upload_path.post(png_of(256 * 1024))
    assert "is larger than the limit" in upload_path.refusal(response)
    assert stored_names() == [] and files_on_disk(media) == []


def test_the_temporary_file_of_an_upload_stops_growing_at_the_limit(settings):
    assert settings.FILE_UPLOAD_HANDLERS[-1] == "coproduction.attachments.BoundedTemporaryFileUploadHandler"
    assert "django.core.files.uploadhandler.TemporaryFileUploadHandler" not in settings.FILE_UPLOAD_HANDLERS
    settings.ATTACHMENT_MAX_BYTES = 1000
    handler = BoundedTemporaryFileUploadHandler()
    handler.new_file("photo", "photo.png", "image/png", None)
    for start in range(0, 64 * 1024, 4096):
        handler.receive_data_chunk(b"x" * 4096, start)
    upload = handler.file_complete(64 * 1024)
    assert upload.size == 64 * 1024
    assert Path(upload.temporary_file_path()).stat().st_size == 1000
    upload.close()


# --- Type, from the bytes --------------------------------------------------------------------


@pytest.mark.parametrize(
    "content,filename",
    [(PROGRAM, "receipts.pdf"), (WEB_PAGE, "photo.png"), (SVG, "plot.jpg")],
    ids=["exe", "html", "svg"],
)
def test_a_program_or_web_page_under_an_accepted_name_and_type_is_refused(upload_path, media, content, filename):
    response = upload_path.post(content, filename=filename, content_type="image/png")
    assert "its contents were checked, not its name" in upload_path.refusal(response)
    assert stored_names() == [] and files_on_disk(media) == []


def test_a_real_image_is_accepted_whatever_name_and_declared_type_it_comes_with(upload_path, media):
    response = upload_path.post(tiny_png(), filename="scan.exe", content_type="application/x-msdownload")
    assert response.status_code == upload_path.accepted_status
    assert stored_names()[0].endswith(".png")


# --- Names -----------------------------------------------------------------------------------


@pytest.mark.parametrize("filename", ["../../x.png", "..\\..\\x.png", "收据 <b>2026</b>.png", ".htaccess"])
def test_the_stored_name_is_generated_never_the_clients(upload_path, media, filename):
    response = upload_path.post(tiny_png(), filename=filename)

    assert response.status_code == upload_path.accepted_status, response.content[:500]
    (name,) = stored_names()
    assert STORED_NAME.match(name), name
    (path,) = files_on_disk(media)
    assert path.resolve() == (media / name).resolve()
    assert not files_on_disk(media.parent.parent / "x.png")


@pytest.mark.parametrize("filename", ["../../x.png", "../../../tmp/x.png", "C:\\x.png", "x.png\x00", "\x07x.png"])
def test_the_services_generate_the_name_even_for_a_file_object_with_a_path_as_name(provider, media, filename):
    """Below the request parser (which strips directories), the services never use the name either."""
    report = report_submit(
        project=provider.project,
        organisation=provider.organisation,
        user=provider.staff,
        attachments=[File(io.BytesIO(tiny_png()), name=filename)],
        **march(),
    )
    checkin = checkin_record(
        claim=_resident_claim(provider),
        on=timezone.localdate(),
        photo=File(io.BytesIO(tiny_png()), name=filename),
        user=TRUSTED,
    )

    attachment = report.attachments.get()
    for name in (attachment.file.name, checkin.photo.name):
        assert STORED_NAME.match(name), name
    assert attachment.original_name == "x.png"
    stored = files_on_disk(media)
    assert len(stored) == 2 and all(path.resolve().is_relative_to(media.resolve()) for path in stored)


# --- Where files live, and that no public URL serves them ------------------------------------


def test_uploads_are_kept_outside_the_static_files():
    media_root = Path(django_settings.MEDIA_ROOT).resolve()
    static_places = [Path(django_settings.STATIC_ROOT), *map(Path, django_settings.STATICFILES_DIRS)]
    static_places += [Path(django_settings.BASE_DIR) / app / "static" for app in ("dashboard", "partner_portal")]
    for place in static_places:
        place = place.resolve()
        assert not media_root.is_relative_to(place) and not place.is_relative_to(media_root), place


def test_a_stored_file_is_not_served_from_any_media_or_static_url(upload_path, media, client):
    upload_path.post(tiny_png(), filename="plot.png")
    (name,) = stored_names()

    for url in (
        f"/{django_settings.MEDIA_URL}{name}",
        f"/media/{name}",
        f"/{django_settings.STATIC_URL}{name}",
        f"/static/../media/{name}",
        f"/{name}",
    ):
        assert client.get(url).status_code == 404, url


# --- Downloads -------------------------------------------------------------------------------


@dataclass
class Download:
    url: str
    allowed: object  # a user who may see the record
    stranger: object  # a user of the same role who may not
    fixed_name: str


@pytest.fixture
def report_attachment(provider, media):
    report = report_submit(
        project=provider.project,
        organisation=provider.organisation,
        user=provider.staff,
        attachments=[File(io.BytesIO(tiny_png()), name='收据 "x"; filename=evil.html')],
        **march(),
    )
    return report.attachments.get()


@pytest.fixture
def checkin_photo(provider, media):
    claim = _resident_claim(provider)
    photo = File(io.BytesIO(tiny_png()), name="我的地.png")
    return checkin_record(claim=claim, on=timezone.localdate(), photo=photo, user=TRUSTED)


def _report_download(kind: str, attachment, provider) -> Download:
    name = f"report-{attachment.report_id}-{attachment.pk}.png"
    stranger_official = OfficialPostFactory().user
    args = {"pk": attachment.report_id, "attachment_id": attachment.pk}
    if kind == "api":
        return Download(
            f"/api/v1/reports/{attachment.report_id}/attachments/{attachment.pk}/",
            provider.official,
            stranger_official,
            name,
        )
    if kind == "dashboard":
        return Download(reverse("dashboard:report_attachment", kwargs=args), provider.official, stranger_official, name)
    stranger_staff = staff_of(ServiceReportFactory().organisation)
    return Download(reverse("partner_portal:report_attachment", kwargs=args), provider.staff, stranger_staff, name)


def _photo_download(kind: str, checkin) -> Download:
    resident = checkin.claim.resident
    neighbour = ResidentFactory(community=resident.community, user=UserFactory()).user
    url = (
        f"/api/v1/checkins/{checkin.pk}/photo/"
        if kind == "api"
        else reverse("resident_portal:checkin_photo", args=[checkin.pk])
    )
    return Download(url, resident.user, neighbour, f"checkin-{checkin.pk}.png")


DOWNLOADS = ["api-report", "dashboard-report", "portal-report", "api-photo", "resident-photo"]


@pytest.fixture(params=DOWNLOADS)
def download(request, provider) -> Download:
    kind, subject = request.param.split("-")
    if subject == "report":
        return _report_download(kind, request.getfixturevalue("report_attachment"), provider)
    return _photo_download(kind, request.getfixturevalue("checkin_photo"))


def test_a_permitted_user_downloads_the_file_as_an_attachment_under_a_fixed_name(download, client):
    client.force_login(download.allowed)

    response = client.get(download.url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == tiny_png()
    assert response["Content-Disposition"] == f'attachment; filename="{download.fixed_name}"'
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]


def test_the_download_header_never_carries_the_clients_name(download, client):
    client.force_login(download.allowed)
    header = client.get(download.url)["Content-Disposition"]
    assert header.isascii() and "evil" not in header and "收据" not in header and "我的地" not in header


def test_a_user_who_may_not_see_the_record_gets_404(download, client):
    client.force_login(download.stranger)
    assert client.get(download.url).status_code == 404


def test_an_anonymous_visitor_gets_no_file(download, client):
    response = client.get(download.url)
    assert response.status_code in (302, 401, 403)
    assert not getattr(response, "streaming", False)


def test_a_stored_file_of_an_unknown_type_is_served_as_opaque_bytes(provider, media, client):
    report = ServiceReportFactory(project=provider.project, organisation=provider.organisation)
    attachment = ReportAttachmentFactory(report=report, content_type="text/html", original_name="page.html")
    attachment.file.save("legacy.html", io.BytesIO(WEB_PAGE), save=True)
    client.force_login(provider.staff)

    response = client.get(reverse("partner_portal:report_attachment", args=[report.pk, attachment.pk]))

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == f'attachment; filename="report-{report.pk}-{attachment.pk}.bin"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_non_ascii_download_name_would_be_encoded_as_rfc_6266_says(report_attachment):
    response = stored_file_response(report_attachment.file, filename="收据 3月.png", content_type="image/png")
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''%E6%94%B6%E6%8D%AE%203%E6%9C%88.png"
    response.close()
