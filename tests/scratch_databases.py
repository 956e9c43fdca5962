"""Scratch PostgreSQL databases, for the tests that need one of their own (a restore, a benchmark run).

A database the test filled may be taken by autovacuum by the time it is dropped. DROP DATABASE
ends an autovacuum worker by itself; WITH (FORCE) would refuse to, since it may end only the
sessions of the test's own role. So the drop is tried plain first, forced only while sessions of
the test's own (a script it ran, say) are still on it, and tried again while autovacuum stops.
"""

import time
import uuid
from contextlib import closing, contextmanager
from urllib.parse import quote

import psycopg2
from django.db import connection
from psycopg2 import errors, sql

DROP_ATTEMPTS = 20


def database_url(name: str) -> str:
    """The test server's URL for database `name`, with the test run's credentials."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="") + (":" + quote(db["PASSWORD"], safe="") if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{name}"


def _administer(statement: sql.Composable) -> None:
    """CREATE and DROP DATABASE, which refuse to run inside a transaction."""
    with closing(psycopg2.connect(database_url(connection.settings_dict["NAME"]))) as admin:
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(statement)


def drop_database(name: str) -> None:
    plain = sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name))
    forced = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    for attempt in range(DROP_ATTEMPTS):
        try:
            _administer(plain)
            return
        except errors.ObjectInUse:
            try:
                _administer(forced)
                return
            except errors.InsufficientPrivilege:
                if attempt == DROP_ATTEMPTS - 1:
                    raise
                time.sleep(0.5)


@contextmanager
def scratch_database(purpose: str):
    """A new empty database on the test server, named after the test database and `purpose`; its
    URL. Dropped afterwards, whatever the test did."""
    name = f"{connection.settings_dict['NAME']}_{purpose}_{uuid.uuid4().hex[:8]}"
    _administer(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield database_url(name)
    finally:
        drop_database(name)
