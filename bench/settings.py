"""The platform's settings as production runs them, plus the benchmark's ceiling view and no throttling."""

import os

# Read as the embedded set-up: the base settings' production hardening (HTTPS redirect, secure
# cookies, a required SECRET_KEY) would stop plain HTTP on 127.0.0.1. DEBUG itself is off below.
os.environ["DEBUG"] = "1"

from config.settings import *  # noqa: F403
from config.settings import REST_FRAMEWORK

# Production-like request handling: no query log kept per request, no debug pages.
DEBUG = False
ROOT_URLCONF = "bench.urls"
# Static files straight from the app folders: the benchmark does not run collectstatic.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
# Sixteen clients hammering one endpoint are the point of the load test, not abuse.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1000000/min", "user": "1000000/min"}}
# The supervision job e-mails its reports: kept in memory rather than printed.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}  # noqa: F405
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
import warnings  # noqa: E402

# Static files are served from the app folders here; whitenoise need not warn that STATIC_ROOT is absent.
warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers.base")
