"""is_htmx(): a request htmx made wants a fragment; any other wants a page."""

from django.test import RequestFactory

from web.htmx import is_htmx


def test_a_request_made_by_htmx_is_recognised():
    assert is_htmx(RequestFactory().post("/", headers={"HX-Request": "true"}))


def test_a_plain_request_is_not_htmx():
    assert not is_htmx(RequestFactory().post("/"))
