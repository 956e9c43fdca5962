"""Asking the platform as each role: URLs filled from the world, one request, its outcome in the
matrix's notation (see access_matrix.py)."""

import json
from datetime import date
from functools import reduce
from importlib import import_module
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.security.access_matrix import SHARED, R
from tests.security.dataset import World


def resolve(value, world: World, side: str):
    """kwargs or a body with every R()/SHARED() replaced by the value it names, on `side` (a or b)."""
    if isinstance(value, dict):
        return {resolve(key, world, side): resolve(item, world, side) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item, world, side) for item in value]
    if isinstance(value, R):
        records = getattr(world, value.side or side)
    elif isinstance(value, SHARED):
        records = world.shared
    else:
        return value
    name, *attributes = value.path.split(".")
    found = reduce(getattr, attributes, records[name])
    if not attributes:
        found = found.pk
    return found.isoformat() if isinstance(found, date) else found


def is_sided(value) -> bool:
    """Whether kwargs or a body name a record of the community asked (and so are asked for A and B)."""
    if isinstance(value, dict):
        return any(is_sided(key) or is_sided(item) for key, item in value.items())
    if isinstance(value, list):
        return any(is_sided(item) for item in value)
    return isinstance(value, R) and value.side is None


def signed_in_client(session_key: str | None) -> Client:
    """A fresh client on a session made once per module (a logout in one request ends no other)."""
    client = Client()
    if session_key is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return client


def session_key_of(user) -> str:
    """A stored session signed in as `user`, as the sign-in view leaves it (without its signals:
    the lockout's bookkeeping of sign-ins belongs to the sign-in tests)."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def ask(client: Client, method: str, url: str, body=None, *, as_json: bool = False):
    """One request, whose writes are rolled back: every cell is asked of the same world."""
    with transaction.atomic():
        if method == "GET":
            response = client.get(url)
        elif as_json:
            response = client.post(url, json.dumps(body or {}, cls=DjangoJSONEncoder), content_type="application/json")
        else:
            response = client.post(url, body or {})
        if response.streaming:
            # Read to the end, which closes the file through the test client (not response.close(),
            # whose request_finished signal would close the database connection mid-transaction).
            b"".join(response.streaming_content)
        transaction.set_rollback(True)
    return response


def outcome(response) -> str:
    """The response in the matrix's notation: the status, or where a redirect goes."""
    if response.status_code in (301, 302, 303):
        target = urlsplit(response["Location"]).path
        if target == reverse("login"):
            return "login"
        if target == reverse("admin:login"):
            return "admin-login"
        return "302"
    return str(response.status_code)
