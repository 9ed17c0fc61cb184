"""Back up and restore a portal: its database and its file store, together.

    labdesk-server backup --to /var/backups/labdesk      (a new folder inside it, printed)
    labdesk-server restore --from /var/backups/labdesk/labdesk-backup-20261130T020000Z

A backup folder holds ``database.sqlite`` (SQLite's online backup API: consistent while the
portal runs) or ``database.pgdump`` (``pg_dump --format=custom``), ``files.tar`` (the
content-addressed store) and ``manifest.json`` (version, backend, counts). The database is
copied first and the files after: files are only ever added, so every file the copied
database refers to is in the archive.

Restore is for a stopped portal (``systemctl stop labdesk-server``): it replaces the database
(``pg_restore --clean``; a SQLite file is swapped in whole), moves the current file store aside
to ``files.before-restore-<time>`` rather than deleting it, then unpacks the archive.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from labdesk.server import __version__
from labdesk.server.settings import ServerSettings

MANIFEST = "manifest.json"
FILES_ARCHIVE = "files.tar"
SQLITE_DUMP = "database.sqlite"
PG_DUMP = "database.pgdump"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says what to fix."""


@dataclass(frozen=True)
class BackupInfo:
    folder: Path
    backend: str
    files: int


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and the environment that carries it
    (so it never shows in the process list)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(cmd: list[str], env: dict[str, str] | None = None) -> None:
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(
            f"{cmd[0]} is not installed (Debian: apt install postgresql-client)"
        ) from None
    if done.returncode != 0:
        raise BackupError(f"{cmd[0]} failed: {done.stderr.strip()[-2000:]}")


def backup(settings: ServerSettings, to: Path) -> BackupInfo:
    """Write a new backup folder under ``to``; returns what it holds."""
    url = make_url(settings.database_url)
    backend = url.get_backend_name()
    folder = Path(to) / f"labdesk-backup-{_stamp()}"
    folder.mkdir(parents=True)
    if backend == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        try:
            target = sqlite3.connect(folder / SQLITE_DUMP)
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
    elif backend == "postgresql":
        dsn, env = _libpq(url)
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={folder / PG_DUMP}", dsn], env)
    else:
        raise BackupError(f"no backup for a {backend} database")
    files = 0
    with tarfile.open(folder / FILES_ARCHIVE, "w") as archive:
        if settings.files_dir.is_dir():
            for path in sorted(settings.files_dir.rglob("*")):
                if path.is_file() and path.parent.name != "tmp":
                    archive.add(path, arcname=path.relative_to(settings.files_dir).as_posix())
                    files += 1
    manifest = {
        "labdesk": __version__,
        "backend": backend,
        "files": files,
        "made_at": datetime.now(UTC).isoformat(),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return BackupInfo(folder, backend, files)


def restore(settings: ServerSettings, source: Path) -> BackupInfo:
    """Put the backup in ``source`` back in place of the portal's database and files."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source} is not a LabDesk backup folder ({exc})") from None
    url = make_url(settings.database_url)
    backend = url.get_backend_name()
    if manifest.get("backend") != backend:
        raise BackupError(
            f"the backup holds a {manifest.get('backend')} database; this portal uses {backend}"
        )
    if backend == "sqlite":
        db_path = _sqlite_path(url)
        db_path.parent.mkdir(parents=True, exist_ok=True)
        staged = db_path.with_name(db_path.name + ".restoring")
        shutil.copyfile(source / SQLITE_DUMP, staged)
        for suffix in ("-wal", "-shm"):
            db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
        os.replace(staged, db_path)
    else:
        dsn, env = _libpq(url)
        _run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
             f"--dbname={dsn}", str(source / PG_DUMP)],
            env,
        )  # fmt: skip
    files_dir = settings.files_dir
    if files_dir.exists():
        files_dir.rename(files_dir.with_name(f"files.before-restore-{_stamp()}"))
    files_dir.mkdir(parents=True)
    with tarfile.open(source / FILES_ARCHIVE) as archive:
        archive.extractall(files_dir, filter="data")
    return BackupInfo(source, backend, int(manifest.get("files", 0)))
