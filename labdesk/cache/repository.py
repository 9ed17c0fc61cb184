"""The one way the services read and write the local cache.

Every method is one transaction. Writing methods take the write lock at ``BEGIN`` so the sync
worker and the GUI thread can use one repository; reads run beside a writer (WAL). How outbox
entries, their version chain and their conflicts are written is :mod:`labdesk.cache.outbox`,
called inside these transactions.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, select, update

from labdesk.api.schemas import Case, User
from labdesk.cache import outbox
from labdesk.cache import tables as t
from labdesk.cache.db import READ_ONLY, make_engine
from labdesk.cache.migrations import CacheError, migrate
from labdesk.cache.optimistic import Intent
from labdesk.cache.outbox import DONE, KEEP_DONE, QUEUED
from labdesk.cache.quick_rows import INBOX_COLUMNS, InboxRow, inbox_rows
from labdesk.cache.rows import (
    LOCAL_ATTACHMENTS,
    CachedCase,
    ConflictRecord,
    FileRow,
    LocalAttachment,
    OutboxEntry,
    SyncStatus,
    case_columns,
    case_row,
    conflict_record,
    epoch,
    file_row,
    file_rows_of,
    history_rows_of,
    item_rows_of,
    now_iso,
    outbox_entry,
    parse_time,
)

_CASE_UPDATE_SKIP = frozenset({"id", "conflict"})


class CacheRepository:
    """Cases, outbox, conflicts, files and sync state of one portal account."""

    def __init__(self, engine: Engine, path: Path | None = None) -> None:
        self.engine = engine
        self.path = path
        self._reader = engine.execution_options(**{READ_ONLY: True})

    @classmethod
    def open(cls, path: Path | None) -> CacheRepository:
        """Open (creating or migrating) the cache at ``path``; None keeps it in memory."""
        engine = make_engine(path)
        try:
            migrate(engine, path)
        except BaseException:
            engine.dispose()
            raise
        repo = cls(engine, path)
        repo.prune_sent()
        return repo

    def close(self) -> None:
        self.engine.dispose()

    # --- cases ----------------------------------------------------------------------------

    def upsert_page(self, cases: Sequence[Case], next_seq: int) -> list[int]:
        """Store one page from the portal and the new sync cursor, in one transaction.

        Returns the ids of the cases that changed. A case older than the cached copy is
        ignored; a case with queued actions keeps showing them on top of the portal's copy.

        The cursor is the portal's ``next_since``, never the highest ``seq`` in the page: a case
        changed while the portal assembled the page arrives with a newer ``seq``, and jumping
        to it would skip the cases committed in between (they are sent again, not lost).
        """
        with self.engine.begin() as conn:
            changed = self._store_cases(conn, cases)
            conn.execute(
                update(t.sync_state)
                .where(t.sync_state.c.id == 1, t.sync_state.c.last_seq < next_seq)
                .values(last_seq=next_seq)
            )
        return changed

    def store_case(self, case_: Case) -> bool:
        """Store one case fetched on its own (not a sync page: the cursor does not move)."""
        with self.engine.begin() as conn:
            return bool(self._store_cases(conn, [case_]))

    def get_case(self, case_id: int) -> CachedCase | None:
        with self._reader.connect() as conn:
            row = conn.execute(
                select(
                    t.cases.c.data, t.cases.c.local_data, t.cases.c.pending, t.cases.c.conflict
                ).where(t.cases.c.id == case_id)
            ).first()
        if row is None:
            return None
        server = Case.model_validate_json(row.data)
        shown = Case.model_validate_json(row.local_data) if row.local_data else server
        return CachedCase(shown, server, bool(row.pending), bool(row.conflict))

    def clinics(self) -> list[tuple[int, str]]:
        """``(clinic id, name)`` of every clinic with a cached case, by name."""
        sql = (
            "SELECT DISTINCT json_extract(data, '$.clinic_id'), clinic FROM cases "
            "WHERE json_extract(data, '$.clinic_id') IS NOT NULL ORDER BY clinic"
        )
        with self._reader.connect() as conn:
            return [(int(row[0]), str(row[1])) for row in conn.exec_driver_sql(sql)]

    def load_inbox_rows(self, ids: Collection[int] | None = None) -> list[InboxRow]:
        """Light rows for the inbox (all cases, or those in ``ids``), no JSON per case."""
        sql = f"SELECT {INBOX_COLUMNS} FROM cases"
        params: tuple[int, ...] = ()
        if ids is not None:
            params = tuple(ids)
            if not params:
                return []
            sql += f" WHERE id IN ({','.join('?' * len(params))})"
        with self._reader.connect() as conn:
            conn.exec_driver_sql("SELECT 1")  # begin the read transaction
            cursor = conn.connection.driver_connection.execute(sql, params)  # type: ignore[union-attr]
            try:
                return inbox_rows(cursor.fetchall())
            finally:
                cursor.close()

    def case_count(self) -> int:
        with self._reader.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(t.cases)).scalar_one())

    def _store_cases(self, conn: Connection, cases: Sequence[Case]) -> list[int]:
        by_id = {c.id: c for c in cases}
        if not by_id:
            return []
        known: dict[int, int] = {
            row[0]: row[1]
            for row in conn.execute(
                select(t.cases.c.id, t.cases.c.version).where(t.cases.c.id.in_(list(by_id)))
            )
        }
        fresh = [c for c in by_id.values() if known.get(c.id, -1) <= c.version]
        if not fresh:
            return []
        ids = [c.id for c in fresh]
        queued = outbox.queued_intents(conn, ids)
        rows = [case_row(c, queued.get(c.id, [])) for c in fresh]
        _write_many(conn, "cases", rows, conflict="id", keep=_CASE_UPDATE_SKIP)
        conn.execute(delete(t.items).where(t.items.c.case_id.in_(ids)))
        conn.execute(delete(t.history).where(t.history.c.case_id.in_(ids)))
        _write_many(conn, "items", [row for c in fresh for row in item_rows_of(c)])
        _write_many(conn, "history", [row for c in fresh for row in history_rows_of(c)])
        self._store_files(conn, fresh)
        return ids

    def _store_files(self, conn: Connection, cases: Sequence[Case]) -> None:
        rows = [row for c in cases for row in file_rows_of(c)]
        ids = [c.id for c in cases]
        conn.execute(
            delete(t.files).where(
                t.files.c.case_id.in_(ids), t.files.c.id.not_in([r["id"] for r in rows])
            )
        )
        # Metadata follows the portal; the local copy stays while the content is the same.
        _write_many(
            conn,
            "files",
            rows,
            conflict="id",
            keep=frozenset({"local_path", "verified", "last_used"}),
            also=(
                ("local_path", "CASE WHEN files.sha256 = excluded.sha256 "
                               "THEN files.local_path ELSE NULL END"),
                ("verified", "CASE WHEN files.sha256 = excluded.sha256 "
                             "THEN files.verified ELSE 0 END"),
            ),
        )  # fmt: skip

    def _refresh_shown(self, conn: Connection, case_id: int) -> None:
        """Recompute what is shown for a case from the portal's copy and its queued actions."""
        data = conn.execute(select(t.cases.c.data).where(t.cases.c.id == case_id)).scalar()
        if data is None:
            return
        row = case_row(
            Case.model_validate_json(data), outbox.queued_intents(conn, [case_id]).get(case_id, [])
        )
        for key in ("id", "conflict", "data"):
            row.pop(key)
        conn.execute(update(t.cases).where(t.cases.c.id == case_id).values(**row))

    # --- sync state -----------------------------------------------------------------------

    def sync_status(self) -> SyncStatus:
        with self._reader.connect() as conn:
            row = conn.execute(select(t.sync_state).where(t.sync_state.c.id == 1)).one()
        return SyncStatus(row.last_seq, parse_time(row.last_sync_at), row.last_error)

    def record_sync(self, *, error: str | None = None) -> None:
        """A sync finished: successfully (``error`` None) or not."""
        values: dict[str, Any] = {"last_error": error}
        if error is None:
            values["last_sync_at"] = now_iso()
        with self.engine.begin() as conn:
            conn.execute(update(t.sync_state).where(t.sync_state.c.id == 1).values(**values))

    def save_user(self, user: User) -> None:
        """Who this cache belongs to (roles, for what may be offered while offline)."""
        with self.engine.begin() as conn:
            conn.execute(
                update(t.sync_state)
                .where(t.sync_state.c.id == 1)
                .values(user_json=user.model_dump_json())
            )

    def load_user(self) -> User | None:
        with self._reader.connect() as conn:
            raw = conn.execute(
                select(t.sync_state.c.user_json).where(t.sync_state.c.id == 1)
            ).scalar()
        return User.model_validate_json(raw) if raw else None

    # --- outbox ---------------------------------------------------------------------------

    def enqueue(
        self,
        case_id: int,
        intent: Intent,
        idempotency_key: str,
        predict: Callable[[Case], Case],
        *,
        resolves_conflict: int | None = None,
        attachments: Sequence[LocalAttachment] = (),
    ) -> int:
        """Write an action or a change (``intent``) to the outbox, then show its predicted
        outcome, atomically. ``attachments`` (already in the blob store) are recorded with
        the entry, to be uploaded before it is sent.

        ``predict`` gets the case as shown and returns it with the intent applied; it raises
        when the action is impossible, and then nothing is written. The entry carries the
        portal version it was made against; when earlier entries of the case are still
        queued, it gets the version the portal returns for the one before it.
        """
        with self.engine.begin() as conn:
            row = conn.execute(
                select(t.cases.c.data, t.cases.c.local_data, t.cases.c.version).where(
                    t.cases.c.id == case_id
                )
            ).first()
            if row is None:
                raise CacheError(f"Case {case_id} is not in the local cache; sync first.")
            shown = Case.model_validate_json(row.local_data or row.data)
            predicted = predict(shown)
            entry_id = outbox.add_entry(
                conn, case_id, intent, idempotency_key, row.version, attachments
            )
            conn.execute(
                update(t.cases)
                .where(t.cases.c.id == case_id)
                .values(
                    **case_columns(predicted), local_data=predicted.model_dump_json(), pending=True
                )
            )
            if resolves_conflict is not None:
                outbox.resolve(conn, resolves_conflict, "retried")
        return entry_id

    def queued(self, case_id: int | None = None) -> list[OutboxEntry]:
        """Entries waiting to be sent, oldest first."""
        query = select(t.outbox).where(t.outbox.c.state == QUEUED).order_by(t.outbox.c.id)
        if case_id is not None:
            query = query.where(t.outbox.c.case_id == case_id)
        with self._reader.connect() as conn:
            return [outbox_entry(r) for r in conn.execute(query)]

    def outbox_entry(self, entry_id: int) -> OutboxEntry | None:
        with self._reader.connect() as conn:
            row = conn.execute(select(t.outbox).where(t.outbox.c.id == entry_id)).first()
        return outbox_entry(row) if row is not None else None

    def record_upload(self, entry_id: int, index: int, file_id: int) -> None:
        """The entry's attachment ``index`` is on the portal as ``file_id``: remember it (so
        it is not uploaded again) and add it to the action's ``attachment_ids``."""
        with self.engine.begin() as conn:
            payload = conn.execute(
                select(t.outbox.c.payload).where(t.outbox.c.id == entry_id)
            ).scalar_one()
            body = json.loads(payload)
            body[LOCAL_ATTACHMENTS][index]["uploaded_id"] = file_id
            body["attachment_ids"] = [*body.get("attachment_ids", []), file_id]
            conn.execute(
                update(t.outbox).where(t.outbox.c.id == entry_id).values(payload=json.dumps(body))
            )

    def record_attempt(self, entry_id: int, error: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(t.outbox)
                .where(t.outbox.c.id == entry_id)
                .values(attempts=t.outbox.c.attempts + 1, last_error=error)
            )

    def complete(self, entry_id: int, result: Case) -> None:
        """The portal applied the entry: store its case and pass the version on."""
        with self.engine.begin() as conn:
            if outbox.mark_done(conn, entry_id, result):
                self._store_cases(conn, [result])
                self._refresh_shown(conn, result.id)

    def to_conflict(
        self, entry_id: int, server_case: Case | None, kind: str, message: str
    ) -> list[int]:
        """The portal did not apply the entry: keep it, and the ones queued after it on the
        same case, as conflicts with the portal's current case. Returns the conflict ids."""
        with self.engine.begin() as conn:
            entry = conn.execute(select(t.outbox).where(t.outbox.c.id == entry_id)).first()
            if entry is None or entry.state != QUEUED:
                return []
            if server_case is not None:
                self._store_cases(conn, [server_case])
            ids = outbox.make_conflicts(conn, entry, kind, message)
            self._refresh_shown(conn, entry.case_id)
        return ids

    def outbox_counts(self) -> tuple[int, int]:
        """(actions waiting to be sent, unresolved conflicts)."""
        with self._reader.connect() as conn:
            return outbox.counts(conn)

    def prune_sent(self, older_than: timedelta = KEEP_DONE) -> None:
        cutoff = (datetime.now(UTC) - older_than).isoformat()
        with self.engine.begin() as conn:
            conn.execute(
                delete(t.outbox).where(t.outbox.c.state == DONE, t.outbox.c.created_at < cutoff)
            )

    # --- conflicts ------------------------------------------------------------------------

    def conflicts(
        self, *, case_id: int | None = None, unresolved: bool = True
    ) -> list[ConflictRecord]:
        query = _CONFLICTS.order_by(t.conflicts.c.id)
        if case_id is not None:
            query = query.where(t.conflicts.c.case_id == case_id)
        if unresolved:
            query = query.where(t.conflicts.c.resolved.is_(None))
        with self._reader.connect() as conn:
            return [conflict_record(r) for r in conn.execute(query)]

    def conflict_of_entry(self, outbox_id: int) -> ConflictRecord | None:
        """The conflict an outbox entry became (resolved or not), if it became one."""
        with self._reader.connect() as conn:
            row = conn.execute(
                _CONFLICTS.where(t.conflicts.c.outbox_id == outbox_id)
                .order_by(t.conflicts.c.id.desc())
                .limit(1)
            ).first()
        return conflict_record(row) if row is not None else None

    def conflict(self, conflict_id: int) -> ConflictRecord | None:
        with self._reader.connect() as conn:
            row = conn.execute(_CONFLICTS.where(t.conflicts.c.id == conflict_id)).first()
        return conflict_record(row) if row is not None else None

    def resolve_conflict(self, conflict_id: int, how: str) -> None:
        with self.engine.begin() as conn:
            outbox.resolve(conn, conflict_id, how)

    # --- files ----------------------------------------------------------------------------

    def file_row(self, file_id: int) -> FileRow | None:
        with self._reader.connect() as conn:
            row = conn.execute(select(t.files).where(t.files.c.id == file_id)).first()
        return file_row(row) if row is not None else None

    def files_of_cases(self, case_ids: Collection[int]) -> list[FileRow]:
        with self._reader.connect() as conn:
            rows = conn.execute(
                select(t.files)
                .where(t.files.c.case_id.in_(list(case_ids)))
                .order_by(t.files.c.case_id, t.files.c.id)
            )
            return [file_row(r) for r in rows]

    def mark_stored(self, sha256: str, relative_path: str) -> None:
        """The blob is in the store and verified: every file row with that content has it."""
        with self.engine.begin() as conn:
            conn.execute(
                update(t.files)
                .where(t.files.c.sha256 == sha256)
                .values(local_path=relative_path, verified=True, last_used=epoch())
            )

    def mark_missing(self, sha256: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(t.files)
                .where(t.files.c.sha256 == sha256)
                .values(local_path=None, verified=False)
            )

    def touch_file(self, sha256: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(t.files).where(t.files.c.sha256 == sha256).values(last_used=epoch())
            )

    def stored_blobs(self) -> dict[str, tuple[float, frozenset[int]]]:
        """For each stored blob: when it was last used, and the cases it belongs to."""
        out: dict[str, tuple[float, frozenset[int]]] = {}
        with self._reader.connect() as conn:
            rows = conn.execute(
                select(t.files.c.sha256, t.files.c.last_used, t.files.c.case_id).where(
                    t.files.c.local_path.is_not(None)
                )
            )
            for sha, used, case_id in rows:
                last, cases = out.get(sha, (0.0, frozenset()))
                out[sha] = (max(last, used or 0.0), cases | {case_id})
        return out


