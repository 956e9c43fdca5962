"""What a test needs from the machine (PostgreSQL, Redis, Chromium, GNU gettext), said in one place.

Without it the test is skipped, naming what is missing, so that `make test` passes on a laptop
with the embedded default. A run that sets the requirement's variable (CI: REQUIRE_SERVICES,
REQUIRE_BROWSER, REQUIRE_GETTEXT) fails the test instead: CI never passes by skipping.
"""

import os

import pytest
from django.db import connection


def missing(reason: str, *, required_by: str = "REQUIRE_SERVICES") -> None:
    """Skip the test for want of `reason`, or fail it when the run sets `required_by`=1."""
    if os.environ.get(required_by) == "1":
        pytest.fail(f"{required_by}=1, but {reason}")
    pytest.skip(reason)


def require_postgresql(why: str) -> None:
    """Go on only on PostgreSQL; `why` says what needs it (e.g. "the district is loaded with COPY")."""
    if connection.vendor != "postgresql":
        missing(f"{why}: run with DATABASE_URL=postgres://...")


def require_redis(why: str) -> None:
    """Go on only when the default cache is Redis; `why` says what needs it."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    if not isinstance(caches["default"], RedisCache):
        missing(f"{why}: run with REDIS_URL=redis://...")
