"""Assertions shared by the test modules."""

from contextlib import contextmanager

import pytest
from django.db import IntegrityError, transaction


@contextmanager
def database_refuses():
    """The database refuses the write; the savepoint keeps the test's transaction usable."""
    with pytest.raises(IntegrityError), transaction.atomic():
        yield
