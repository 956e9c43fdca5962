"""Writing audit entries: every domain service calls record() for what it creates or changes.

The platform's set-based jobs call record_many_from() instead, which writes the same entries
with one INSERT ... SELECT.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import EmptyResultSet
from django.core.serializers.json import DjangoJSONEncoder
from django.db import NotSupportedError, connection, models
from django.db.models import Expression, F, Func, Value
from django.db.models.functions import Cast, JSONObject, Left
from django.utils import timezone

from audit.models import AuditAction, AuditEntry
from common.actors import Actor, acting_user

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler, _AsSqlType

# A row's column values by attname, JSON-safe.
Snapshot = dict[str, Any]


def snapshot(instance: models.Model) -> Snapshot:
    """The instance's own column values, as JSON-safe data (dates and decimals as strings)."""
    values = {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}
    encoded: Snapshot = json.loads(json.dumps(values, cls=DjangoJSONEncoder, default=str))
    return encoded


def entry(
    *,
    actor: Actor | None,
    action: str,
    instance: models.Model,
    before: Snapshot | None = None,
    after: Snapshot | None = None,
    note: str = "",
    object_repr: str | None = None,
) -> AuditEntry:
    """An unsaved entry, for record() or, many at once, for record_many()."""
    if after is None and action != AuditAction.DELETE:
        after = snapshot(instance)
    account = acting_user(actor) if actor is not None else None  # anonymous and the platform record none
    return AuditEntry(
        actor=account if isinstance(account, get_user_model()) and account.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(instance),
        object_id=str(instance.pk),
        object_repr=(object_repr or str(instance))[:200],
        before=before,
        after=after,
        note=note,
    )


def record(
    *,
    actor: Actor | None,
    action: str,
    instance: models.Model,
    before: Snapshot | None = None,
    after: Snapshot | None = None,
    note: str = "",
) -> AuditEntry:
    audit_entry = entry(actor=actor, action=action, instance=instance, before=before, after=after, note=note)
    audit_entry.save()
    return audit_entry


