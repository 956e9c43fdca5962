"""Every foreign key of the domain's tables is served by exactly one kind of index: one leading with its column.

Django gives a foreign key an index of its own unless told not to (db_index=False); the platform
goes without it where a wider index leads with the same column, one index fewer to write on every
insert. These tests keep the two in step: a lookup by the key, or the check a PROTECT or CASCADE
makes when the row it names is deleted, never scans the whole table, and no insert writes an index
that a wider one already answers for.
"""

import pytest
from django.apps import apps
from django.db import connection

pytestmark = pytest.mark.django_db

DOMAIN_APPS = ("audit", "partners", "jobs", "services", "coproduction", "accountability", "evaluation")


def _partial(model) -> set[str]:
    """Indexes and unique constraints of the model that cover only some rows: no help for all lookups."""
    return {
        item.name
        for item in [*model._meta.indexes, *model._meta.constraints]
        if getattr(item, "condition", None) is not None
    }


def indexes_leading_with(model, column: str) -> dict[str, list[str]]:
    """The table's indexes (unique or not) over every row whose first column is `column`: name to columns."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {
        name: info["columns"]
        for name, info in constraints.items()
        if info["columns"]
        and info["columns"][0] == column
        and not info["foreign_key"]
        and (info["index"] or info["unique"] or info["primary_key"])
        and name not in _partial(model)
    }


def foreign_keys() -> list:
    return [
        pytest.param(model, field, id=f"{model._meta.label}.{field.name}")
        for app in DOMAIN_APPS
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.local_fields
        if field.many_to_one or field.one_to_one
    ]


@pytest.mark.parametrize(("model", "field"), foreign_keys())
def test_a_foreign_key_is_the_first_column_of_an_index(model, field):
    assert indexes_leading_with(model, field.column), (
        f"{model._meta.label}.{field.name} has no index leading with {field.column}: give it db_index=True "
        "or an index of the model's Meta that starts with it."
    )


@pytest.mark.parametrize(("model", "field"), foreign_keys())
def test_a_foreign_key_has_no_index_of_its_own_where_a_wider_one_leads_with_it(model, field):
    indexes = indexes_leading_with(model, field.column)
    wider = sorted(name for name, columns in indexes.items() if len(columns) > 1)
    own = sorted(name for name, columns in indexes.items() if len(columns) == 1)
    if field.unique or not wider:
        return
    assert not field.db_index, f"{model._meta.label}.{field.name}: {wider[0]} leads with it; give it db_index=False."
    assert not own, f"{model._meta.label}.{field.name}: {own} left in the database beside {wider[0]}."
