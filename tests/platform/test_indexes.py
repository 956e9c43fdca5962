"""Every foreign key of the domain's tables is served by an index that leads with its column.

Django gives a foreign key an index of its own unless told not to (db_index=False); the platform
goes without it where a wider index leads with the same column, one index fewer to write on every
insert. This keeps the two in step: a lookup by the key, or the check a PROTECT or CASCADE makes
when the row it names is deleted, never scans the whole table.
"""
import importlib

import pytest
from django.apps import apps
from django.db import connection

pytestmark = pytest.mark.django_db

DOMAIN_APPS = ("audit", "partners", "services", "coproduction", "accountability", "evaluation")


def _partial(model) -> set[str]:
    """Indexes and unique constraints of the model that cover only some rows: no help for all lookups."""
    return {item.name for item in [*model._meta.indexes, *model._meta.constraints]
            if getattr(item, "condition", None) is not None}


def leading_columns(model) -> set[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {
        info["columns"][0] for name, info in constraints.items()
        if info["columns"] and (info["index"] or info["unique"] or info["primary_key"]) and not info["foreign_key"]
        and name not in _partial(model)
    }


def foreign_keys() -> list:
    return [
        pytest.param(model, field, id=f"{model._meta.label}.{field.name}")
        for app in DOMAIN_APPS for model in apps.get_app_config(app).get_models()
        for field in model._meta.local_fields if field.many_to_one or field.one_to_one
    ]


@pytest.mark.parametrize(("model", "field"), foreign_keys())
def test_a_foreign_key_is_the_first_column_of_an_index(model, field):
    assert field.column in leading_columns(model), (
        f"{model._meta.label}.{field.name} has no index leading with {field.column}: give it db_index=True "
        "or an index of the model's Meta that starts with it."
    )


def test_the_indexes_a_wider_one_covers_are_gone_from_the_database():
    dropped = importlib.import_module("coproduction.migrations.0008_drop_indexes_covered_by_others").INDEXES
    with connection.cursor() as cursor:
        for name, (table, _column) in dropped.items():
            assert name not in connection.introspection.get_constraints(cursor, table)
