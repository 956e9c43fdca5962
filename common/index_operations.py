"""A migration operation for the indexes Django gave foreign keys that a wider index makes useless."""

from django.db.migrations.operations.base import Operation


class DropIndexesCoveredByOthers(Operation):
    """Drop single-column indexes by name; reversed, create them again.

    Used as the database half of a SeparateDatabaseAndState whose state half sets the foreign keys'
    db_index=False. An AlterField alone would drop and re-add each foreign key on PostgreSQL,
    checking every row of the table again, and rebuild the table on SQLite, losing any trigger on it.
    `indexes` maps each index's name to its table and column.
    """

    reversible = True

    def __init__(self, indexes: dict[str, tuple[str, str]]):
        self.indexes = indexes

    def deconstruct(self):
        return self.__class__.__qualname__, [], {"indexes": self.indexes}

    def state_forwards(self, app_label, state):
        pass  # The state changes in the AlterFields beside this operation.

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        for name in self.indexes:
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        quote = schema_editor.quote_name
        for name, (table, column) in self.indexes.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(table)} ({quote(column)})")

    def describe(self):
        return f"Drop {len(self.indexes)} foreign-key indexes that wider indexes cover"
