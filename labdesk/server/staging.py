"""What the file store keeps, and staged attachments.

Two rules live here:

- **The store keeps only what a row references.** An upload is checked (case, status, kind,
  size, content) before a byte reaches the store; it is moved in as the last step of the
  transaction that inserts its row. A crash between that move and the commit can still leave
  unreferenced bytes: :func:`sweep` removes store content no row references once it is older
  than a grace period. Uploads take the store lock shared and the sweep exclusively, so the
  sweep never removes bytes a committing upload has just reused (SQLite already serialises
  write transactions; PostgreSQL uses a transaction-scoped advisory lock).
- **Attachments that travel with an action are staged.** A lab attachment is uploaded with
  ``staged_until`` set: only its uploader sees it, and it is not a file of the case (the clinic
  never sees it). The action that carries it (``attachment_ids``) clears the mark in its own
  transaction; a staged file never used is removed by the sweep once it has expired.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import ColumnElement, delete, or_, select, text
from sqlalchemy.orm import Session

from labdesk.server import models as m
from labdesk.server.auth import Principal
from labdesk.server.db import Database
from labdesk.server.errors import ApiError
from labdesk.server.files import FileStore
from labdesk.server.models import utcnow
from labdesk.server.settings import ServerSettings

log = logging.getLogger(__name__)

STORE_LOCK = 0x4C_44_46_53  # "LDFS": the PostgreSQL advisory lock key of the file store
_QUERY_CHUNK = 500


def lock_store(session: Session, *, exclusive: bool) -> None:
    """Hold the store lock until the transaction ends (uploads shared, the sweep exclusive)."""
    if session.get_bind().dialect.name == "postgresql":
        function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
        session.execute(text(f"SELECT {function}(:key)"), {"key": STORE_LOCK})


def visible_file(who: Principal) -> ColumnElement[bool]:
    """The SQL condition for a file ``who`` may see: part of its case, or staged by ``who``.
    (Which cases ``who`` may see is the caller's join.)"""
    return or_(m.CaseFile.staged_until.is_(None), m.CaseFile.uploaded_by_id == who.user_id)


def attach_staged(
    session: Session, who: Principal, case: m.Case, ids: Iterable[int], now: datetime
) -> None:
    """Make the files ``ids`` part of ``case`` (in the caller's transaction, with the action
    that carries them): each must be a file of the case already, or one ``who`` staged for it
    that has not expired. 422 otherwise, and then nothing changes."""
    wanted = set(ids)
    if not wanted:
        return
    rows = session.execute(
        select(m.CaseFile).where(m.CaseFile.case_id == case.id, m.CaseFile.id.in_(wanted))
    ).scalars()
    found: dict[int, m.CaseFile] = {
        row.id: row for row in rows if row.staged_until is None or row.uploaded_by_id == who.user_id
    }
    unknown = sorted(wanted - set(found))
    if unknown:
        raise ApiError(
            422, "validation_error", "attachments must be files of this case", {"unknown": unknown}
        )
    expired = sorted(
        i for i, row in found.items() if row.staged_until is not None and row.staged_until <= now
    )
    if expired:
        raise ApiError(
            422,
            "attachment_expired",
            "an attached file waited too long and was discarded; attach it again",
            {"expired": expired},
        )
    for row in found.values():
        row.staged_until = None


@dataclass(frozen=True)
class SweepResult:
    """What one sweep removed."""

    staged_rows: int  # staged attachments never used, past their expiry
    blobs: int  # store files no row references, older than the grace period
    temps: int  # abandoned temporary uploads, older than the grace period


def sweep(
    db: Database, store: FileStore, settings: ServerSettings, now: datetime | None = None
) -> SweepResult:
    """Remove expired staged attachments, then store content no row references."""
    now = now or utcnow()
    cutoff = (now - settings.store_grace).timestamp()
    with db.writing() as session:
        lock_store(session, exclusive=True)
        expired = list(
            session.execute(select(m.CaseFile.id).where(m.CaseFile.staged_until <= now)).scalars()
        )
        if expired:
            session.execute(delete(m.CaseFile).where(m.CaseFile.id.in_(expired)))
        old = {sha: path for sha, path in _blobs(store) if _older(path, cutoff)}
        referenced: set[str] = set()
        shas = list(old)
        for start in range(0, len(shas), _QUERY_CHUNK):
            chunk = shas[start : start + _QUERY_CHUNK]
            referenced.update(
                session.execute(
                    select(m.CaseFile.sha256).where(m.CaseFile.sha256.in_(chunk)).distinct()
                ).scalars()
            )
        blobs = 0
        for sha, path in old.items():
            if sha not in referenced:
                path.unlink(missing_ok=True)
                blobs += 1
    temps = 0
    for temp in store.tmp.iterdir():
        if _older(temp, cutoff):
            temp.unlink(missing_ok=True)
            temps += 1
    result = SweepResult(len(expired), blobs, temps)
    if any((result.staged_rows, result.blobs, result.temps)):
        log.info("file store sweep: %s", result)
    return result


def _blobs(store: FileStore) -> Iterator[tuple[str, Path]]:
    for folder in store.root.iterdir():
        if folder.is_dir() and len(folder.name) == 2 and folder != store.tmp:
            for path in folder.iterdir():
                if len(path.name) == 64 and path.name.startswith(folder.name):
                    yield path.name, path


def _older(path: Path, cutoff: float) -> bool:
    try:
        return os.stat(path).st_mtime < cutoff
    except FileNotFoundError:
        return False


class StoreSweeper:
    """Runs :func:`sweep` every ``settings.sweep_interval`` seconds on a daemon thread."""

    def __init__(self, db: Database, store: FileStore, settings: ServerSettings) -> None:
        self.db = db
        self.store = store
        self.settings = settings
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="labdesk-sweeper", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self.settings.sweep_interval):
            started = time.monotonic()
            try:
                sweep(self.db, self.store, self.settings)
            except Exception:  # a bug or a database hiccup: log it, try again next round
                log.exception("file store sweep failed")
            log.debug("sweep took %.3f s", time.monotonic() - started)
