"""Opening a cache file: one SQLite database per portal address and per user (where the file
is: :func:`labdesk.cache.quick_rows.cache_path`).

The connection settings are what keep the outbox safe: write-ahead log, ``synchronous=FULL``
(a committed action survives a crash of the process and of the computer), foreign keys on,
and write transactions that take the write lock when they begin (``BEGIN IMMEDIATE``) so two
threads never deadlock upgrading a read lock. Reads use a plain ``BEGIN`` and run beside a
writer.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext

from labdesk.cache.migrations import CacheError

READ_ONLY = "labdesk_read_only"
# SQLite's primary result codes for "the disk is full" and "the write failed" (a file-size
# limit, a failing disk): the transaction is rolled back and the file stays intact.
_SQLITE_FULL, _SQLITE_IOERR = 13, 10
DISK_FULL_MESSAGE = (
    "LabDesk cannot save to this computer's disk (it may be full). Free some space and try "
    "again; everything saved before is kept."
)


def make_engine(path: Path | None) -> Engine:
    """An engine on ``path`` (None: in memory, for tests)."""
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            f"sqlite:///{path}", connect_args={"timeout": 30}, pool_pre_ping=False
        )
    else:
        from sqlalchemy.pool import StaticPool

        engine = create_engine(
            "sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool
        )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
        cursor = dbapi_conn.cursor()
        if path is not None:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> None:
        """A full disk is something a person can act on: say so, in their words."""
        original = context.original_exception
        code = getattr(original, "sqlite_errorcode", None)
        if isinstance(code, int) and code & 0xFF in (_SQLITE_FULL, _SQLITE_IOERR):
            raise CacheError(DISK_FULL_MESSAGE) from original

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get(READ_ONLY):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
