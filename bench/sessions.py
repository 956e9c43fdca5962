"""Signed-in browser sessions for the benchmark's officials, written straight to the session store.

Client.force_login() would send user_logged_in, whose receivers (the sign-in lockout's among
them) expect a real request with an address; a session made here is what a sign-in leaves behind.
"""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.test import Client

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def session_key_for(user) -> str:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    backends = settings.AUTHENTICATION_BACKENDS
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = MODEL_BACKEND if MODEL_BACKEND in backends else backends[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return store.session_key


def signed_in_client(user) -> Client:
    browser = Client(HTTP_HOST="127.0.0.1")
    browser.cookies[settings.SESSION_COOKIE_NAME] = session_key_for(user)
    return browser
