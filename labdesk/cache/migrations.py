"""The cache's schema versions and how to move a file from one to the next.

Each step is frozen DDL: once released, a step never changes; a new schema is a new step.
Before a file at version N (N >= 1) is migrated, it is copied to ``<name>.bak-vN`` with
SQLite's backup API (consistent even with a write-ahead log), because the outbox in it may
hold work that exists nowhere else. A file from a newer LabDesk is refused, never downgraded.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import Connection, Engine, text

from labdesk.errors import KnownError

log = logging.getLogger(__name__)


class CacheError(KnownError):
    """The local cache cannot be used; the message is for a person."""


_V1 = """
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL,
    status TEXT NOT NULL,
    server_status TEXT NOT NULL,
    signed_off BOOLEAN NOT NULL,
    patient TEXT NOT NULL,
    clinic TEXT NOT NULL,
    dentist TEXT NOT NULL,
    due_date TEXT,
    expected_date TEXT,
    assignee TEXT,
    assignee_name TEXT,
    rush BOOLEAN NOT NULL,
    needs_quote BOOLEAN NOT NULL,
    tags TEXT NOT NULL,
    summary TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    pending BOOLEAN NOT NULL DEFAULT 0,
    conflict BOOLEAN NOT NULL DEFAULT 0,
    data TEXT NOT NULL,
    local_data TEXT
);
CREATE INDEX ix_cases_status ON cases (status);
CREATE INDEX ix_cases_due_date ON cases (due_date);
CREATE INDEX ix_cases_seq ON cases (seq);
CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    catalog_code TEXT NOT NULL,
    catalog_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    material TEXT NOT NULL,
    shade TEXT,
    teeth TEXT NOT NULL,
    bridge BOOLEAN NOT NULL
);
CREATE INDEX ix_items_case ON items (case_id);
CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    by TEXT NOT NULL,
    by_name TEXT NOT NULL,
    action TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    reason_code TEXT,
    reason TEXT,
    note TEXT
);
CREATE INDEX ix_history_case ON history (case_id);
CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    jaw TEXT,
    filename TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    local_path TEXT,
    verified BOOLEAN NOT NULL DEFAULT 0,
    last_used FLOAT
);
CREATE INDEX ix_files_case ON files (case_id);
CREATE INDEX ix_files_sha ON files (sha256);
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    idempotency_key TEXT NOT NULL UNIQUE,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    action TEXT NOT NULL,
    payload TEXT NOT NULL,
    base_version INTEGER,
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    state TEXT NOT NULL DEFAULT 'queued',
    result_version INTEGER
);
CREATE INDEX ix_outbox_state ON outbox (state, case_id, id);
CREATE TABLE sync_state (
    id INTEGER PRIMARY KEY,
    last_seq INTEGER NOT NULL,
    last_sync_at TEXT,
    last_error TEXT,
    user_json TEXT
);
INSERT INTO sync_state (id, last_seq) VALUES (1, 0);
CREATE TABLE conflicts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    outbox_id INTEGER,
    idempotency_key TEXT NOT NULL,
    intent TEXT NOT NULL,
    base_version INTEGER,
    server_case TEXT NOT NULL,
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    created_at TEXT NOT NULL,
    resolved TEXT,
    resolved_at TEXT
);
CREATE INDEX ix_conflicts_case ON conflicts (case_id, resolved);
"""


def _run_script(script: str) -> Callable[[Connection], None]:
    def step(conn: Connection) -> None:
        for statement in script.split(";"):
            if statement.strip():
                conn.exec_driver_sql(statement)

    return step


Step = Callable[[Connection], None]


def _v2_items(conn: Connection) -> None:
    """Schema 2: the inbox gets each case's items as JSON (name and FDI teeth), so it shows
    teeth in the person's notation without parsing the display summary back."""
    conn.exec_driver_sql("ALTER TABLE cases ADD COLUMN items TEXT NOT NULL DEFAULT '[]'")
    rows = conn.exec_driver_sql("SELECT id, data FROM cases").all()
    for case_id, data in rows:
        parsed = json.loads(data).get("items", [])
        value = json.dumps([[i.get("catalog_name", ""), i.get("teeth", [])] for i in parsed])
        conn.exec_driver_sql("UPDATE cases SET items = ? WHERE id = ?", (value, case_id))


# MIGRATIONS[n] takes a file from version n to n + 1. Append only.
MIGRATIONS: Sequence[Step] = (_run_script(_V1), _v2_items)
SCHEMA_VERSION = len(MIGRATIONS)


def current_version(conn: Connection) -> int:
    exists = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).first()
    if exists is None:
        return 0
    value = conn.execute(text("SELECT version FROM schema_version")).scalar()
    return int(value) if value is not None else 0


def backup_path(db_path: Path, version: int) -> Path:
    return db_path.with_name(f"{db_path.name}.bak-v{version}")


def backup(db_path: Path, version: int) -> Path:
    """Copy the database (including what is still in its WAL) beside itself."""
    target = backup_path(db_path, version)
    source = sqlite3.connect(db_path)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target


def migrate(engine: Engine, db_path: Path | None, steps: Sequence[Step] = MIGRATIONS) -> int:
    """Bring the file up to ``len(steps)``; returns the version it was at."""
    target = len(steps)
    with engine.connect() as conn:
        found = current_version(conn)
        conn.rollback()
    if found > target:
        raise CacheError(
            f"The local cache {db_path} was written by a newer version of LabDesk "
            f"(schema {found}, this version knows {target}). Update LabDesk, or move the file "
            "away to start a new cache (actions not yet sent are kept in it)."
        )
    if found == target:
        return found
    if found >= 1 and db_path is not None:
        saved = backup(db_path, found)
        log.info("cache %s backed up to %s before migrating", db_path, saved)
    for version in range(found, target):
        with engine.begin() as conn:
            steps[version](conn)
            conn.exec_driver_sql("DELETE FROM schema_version")
            conn.exec_driver_sql("INSERT INTO schema_version (version) VALUES (?)", (version + 1,))
        log.info("cache migrated from schema %d to %d", version, version + 1)
    return found
