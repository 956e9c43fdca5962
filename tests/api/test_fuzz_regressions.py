"""What the schemathesis run found, kept as plain tests: each answer is the documented 4xx, never a 5xx."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.factories import ProjectFactory, ReportAttachmentFactory, RiskFactory

pytestmark = pytest.mark.django_db


def test_every_list_documents_the_404_of_a_page_past_the_end():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert "404" in schema["paths"]["/api/v1/projects/"]["get"]["responses"]
    assert "404" in schema["paths"]["/api/v1/checkins/"]["get"]["responses"]


def test_a_page_past_the_end_is_a_404_in_the_error_shape(client_for, official, community):
    ProjectFactory(community=community)
    response = client_for(official).get("/api/v1/projects/?page=99")
    assert response.status_code == 404
    assert response.json() == {"message": "Not found.", "code": "not_found", "errors": {}}


@pytest.mark.parametrize("value", ["108069924392374506618880", "-446240139379056049478604685312", "1.5", "0"])
def test_an_id_filter_that_no_key_can_hold_is_a_400_on_the_field(client_for, official, community, value):
    RiskFactory(community=community)
    response = client_for(official).get(f"/api/v1/risks/?project={value}")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"project"}


def test_an_id_filter_with_a_real_id_still_filters(client_for, official, community):
    risk = RiskFactory(community=community)
    response = client_for(official).get(f"/api/v1/risks/?community={community.pk}")
    assert response.status_code == 200
    assert [row["id"] for row in response.data["results"]] == [risk.pk]


@pytest.mark.parametrize("url", ["/api/v1/projects/0.5/", "/api/v1/risks/0.5/close/", "/api/v1/no-such-list/"])
def test_an_api_url_that_names_no_endpoint_is_a_json_404(client_for, official, url):
    response = client_for(official).post(url) if url.endswith("close/") else client_for(official).get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"message": "Not found.", "code": "not_found", "errors": {}}


def test_an_api_url_without_its_slash_is_still_redirected_to_it(client_for, official):
    response = client_for(official).get("/api/v1/projects")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/projects/"


def test_a_post_to_an_api_url_that_names_no_endpoint_is_a_json_404_even_without_a_csrf_token(official):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(official)
    response = client.post("/api/v1/tasks/0.5/claim/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_an_attachment_url_with_a_format_suffix_is_a_404_not_a_500(client_for, administrator):
    attachment = ReportAttachmentFactory()
    response = client_for(administrator).get(f"/api/v1/reports/{attachment.report_id}/attachments/{attachment.pk}.5/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_an_official_asking_to_remove_an_account_is_refused_before_the_body_is_read(client_for, official):
    # A body of no media type the API reads was a 415, which the operation does not document.
    response = client_for(official).generic("POST", "/api/v1/me/removal/", b"\xf2\x80\x8a\xa7", content_type="")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