# A conflict with the kind of its intent (an action, or a change of the lab's fields), which
# its outbox entry knows.
_CONFLICTS = select(t.conflicts, t.outbox.c.action.label("intent_kind")).outerjoin(
    t.outbox, t.outbox.c.id == t.conflicts.c.outbox_id
)


@functools.cache
def _insert_sql(
    table: str,
    columns: tuple[str, ...],
    conflict: str | None,
    keep: frozenset[str],
    also: tuple[tuple[str, str], ...],
) -> str:
    names = ", ".join(f'"{c}"' for c in columns)
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"
    if conflict is not None:
        sets = [f'"{c}" = excluded."{c}"' for c in columns if c != conflict and c not in keep]
        sets += [f'"{c}" = {expression}' for c, expression in also]
        sql += f' ON CONFLICT ("{conflict}") DO UPDATE SET {", ".join(sets)}'
    return sql


def _write_many(
    conn: Connection,
    table: str,
    rows: Sequence[dict[str, Any]],
    *,
    conflict: str | None = None,
    keep: frozenset[str] = frozenset(),
    also: tuple[tuple[str, str], ...] = (),
) -> None:
    """Insert (or upsert on ``conflict``) many rows with one prepared statement; the hot
    path of a sync page, so it skips SQLAlchemy's per-row parameter processing."""
    if not rows:
        return
    columns = tuple(rows[0])
    sql = _insert_sql(table, columns, conflict, keep, also)
    conn.exec_driver_sql(sql, [tuple(row[c] for c in columns) for row in rows])