def record_many(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Write the entries of a set-based job in one statement per thousand."""
    return AuditEntry.objects.bulk_create(entries, batch_size=1000)


def record_created(*, actor: Actor | None, instance: models.Model, note: str = "") -> AuditEntry:
    return record(actor=actor, action=AuditAction.CREATE, instance=instance, note=note)


def record_changed(*, actor: Actor | None, instance: models.Model, before: Snapshot, note: str = "") -> AuditEntry:
    return record(actor=actor, action=AuditAction.CHANGE, instance=instance, before=before, note=note)


def record_personal_data_views(
    *, actor_id: int, model: type[models.Model], object_ids: list[Any], where: str
) -> list[AuditEntry]:
    """Who saw the personal data of which records, and where: one entry per record, one insert in all.

    The entries name the records by id only and hold none of the data seen, so that the log of
    who looked does not become one more copy of what they saw.
    """
    content_type = ContentType.objects.get_for_model(model)
    entries = [
        AuditEntry(
            actor_id=actor_id,
            action=AuditAction.VIEW_PERSONAL_DATA,
            content_type=content_type,
            object_id=str(object_id),
            object_repr=f"{model._meta.model_name} #{object_id}",
            note=where,
        )
        for object_id in object_ids
    ]
    return record_many(entries)


# --- Set-based entries: what entry() makes, built by the database from the rows themselves ----


# snapshot() encodes by Python type; in SQL the column's field type decides. Fields of other
# types are refused rather than written with a different shape than entry() would give them.
_PLAIN_FIELDS = (models.IntegerField, models.CharField, models.TextField, models.FloatField, models.FileField)


class _JSONDate(Func):
    """A date as snapshot() writes it, str(date): YYYY-MM-DD (SQLite already stores it so)."""

    output_field = models.CharField()

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any) -> _AsSqlType:
        return super().as_sql(compiler, connection, template="%(expressions)s", **extra_context)

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any) -> _AsSqlType:
        return super().as_sql(compiler, connection, template="to_char(%(expressions)s, 'YYYY-MM-DD')", **extra_context)


class _JSONDateTime(Func):
    """A moment as snapshot() writes one read from the database, str(datetime) in UTC (USE_TZ is on).

    That is 'YYYY-MM-DD HH:MM:SS+00:00', with '.ffffff' before the offset unless the
    microseconds are zero.
    """

    output_field = models.CharField()

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any) -> _AsSqlType:
        # Stored in UTC as str(datetime) without its offset.
        return super().as_sql(compiler, connection, template="(%(expressions)s || '+00:00')", **extra_context)

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any) -> _AsSqlType:
        sql, params = compiler.compile(self.get_source_expressions()[0])
        utc = f"({sql} AT TIME ZONE 'UTC')"
        template = (
            f"(to_char({utc}, 'YYYY-MM-DD HH24:MI:SS') || CASE WHEN date_trunc('second', {utc}) = {utc} "
            f"THEN '' ELSE to_char({utc}, '.US') END || '+00:00')"
        )
        return template, params * 4


class _JSONColumn(Func):
    """A JSON column as a nested value (SQLite stores it as text, which json() turns back into JSON)."""

    output_field = models.JSONField()

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any) -> _AsSqlType:
        return super().as_sql(compiler, connection, function="json", **extra_context)

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any) -> _AsSqlType:
        return super().as_sql(compiler, connection, template="%(expressions)s", **extra_context)


def _json_value(field: models.Field[Any, Any]) -> Expression | F:
    """The expression that gives this column the JSON value snapshot() gives it."""
    column = F(field.attname)
    if isinstance(field, models.JSONField):
        return _JSONColumn(column)
    if isinstance(field, models.DateTimeField):
        return _JSONDateTime(column)
    if isinstance(field, models.DateField):
        return _JSONDate(column)
    stored = field.target_field if isinstance(field, models.ForeignKey) else field
    if isinstance(stored, _PLAIN_FIELDS):
        return column
    raise TypeError(
        f"{field.model.__name__}.{field.name} is a {type(field).__name__}, which the set-based audit entries "
        "do not encode; write these entries with entry() and record_many()."
    )


def _json_snapshot(model: type[models.Model], replaced: Snapshot | None = None) -> JSONObject:
    """snapshot() in SQL, for every row at once; `replaced` sets some fields to fixed values."""
    replaced = json.loads(json.dumps(replaced or {}, cls=DjangoJSONEncoder))
    return JSONObject(
        **{
            field.attname: Value(replaced[field.attname]) if field.attname in replaced else _json_value(field)
            for field in model._meta.concrete_fields
        }
    )


# The SELECT's columns are aliased with this prefix: an alias may not shadow a field of the rows.
_PREFIX = "audit_"


def _insert_entries(select: models.QuerySet[Any, Any]) -> int:
    """Run INSERT INTO the audit table ... `select`, whose columns are aliased _PREFIX + column name."""
    compiler = select.query.get_compiler(using=select.db)
    try:
        select_sql, params = compiler.as_sql()
    except EmptyResultSet:  # rows known to be none, such as QuerySet.none()
        return 0
    # Name the target columns in the order the compiled SELECT lists them.
    names = [alias.removeprefix(_PREFIX) for _expression, _sql, alias in compiler.select]
    quote = connection.ops.quote_name
    sql = f"INSERT INTO {quote(AuditEntry._meta.db_table)} ({', '.join(map(quote, names))}) {select_sql}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        written: int = max(cursor.rowcount, 0)
        return written


def record_many_from(
    rows: models.QuerySet[Any],
    *,
    action: str,
    object_repr: Expression,
    note: str = "",
    replaced_before: Snapshot | None = None,
) -> int:
    """Write, for each of `rows`, the entry that entry(actor=None, ...) would make, in one INSERT ... SELECT.

    For the platform's jobs, which change rows by the thousand: no row passes through Python.
    `object_repr` is an expression over the rows that equals their str(). The after snapshot is
    the row as it is now; `replaced_before` given, the before snapshot is the same with those
    fields set to the values they had. Returns the number of entries written.
    """
    if connection.vendor not in ("sqlite", "postgresql"):
        raise NotSupportedError(f"Set-based audit entries need SQLite or PostgreSQL, not {connection.vendor}.")
    columns = {
        "at": Value(timezone.now(), output_field=models.DateTimeField()),
        "action": Value(action),
        "content_type_id": Value(ContentType.objects.get_for_model(rows.model).pk),
        "object_id": Cast("pk", models.CharField()),
        # A CharField always has its max_length.
        "object_repr": Left(object_repr, cast(int, AuditEntry._meta.get_field("object_repr").max_length)),
        "after": _json_snapshot(rows.model),
        "note": Value(note),
    }
    if replaced_before is not None:
        columns["before"] = _json_snapshot(rows.model, replaced_before)
    # The rows' order, so that the entries' ids follow the records' as they do from record_many().
    select = rows.order_by("pk").annotate(**{_PREFIX + name: value for name, value in columns.items()})
    return _insert_entries(select.values(*(_PREFIX + name for name in columns)))


def record_created_from(rows: models.QuerySet[Any], *, object_repr: Expression, note: str = "") -> int:
    """One creation entry per row, by the platform: set-based record_created(actor=None, ...)."""
    return record_many_from(rows, action=AuditAction.CREATE, object_repr=object_repr, note=note)


def record_changed_from(
    rows: models.QuerySet[Any], *, object_repr: Expression, replaced_before: Snapshot, note: str = ""
) -> int:
    """One change entry per row, by the platform, the before snapshot being the row with `replaced_before`."""
    return record_many_from(
        rows, action=AuditAction.CHANGE, object_repr=object_repr, note=note, replaced_before=replaced_before
    )
