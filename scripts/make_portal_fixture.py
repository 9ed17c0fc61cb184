"""Save a populated portal database at the current schema, for the upgrade test.

    python scripts/make_portal_fixture.py

Run it when a release is made (before the release's schema can change): it seeds the demo
(without scan files) into a fresh SQLite portal at the newest Alembic revision and writes its
SQL dump to ``tests/fixtures/portal/portal-<revision>.sql.gz``. The next version's migrations
must upgrade that file: tests/integration/test_upgrade_portal.py loads every dump there,
upgrades it to head and uses the portal on it.
"""

from __future__ import annotations

import gzip
import sqlite3
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "fixtures" / "portal"
DEMO_TODAY = date(2026, 11, 30)  # a fixed day: the due dates in the dump do not drift


def head_revision(db_path: Path) -> str:
    conn = sqlite3.connect(db_path)
    try:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        conn.close()


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from labdesk.server.demo import seed_demo
    from labdesk.server.settings import ServerSettings

    with tempfile.TemporaryDirectory() as tmp:
        settings = ServerSettings(data_dir=Path(tmp), demo=True)
        seed_demo(settings, scans=False, today=DEMO_TODAY)
        db_path = Path(tmp) / "portal.db"
        revision = head_revision(db_path)
        conn = sqlite3.connect(db_path)
        try:
            dump = "\n".join(conn.iterdump()) + "\n"
        finally:
            conn.close()
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / f"portal-{revision}.sql.gz"
    with open(target, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as packed:
        packed.write(dump.encode("utf-8"))
    print(f"wrote {target.relative_to(ROOT)} ({target.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
