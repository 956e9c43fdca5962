"""The Content Security Policy: every page runs only the platform's own scripts and styles, no
inline code; the few pages that need more (the API docs, the printable supervision report) loosen
it for themselves only. tests/browser/test_content_security_policy.py checks a real browser agrees."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.pages import official_of

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = {".venv", "var", "staticfiles", "node_modules", ".git", "tests"}
# Templates whose inline <style> their view allows (see config/urls.py and the print views).
INLINE_STYLE_ALLOWED = {"templates/api/redoc.html", "templates/accountability/supervision_report.html"}


def policy(response) -> dict[str, set[str]]:
    header = response["Content-Security-Policy"]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: set(sources) for name, *sources in directives}


def test_a_page_gets_the_strict_policy(client):
    rules = policy(client.get("/public/"))
    assert rules["default-src"] == rules["script-src"] == rules["style-src"] == {"'self'"}
    assert rules["img-src"] == {"'self'", "data:"}
    assert rules["frame-ancestors"] == {"'none'"} and rules["form-action"] == {"'self'"}
    assert rules["object-src"] == {"'none'"} and rules["base-uri"] == {"'self'"}


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/", "/api/v1/projects/", "/dashboard/"])
def test_other_kinds_of_response_get_it_too(client, url):
    assert policy(client.get(url, follow=True))["script-src"] == {"'self'"}


def templates():
    for path in ROOT.rglob("*.html"):
        relative = path.relative_to(ROOT)
        if not SKIPPED & set(relative.parts):
            yield str(relative), path.read_text(encoding="utf-8")


def test_no_template_has_inline_script_or_event_handler_or_style_attribute():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.IGNORECASE)
    handler = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
    style_attribute = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
    found = [
        f"{name}: {kind}"
        for name, text in templates()
        for kind, pattern in [("inline script", inline_script), ("event handler", handler), ("style=", style_attribute)]
        if pattern.search(text)
    ]
    assert found == []


def test_only_the_allowed_templates_carry_an_inline_style_element():
    with_style = {name for name, text in templates() if "<style" in text.lower()}
    assert with_style <= INLINE_STYLE_ALLOWED


def test_the_swagger_page_allows_inline_styles_but_loads_its_script_from_the_view(client):
    response = client.get("/api/docs/")
    rules = policy(response)
    assert rules["style-src"] == {"'self'", "'unsafe-inline'"} and rules["script-src"] == {"'self'"}
    page = response.content.decode()
    assert not re.search(r"<script>", page)
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_the_redoc_page_allows_inline_styles_and_its_search_worker_and_runs_no_inline_script(client):
    response = client.get("/api/redoc/")
    rules = policy(response)
    assert rules["style-src"] == {"'self'", "'unsafe-inline'"} and rules["worker-src"] == {"blob:"}
    assert rules["script-src"] == {"'self'"}
    assert '<redoc spec-url="/api/schema/">' in response.content.decode()
    assert not re.search(r"<script>", response.content.decode())


def test_the_printable_supervision_report_allows_its_own_styles_only():
    community = factories.CommunityFactory()
    report = factories.SupervisionReportFactory(community=community)
    client = Client()
    client.force_login(official_of(community))
    rules = policy(client.get(reverse("dashboard:supervision_print", kwargs={"pk": report.pk})))
    assert rules["style-src"] == {"'self'", "'unsafe-inline'"} and rules["script-src"] == {"'self'"}

    admin = Client()
    admin.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    rules = policy(admin.get(reverse("admin:accountability_supervisionreport_print", args=[report.pk])))
    assert rules["style-src"] == {"'self'", "'unsafe-inline'"} and rules["script-src"] == {"'self'"}
