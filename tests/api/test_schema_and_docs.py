"""The OpenAPI schema validates without warnings; the docs pages are served from local static files."""

import re

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema():
    GENERATOR_STATS.reset()
    generated = SchemaGenerator().get_schema(request=None, public=True)
    yield generated


def test_the_generated_schema_is_valid_openapi_without_warnings(schema):
    validate_schema(schema)
    assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache


def test_every_endpoint_documents_the_error_shape(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            error_codes = {code for code in operation["responses"] if code[0] in "45"}
            assert {"401", "403", "429", "503"} <= error_codes, (method, path)
            for code in error_codes:
                ref = operation["responses"][code]["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error"


def test_the_claim_action_documents_its_conflict(schema):
    assert "409" in schema["paths"]["/api/v1/tasks/{id}/claim/"]["post"]["responses"]


def test_the_schema_endpoint_answers_anyone(client_for):
    response = client_for().get("/api/schema/?format=json")
    assert response.status_code == 200
    assert "/api/v1/projects/" in response.json()["paths"]


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_the_docs_pages_load_only_local_assets(client_for, url):
    response = client_for().get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "drf_spectacular_sidecar" in page
    assert not re.findall(r"""(?:src|href)=["']?(?:https?:)?//""", page)
    assert not re.findall(r"https?://(?!localhost|testserver)[\w.-]+", page)
