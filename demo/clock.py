"""Moving the "now" a service stamped on its rows back to when the demo says the thing happened.

The demo tells a history (a call awarded a year ago, complaints filed last week), but every
service stamps the current moment, and refuses what it should refuse today: a deadline already
past, a check-in in the future. So the demo calls the service as if the event happened now, and
only then moves the timestamp columns of the rows it wrote into the past. Only timestamps are
moved, never a status, a figure or anything else a rule decided; audit entries keep the moment
they were really written.
"""

from collections.abc import Sequence
from datetime import datetime

from django.db.models import Model, QuerySet


def backdate(instance: Model, **moments) -> None:
    """Set the given timestamp columns of one row (and of the instance in hand)."""
    type(instance)._base_manager.filter(pk=instance.pk).update(**moments)
    for name, moment in moments.items():
        setattr(instance, name, moment)


def backdate_each(instances: Sequence[Model], field: str, moments: Sequence[datetime]) -> None:
    """Set one timestamp column of many rows, each to its own moment, in a few statements."""
    for instance, moment in zip(instances, moments, strict=True):
        setattr(instance, field, moment)
    if instances:
        type(instances[0])._base_manager.bulk_update(instances, [field], batch_size=500)


def backdate_fresh(rows: QuerySet, *, since: datetime, **moments) -> None:
    """Backdate the rows whose columns still carry a stamp from this run (at or after `since`).

    For rows a service wrote as a side effect (the breach a failed inspection opens, the risk a
    loss-making report raises): once moved into the past they are left alone by later calls.
    """
    for field, moment in moments.items():
        rows.filter(**{f"{field}__gte": since}).update(**{field: moment})
