"""Upgrades keep the work: a cache written by the last release, with actions not yet sent,
opens in this version and those actions reach the portal; a cache from a newer LabDesk is
refused without a byte changed. The settings file of the last release loads too.

The last release's file is built the way that release built it: its frozen DDL
(``MIGRATIONS[:LAST_RELEASED_SCHEMA]``), filled with the rows a real sync and a real queued
action produced (the columns that schema had). Raise ``LAST_RELEASED_SCHEMA`` with each release.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection

from labdesk.api.schemas import ActionRequest
from labdesk.cache.db import make_engine
from labdesk.cache.migrations import MIGRATIONS, SCHEMA_VERSION, CacheError, backup_path, migrate
from labdesk.cache.repository import CacheRepository
from labdesk.config import Settings
from labdesk.domain.lifecycle import Action
from labdesk.errors import KnownError
from tests.integration.sync_helpers import (
    Accounts,
    actions_in_history,
    demo_template,
    portal_copy,
    start_demo_portal,
)

LAST_RELEASED_SCHEMA = 1  # labdesk 0.1.0


@pytest.fixture
def portal(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Iterator[Any]:
    running = start_demo_portal(
        portal_copy(demo_template(tmp_path_factory.getbasetemp()), tmp_path / "portal")
    )
    yield running
    running.stop()


def rewrite_at_schema(path: Path, version: int) -> None:
    """Replace the cache at ``path`` by one at ``version`` holding the same rows (the columns
    that schema has), as that release would have written them."""
    old = path.with_name("old.sqlite")
    engine = make_engine(old)
    migrate(engine, None, MIGRATIONS[:version])
    engine.dispose()
    dest = sqlite3.connect(old)
    try:
        dest.execute("ATTACH DATABASE ? AS cur", (str(path),))
        listed = dest.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'")
        tables = [r[0] for r in listed]
        for table in tables:
            if table in ("schema_version", "sqlite_sequence"):
                continue
            columns = [r[1] for r in dest.execute(f"PRAGMA main.table_info({table})")]
            names = ", ".join(columns)
            dest.execute(f"DELETE FROM main.{table}")
            dest.execute(f"INSERT INTO main.{table} ({names}) SELECT {names} FROM cur.{table}")
        dest.commit()
        dest.execute("DETACH DATABASE cur")
        dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file to move
    finally:
        dest.close()
    old.replace(path)
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def schema_of(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT version FROM schema_version").fetchone()[0])
    finally:
        conn.close()


def test_last_release_cache_with_pending_actions_opens_and_sends_them(
    portal: Any, accounts: Accounts, tmp_path: Path
) -> None:
    account = accounts.open(portal.url, "reviewer", home="old")
    account.engine.sync()
    received = sorted(
        (r for r in account.repo.load_inbox_rows() if r.status == "received"),
        key=lambda r: r.case_id,
    )
    first, second = received[:2]
    portal.stop()  # the actions are taken offline and wait in the outbox
    account.engine.queue_action(first.case_id, ActionRequest(action=Action.ACCEPT))
    reject = ActionRequest(action=Action.REJECT, reason_code="unclear_margin", note="distal 36")
    account.engine.queue_action(second.case_id, reject)
    path = account.cache_file
    assert path is not None
    accounts.opened.remove(account)
    account.close()

    rewrite_at_schema(path, LAST_RELEASED_SCHEMA)
    assert schema_of(path) == LAST_RELEASED_SCHEMA
    conn = sqlite3.connect(path)
    queued = conn.execute("SELECT count(*) FROM outbox WHERE state = 'queued'").fetchone()[0]
    conn.close()
    assert queued == 2

    restarted = start_demo_portal(tmp_path / "portal", port=portal.port)
    try:
        upgraded = accounts.open(restarted.url, "reviewer", home="old")
        assert upgraded.cache_file == path
        assert schema_of(path) == SCHEMA_VERSION
        assert schema_of(backup_path(path, LAST_RELEASED_SCHEMA)) == LAST_RELEASED_SCHEMA
        shown = {
            r.case_id: r for r in upgraded.repo.load_inbox_rows([first.case_id, second.case_id])
        }
        assert shown[first.case_id].pending  # still shown as pending
        assert shown[second.case_id].pending
        assert shown[first.case_id].status in ("design", "invoicing")

        state = upgraded.engine.sync(force=True)
        assert state.pending == 0, state.error
        assert actions_in_history(restarted.url, first.case_id, "accept") == 1
        assert actions_in_history(restarted.url, second.case_id, "reject") == 1
    finally:
        restarted.stop()


def test_cache_from_a_newer_labdesk_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    CacheRepository.open(path).close()

    def next_schema(conn: Connection) -> None:
        conn.exec_driver_sql("CREATE TABLE starred (case_id INTEGER PRIMARY KEY)")

    engine = make_engine(path)
    migrate(engine, path, [*MIGRATIONS, next_schema])  # what the next LabDesk will write
    engine.dispose()
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    backups = sorted(tmp_path.glob("*.bak-v*"))  # the next LabDesk's own, before it migrated

    with pytest.raises(CacheError) as refused:
        CacheRepository.open(path)
    assert isinstance(refused.value, KnownError)  # shown to the person, not a crash
    assert "newer version of LabDesk" in str(refused.value)
    assert f"schema {SCHEMA_VERSION + 1}" in str(refused.value)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(tmp_path.glob("*.bak-v*")) == backups  # nothing written beside it either
    assert schema_of(path) == SCHEMA_VERSION + 1


def test_last_release_settings_load_and_unknown_keys_are_ignored(tmp_path: Path) -> None:
    """Settings of version N (some keys N+1 added missing, one N+1 dropped) open in N+1."""
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps(
            {
                "server_url": "https://portal.lab.example",
                "tooth_notation": "palmer",
                "theme": "dark",
                "a_setting_a_later_version_dropped": True,
            }
        )
    )
    loaded = Settings.load(path)
    assert loaded.server_url == "https://portal.lab.example"
    assert loaded.tooth_notation == "palmer"
    assert loaded.theme == "dark"
    assert loaded.sync_interval_s == Settings().sync_interval_s  # new setting: its default
