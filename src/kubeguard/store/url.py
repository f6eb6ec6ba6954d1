"""Store URLs: which database a ``--store`` value names, and the SQLAlchemy engine for it.

``sqlite:///relative.db``, ``sqlite:////abs/path.db`` and a bare path (``results.db``) mean SQLite
through Python's own driver; ``postgresql://`` and ``postgres://`` mean PostgreSQL through psycopg 3
(installed with ``kubeguard[postgres]``).
"""

from __future__ import annotations

import os
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError


class StoreError(Exception):
    """The store cannot be used: a bad URL, an unreachable database, a schema from a newer kubeguard."""


def engine_url(value: str) -> URL:
    """The SQLAlchemy URL a ``--store`` value names; raises :class:`StoreError` for anything else."""
    text = value.strip()
    if not text:
        raise StoreError("empty store URL")
    if "://" not in text:
        return URL.create("sqlite+pysqlite", database=os.path.abspath(text))
    scheme = text.split("://", 1)[0].lower()
    if scheme in ("postgresql", "postgres"):
        text = "postgresql+psycopg://" + text.split("://", 1)[1]
    elif scheme not in ("sqlite", "sqlite+pysqlite", "postgresql+psycopg"):
        raise StoreError(
            f"unsupported store URL scheme {scheme!r}: use sqlite:///path.db, a file path, "
            "or postgresql://user@host/db"
        )
    try:
        url = make_url(text)
    except ArgumentError as exc:
        raise StoreError(f"invalid store URL: {exc}") from None
    if url.get_backend_name() == "sqlite":
        url = url.set(drivername="sqlite+pysqlite")
        if not url.database or url.database == ":memory:":
            raise StoreError("an in-memory SQLite store keeps nothing: give a file, sqlite:///path.db")
    return url


def shown(url: URL) -> str:
    """The URL as it may be printed: never with its password."""
    return url.render_as_string(hide_password=True)


def create_engine(url: URL) -> Engine:
    """An engine whose transactions are real ones on both databases.

    Python's sqlite3 driver opens transactions lazily (a read, then a write, can fail with
    "database is locked" half way); we take the driver's transaction handling away and begin
    ourselves: ``BEGIN IMMEDIATE`` when a connection asks for ``immediate`` (writers and migrations
    take the write lock first, then wait on it with the busy timeout), plain ``BEGIN`` for readers.
    WAL lets readers (the dashboard) read while a scan is being written.
    """
    if url.get_backend_name() == "sqlite":
        folder = os.path.dirname(url.database or "") or "."
        if not os.path.isdir(folder):
            raise StoreError(f"cannot open store {shown(url)}: folder {folder} does not exist")
        # the dashboard answers requests in worker threads; connections are never shared at once
        engine = sa.create_engine(url, connect_args={"timeout": 60.0, "check_same_thread": False})

        @sa.event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA busy_timeout = 60000")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.close()

        @sa.event.listens_for(engine, "begin")
        def _begin(conn: sa.Connection) -> None:
            immediate = conn.get_execution_options().get("immediate", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    return sa.create_engine(url, pool_pre_ping=True)
