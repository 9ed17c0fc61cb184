"""Schema versions: created at the current version, backed up before a migration, a file
from a newer LabDesk refused, and the frozen DDL agreeing with the query tables."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Connection, inspect

from labdesk.api.schemas import ActionRequest
from labdesk.cache import tables
from labdesk.cache.db import make_engine
from labdesk.cache.migrations import (
    MIGRATIONS,
    SCHEMA_VERSION,
    CacheError,
    backup_path,
    current_version,
    migrate,
)
from labdesk.cache.repository import CacheRepository
from labdesk.domain.lifecycle import Action
from tests.integration.sync_helpers import make_case


def version_of(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT version FROM schema_version").fetchone()[0])


def test_new_file_is_created_at_the_current_version(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    CacheRepository.open(path).close()
    assert version_of(path) == SCHEMA_VERSION
    assert not list(tmp_path.glob("*.bak-v*"))  # nothing to back up for a new file
    CacheRepository.open(path).close()  # opening again is a no-op
    assert version_of(path) == SCHEMA_VERSION


def test_ddl_matches_the_query_tables(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "c.sqlite")
    migrate(engine, tmp_path / "c.sqlite")
    found = inspect(engine)
    assert set(found.get_table_names()) - {"sqlite_sequence"} == set(tables.metadata.tables)
    for name, table in tables.metadata.tables.items():
        columns = {c["name"]: c for c in found.get_columns(name)}
        assert list(columns) == [c.name for c in table.columns], name
        for column in table.columns:
            if column.primary_key:
                continue  # SQLite reports INTEGER PRIMARY KEY as nullable
            assert columns[column.name]["nullable"] == column.nullable, (name, column.name)
    engine.dispose()


def test_migration_backs_up_the_file_first_and_keeps_the_outbox(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    repo = CacheRepository.open(path)
    repo.upsert_page([make_case(1)], 1)
    repo.enqueue(1, ActionRequest(action=Action.ACCEPT), "unsent-key", lambda c: c)
    repo.close()

    def add_column(conn: Connection) -> None:
        conn.exec_driver_sql("ALTER TABLE cases ADD COLUMN starred BOOLEAN NOT NULL DEFAULT 0")

    engine = make_engine(path)
    assert migrate(engine, path, [*MIGRATIONS, add_column]) == SCHEMA_VERSION
    with engine.connect() as conn:
        assert current_version(conn) == SCHEMA_VERSION + 1
        assert conn.exec_driver_sql("SELECT starred FROM cases").scalar() == 0
        assert conn.exec_driver_sql("SELECT idempotency_key FROM outbox").scalar() == "unsent-key"
    engine.dispose()

    saved = backup_path(path, SCHEMA_VERSION)
    assert saved.name == f"c.sqlite.bak-v{SCHEMA_VERSION}"
    assert version_of(saved) == SCHEMA_VERSION
    with sqlite3.connect(saved) as conn:  # the backup holds what the WAL held too
        assert conn.execute("SELECT idempotency_key FROM outbox").fetchone() == ("unsent-key",)


def test_failed_migration_leaves_the_version_and_the_backup(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    CacheRepository.open(path).close()

    def broken(conn: Connection) -> None:
        conn.exec_driver_sql("ALTER TABLE cases ADD COLUMN x INTEGER")
        raise RuntimeError("disk full")

    engine = make_engine(path)
    with pytest.raises(RuntimeError):
        migrate(engine, path, [*MIGRATIONS, broken])
    engine.dispose()
    assert version_of(path) == SCHEMA_VERSION
    with sqlite3.connect(path) as conn:  # the step's DDL was rolled back with it
        assert "x" not in [r[1] for r in conn.execute("PRAGMA table_info(cases)")]
    assert backup_path(path, SCHEMA_VERSION).exists()


def test_a_file_from_a_newer_labdesk_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    CacheRepository.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(CacheError, match="newer version of LabDesk"):
        CacheRepository.open(path)
    assert version_of(path) == 99  # untouched


def test_schema_2_fills_the_inbox_items_from_the_stored_cases(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    repo = CacheRepository.open(path)
    repo.upsert_page([make_case(1)], 1)
    repo.close()
    with sqlite3.connect(path) as conn:  # the file as schema 1 wrote it
        conn.execute("ALTER TABLE cases DROP COLUMN items")
        conn.execute("UPDATE schema_version SET version = 1")
    repo = CacheRepository.open(path)
    assert version_of(path) == 2
    assert path.with_name("c.sqlite.bak-v1").exists()
    (row,) = repo.load_inbox_rows()
    assert row.items == (("Zirconia crown", (11,)),)
    repo.close()
