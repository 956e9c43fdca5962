"""Every form that posts carries a CSRF token, and a post without one is refused, on the pages and
on the API when it is called with the browser's session (a token caller has no cookie to abuse)."""

import re
from pathlib import Path

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from coproduction.models import Claim
from tests import factories
from tests.pages import resident_user_of

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = {".venv", "var", "staticfiles", "node_modules", ".git", "tests"}
FORM_TAG = re.compile(r"<form\b[^>]*>", re.IGNORECASE)
POSTS = re.compile(r"""method\s*=\s*["']?post""", re.IGNORECASE)


def templates():
    for path in ROOT.rglob("*.html"):
        if not SKIPPED & set(path.relative_to(ROOT).parts):
            yield path


def post_forms(text: str):
    """The body of each <form method="post"> of a template, up to its </form>."""
    for tag in FORM_TAG.finditer(text):
        if POSTS.search(tag.group(0)):
            yield text[tag.end() : text.find("</form>", tag.end())]


def test_every_form_that_posts_has_a_csrf_token():
    forms = {path: list(post_forms(path.read_text(encoding="utf-8"))) for path in templates()}
    assert sum(len(bodies) for bodies in forms.values()) > 20  # the scan finds the platform's forms
    missing = [
        str(path.relative_to(ROOT))
        for path, bodies in forms.items()
        for body in bodies
        if "{% csrf_token %}" not in body
    ]
    assert missing == []


@pytest.fixture
def resident_and_task():
    community = factories.CommunityFactory()
    user = resident_user_of(community)
    return user, factories.TaskFactory(project=factories.ProjectFactory(community=community))


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def page_token(client, url) -> str:
    """The token a page's forms carry, as a browser would read it."""
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(url).content.decode()).group(1)


@pytest.mark.django_db
def test_a_page_post_without_the_token_is_refused_and_changes_nothing(resident_and_task):
    user, task = resident_and_task
    response = csrf_client(user).post(f"/me/tasks/{task.pk}/claim/")
    assert response.status_code == 403
    assert not Claim.objects.exists()


@pytest.mark.django_db
def test_the_same_page_post_with_the_token_goes_through(resident_and_task):
    user, task = resident_and_task
    client = csrf_client(user)
    token = page_token(client, f"/me/tasks/{task.pk}/")
    response = client.post(f"/me/tasks/{task.pk}/claim/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Claim.objects.filter(task=task).exists()


@pytest.mark.django_db
def test_the_login_form_needs_the_token_too():
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "ann", "password": "x"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_an_api_post_with_the_session_and_without_the_token_is_refused(resident_and_task):
    user, task = resident_and_task
    response = csrf_client(user).post(f"/api/v1/tasks/{task.pk}/claim/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied" and "CSRF" in response.json()["message"]
    assert not Claim.objects.exists()


@pytest.mark.django_db
def test_an_api_post_with_the_session_and_the_token_goes_through(resident_and_task):
    user, task = resident_and_task
    client = csrf_client(user)
    token = page_token(client, f"/me/tasks/{task.pk}/")
    response = client.post(f"/api/v1/tasks/{task.pk}/claim/", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201


@pytest.mark.django_db
def test_an_api_token_caller_needs_no_csrf_token(resident_and_task):
    user, task = resident_and_task
    token = Token.objects.create(user=user)
    response = Client(enforce_csrf_checks=True).post(
        f"/api/v1/tasks/{task.pk}/claim/", HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    assert response.status_code == 201
