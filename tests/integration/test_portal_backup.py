"""``labdesk-server backup`` and ``restore``: what a backup holds comes back, what happened
after it does not, and the restored portal serves it. SQLite always; PostgreSQL under the
``postgres`` marker (pg_dump/pg_restore of the cluster's version on PATH)."""

from __future__ import annotations

import hashlib
import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest

from labdesk.api.client import PortalClient
from labdesk.api.schemas import ActionRequest
from labdesk.api.tokens import TokenStore
from labdesk.domain.lifecycle import Action
from labdesk.server.cli import main as server_cli
from labdesk.server.embedded import start_portal
from labdesk.server.settings import ServerSettings
from tests.conftest import _pg_url, _reset_pg_schema
from tests.integration.sync_helpers import demo_template, portal_copy


def store_digest(files_dir: Path) -> dict[str, str]:
    return {
        p.relative_to(files_dir).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(files_dir.rglob("*"))
        if p.is_file() and p.parent.name != "tmp"
    }


def accept_first_received(url: str) -> int:
    with PortalClient(url, TokenStore()) as client:
        client.login("reviewer", "demo")
        case = next(c for c in client.list_cases(0).cases if c.status == "received")
        client.act(case.id, ActionRequest(action=Action.ACCEPT), version=case.version,
                   idempotency_key=str(uuid.uuid4()))  # fmt: skip
        return case.id


def status_of(url: str, case_id: int) -> str:
    with PortalClient(url, TokenStore()) as client:
        client.login("reviewer", "demo")
        return str(client.get_case(case_id).status)


def cli(settings: ServerSettings, *args: str) -> int:
    db = ["--db", settings.database_url] if settings.db_url else []
    return server_cli([args[0], "--data-dir", str(settings.data_dir), *db, *args[1:]])


def backup_restore_round_trip(settings: ServerSettings, tmp_path: Path, capsys: Any) -> None:
    files_before = store_digest(settings.files_dir)
    assert files_before  # the demo's scans are in the store
    assert cli(settings, "backup", "--to", str(tmp_path / "backups")) == 0
    (folder,) = (tmp_path / "backups").iterdir()
    assert f"backup written to {folder}" in capsys.readouterr().out

    portal = start_portal(settings)
    try:
        changed = accept_first_received(portal.url)  # after the backup: must not come back
        assert status_of(portal.url, changed) != "received"
    finally:
        portal.stop()
    (settings.files_dir / "ff").mkdir(exist_ok=True)
    (settings.files_dir / "ff" / "ff-not-in-the-backup").write_bytes(b"later")

    assert cli(settings, "restore", "--from", str(folder)) == 0
    assert store_digest(settings.files_dir) == files_before
    assert list(settings.data_dir.glob("files.before-restore-*"))  # moved aside, not deleted

    portal = start_portal(settings)
    try:
        assert status_of(portal.url, changed) == "received"
        accept_first_received(portal.url)  # and the restored portal takes new work
    finally:
        portal.stop()


def test_sqlite_portal_backup_and_restore(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, capsys: Any
) -> None:
    data_dir = portal_copy(demo_template(tmp_path_factory.getbasetemp()), tmp_path / "portal")
    backup_restore_round_trip(ServerSettings(data_dir=data_dir, demo=True), tmp_path, capsys)


def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path: Path, capsys: Any) -> None:
    settings = ServerSettings(data_dir=tmp_path / "portal", demo=True)
    assert cli(settings, "restore", "--from", str(tmp_path)) == 1
    assert "is not a LabDesk backup folder" in capsys.readouterr().err


@pytest.mark.postgres
def test_postgresql_portal_backup_and_restore(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, capsys: Any
) -> None:
    url = _pg_url()
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    _reset_pg_schema(url)
    template = demo_template(tmp_path_factory.getbasetemp())
    data_dir = tmp_path / "portal"
    shutil.copytree(template / "files", data_dir / "files")
    settings = ServerSettings(data_dir=data_dir, db_url=url, demo=True)
    from labdesk.server.demo import seed_demo

    seed_demo(settings)
    try:
        backup_restore_round_trip(settings, tmp_path, capsys)
    finally:
        _reset_pg_schema(url)
