"""Bulk writing helpers: COPY from Python rows, and INSERT ... SELECT run with named parameters."""

import io
import time
from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Model


def table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _text(value) -> str:
    """One COPY text-format field: NULL as \\N, and the characters COPY gives meaning escaped."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (list, tuple)):
        return "{" + ",".join(map(str, value)) + "}"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_rows(
    target: type[Model] | str, columns: Sequence[str], rows: Iterable[Sequence], *, batch: int = 50_000
) -> int:
    """COPY rows into a model's table (or a named table), `batch` rows per round trip; return how many."""
    count, buffer = 0, io.StringIO()
    column_list = ", ".join(connection.ops.quote_name(name) for name in columns)
    name = target if isinstance(target, str) else table(target)
    statement = f"COPY {name} ({column_list}) FROM STDIN"

    def flush() -> None:
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.copy_expert(statement, buffer)
        buffer.seek(0)
        buffer.truncate()

    for count, row in enumerate(rows, start=1):
        buffer.write("\t".join(_text(value) for value in row) + "\n")
        if count % batch == 0:
            flush()
    flush()
    return count


def execute(sql: str, params: dict | None = None) -> int:
    """Run one statement; return the rows it wrote."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params or {})
        return max(cursor.rowcount, 0)


def timed(log, label: str, work, *args, **kwargs):
    started = time.monotonic()
    result = work(*args, **kwargs)
    log(f"  {label:<40} {result if isinstance(result, int) else '':>9}  {time.monotonic() - started:6.1f}s")
    return result
