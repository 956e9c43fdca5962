"""How a view tells an htmx request (which wants a fragment) from a plain one (which wants a page)."""


def is_htmx(request) -> bool:
    """True when htmx sent the request: it sets `HX-Request: true` on every request it makes.
    Pages answer such a request with the fragment to swap in, and a plain one with a redirect."""
    return request.headers.get("HX-Request") == "true"
