"""What the property tests share: Hypothesis settings sized for the database, and a rollback per example."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from hypothesis import HealthCheck, settings

# Few examples, no deadline (database round trips vary), no example database written into the
# project; the function-scoped fixtures are shared by the examples on purpose: each example
# runs in its own savepoint (rolled_back), so their rows never meet.
DATABASE_EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run one example in a savepoint that is always rolled back, whether it passes or fails."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
