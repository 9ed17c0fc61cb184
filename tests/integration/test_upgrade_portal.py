"""The portal's Alembic migrations upgrade a populated database of a released schema.

Every dump in tests/fixtures/portal (``scripts/make_portal_fixture.py`` writes one per release,
at that release's schema) is loaded, upgraded to head the way the portal does at start, and
then served: the rows are all there and a person signs in, lists cases and takes an action.
With one revision today the upgrade is a no-op on the 0001 dump; the first new revision is
tested against it without changing this file.
"""

from __future__ import annotations

import gzip
import sqlite3
import uuid
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from labdesk.api.client import PortalClient
from labdesk.api.schemas import ActionRequest
from labdesk.api.tokens import TokenStore
from labdesk.domain.lifecycle import Action
from labdesk.server.db import Database, alembic_config
from labdesk.server.embedded import start_portal
from labdesk.server.settings import ServerSettings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "portal"
LAST_RELEASE_REVISION = "0001"  # labdesk 0.1.0
DUMPS = sorted(FIXTURES.glob("portal-*.sql.gz"))


def revision_of(dump: Path) -> str:
    return dump.name.removeprefix("portal-").removesuffix(".sql.gz")


def load(dump: Path, db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    try:
        conn.executescript(gzip.decompress(dump.read_bytes()).decode("utf-8"))
    finally:
        conn.close()


def row_counts(db_path: Path) -> dict[str, int]:
    conn = sqlite3.connect(db_path)
    try:
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if r[0] not in ("alembic_version", "sqlite_sequence")
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()


def alembic_revision(db_path: Path) -> str:
    conn = sqlite3.connect(db_path)
    try:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        conn.close()


def test_the_last_release_has_a_populated_dump() -> None:
    assert LAST_RELEASE_REVISION in {revision_of(d) for d in DUMPS}, (
        "run scripts/make_portal_fixture.py at the release"
    )


@pytest.mark.parametrize("dump", DUMPS, ids=revision_of)
def test_populated_database_of_a_released_schema_upgrades_and_serves(
    dump: Path, tmp_path: Path
) -> None:
    data_dir = tmp_path / "portal"
    data_dir.mkdir()
    db_path = data_dir / "portal.db"
    load(dump, db_path)
    assert alembic_revision(db_path) == revision_of(dump)
    before = row_counts(db_path)
    assert before["cases"] > 100

    db = Database(f"sqlite:///{db_path.as_posix()}")
    try:
        db.upgrade()  # what every portal start does
        head = ScriptDirectory.from_config(alembic_config(db.engine)).get_current_head()
    finally:
        db.dispose()
    assert alembic_revision(db_path) == head
    after = row_counts(db_path)
    for table, count in before.items():
        assert after.get(table, 0) >= count, f"rows of {table} lost in the upgrade"

    portal = start_portal(ServerSettings(data_dir=data_dir, demo=True))
    try:
        with PortalClient(portal.url, TokenStore()) as client:
            client.login("reviewer", "demo")
            page = client.list_cases(0)
            received = [c for c in page.cases if c.status == "received"]
            assert received
            case = received[0]
            done = client.act(
                case.id,
                ActionRequest(action=Action.ACCEPT),
                version=case.version,
                idempotency_key=str(uuid.uuid4()),
            )
            assert done.status in ("design", "invoicing")
            assert done.history[-1].action == "accept"
    finally:
        portal.stop()
