"""The error pages are the platform's own, translated, and the 500 page needs no request."""

import pytest
from django.template.loader import render_to_string

pytestmark = pytest.mark.django_db


def test_an_unknown_page_shows_the_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b'class="site-nav"' in response.content


def test_the_500_page_renders_without_any_context():
    html = render_to_string("500.html")
    assert "Something went wrong" in html
    assert 'href="/"' in html
