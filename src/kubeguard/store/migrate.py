"""Versioned schema migrations, applied when a store is opened, safely under concurrency.

Each migration is a version number and the tables or statements it adds; the versions applied are
rows of ``kubeguard_schema_version``. Applying takes the database's write lock first so that two
scanners starting at once cannot both create tables: on PostgreSQL a transaction-level advisory lock
(``pg_advisory_xact_lock``, released by the commit), on SQLite ``BEGIN IMMEDIATE`` (one writer at a
time; the other waits on the busy timeout). The second process then finds the schema current and
does nothing. DDL is transactional on both databases, so a crash mid-migration leaves the old schema.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from kubeguard.store import schema
from kubeguard.store.url import StoreError

# "kubeguar" in ASCII (a positive signed 64-bit integer): the advisory lock key every kubeguard
# process agrees on.
ADVISORY_LOCK_KEY = 0x6B75626567756172


def _v1(conn: sa.Connection) -> None:
    for table in (schema.scans, schema.findings):
        table.create(conn)


def _v2(conn: sa.Connection) -> None:
    # the dashboard's covering index; a store created by _v1 since it was added has it already
    schema.findings_scan_index.create(conn, checkfirst=True)


#: (version, what it does). Append only: a released migration is never edited.
MIGRATIONS: list[tuple[int, Callable[[sa.Connection], None]]] = [
    (1, _v1),
    (2, _v2),
]
LATEST = MIGRATIONS[-1][0]


def current_version(conn: sa.Connection) -> int:
    """The schema version of the database (0 for an empty one)."""
    if not sa.inspect(conn).has_table(schema.schema_version.name):
        return 0
    return int(conn.execute(sa.select(sa.func.max(schema.schema_version.c.version))).scalar() or 0)


def migrate(engine: sa.Engine) -> int:
    """Bring the schema to :data:`LATEST` and return the version it was at before.

    Raises :class:`StoreError` when the database holds a newer schema than this kubeguard knows.
    """
    with engine.connect().execution_options(immediate=True) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            # held until this transaction ends
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": ADVISORY_LOCK_KEY})
        before = current_version(conn)
        if before > LATEST:
            raise StoreError(
                f"the store's schema is version {before}, newer than this kubeguard knows ({LATEST}): "
                "upgrade kubeguard"
            )
        if before == 0:
            schema.schema_version.create(conn, checkfirst=True)
        now = dt.datetime.now(dt.UTC).isoformat()
        for version, apply in MIGRATIONS:
            if version > before:
                try:
                    apply(conn)
                except SQLAlchemyError as exc:
                    if before == 0:
                        raise
                    # typically a user who may read and insert but not change the tables (the
                    # dashboard's): say what to do rather than only what the database refused
                    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
                    raise StoreError(
                        f"the store's schema is version {before} and this kubeguard needs {LATEST}, but "
                        f"migrating it failed: {reason}; open the store once as the owner of its tables "
                        "(kubeguard history list --store URL)"
                    ) from None
                conn.execute(sa.insert(schema.schema_version).values(version=version, applied=now))
    return before
