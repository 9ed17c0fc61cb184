"""The outbox and its conflicts in SQL, inside the caller's transaction.

The outbox keeps every action and field edit until the portal has applied it; an entry is
sent, or becomes a conflict beside the portal's case that the person decides — never dropped.
These functions each take the open connection of :class:`~labdesk.cache.repository.
CacheRepository`, which owns the transactions (an entry is written in the same one as the
predicted case it shows) and everything about cases; here is only how entries, their version
chain and their conflicts are written.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from labdesk.api.schemas import Case
from labdesk.cache import tables as t
from labdesk.cache.migrations import CacheError
from labdesk.cache.optimistic import Intent, intent_body, intent_kind, parse_intent
from labdesk.cache.rows import LOCAL_ATTACHMENTS, LocalAttachment, now_iso

QUEUED, DONE, CONFLICT = "queued", "done", "conflict"
KEEP_DONE = timedelta(days=7)  # sent entries are kept a while for support, then pruned
_NOT_SENT = "Not sent: an earlier action on this case was not applied."


def queued_intents(conn: Connection, case_ids: Sequence[int]) -> dict[int, list[Intent]]:
    """The intents still waiting to be sent, per case, oldest first."""
    out: dict[int, list[Intent]] = {}
    rows = conn.execute(
        select(t.outbox.c.case_id, t.outbox.c.action, t.outbox.c.payload)
        .where(t.outbox.c.state == QUEUED, t.outbox.c.case_id.in_(list(case_ids)))
        .order_by(t.outbox.c.id)
    )
    for case_id, kind, payload in rows:
        out.setdefault(case_id, []).append(parse_intent(kind, payload))
    return out


def add_entry(
    conn: Connection,
    case_id: int,
    intent: Intent,
    idempotency_key: str,
    version: int,
    attachments: Sequence[LocalAttachment],
) -> int:
    """Insert a queued entry made against the case's portal ``version``. When earlier entries
    of the case are still queued, its base version stays open: it gets the version the portal
    returns for the one before it (:func:`mark_done`)."""
    earlier = conn.execute(
        select(func.count())
        .select_from(t.outbox)
        .where(t.outbox.c.case_id == case_id, t.outbox.c.state == QUEUED)
    ).scalar_one()
    payload = intent_body(intent)
    if attachments:
        body = json.loads(payload)
        body[LOCAL_ATTACHMENTS] = [dataclasses.asdict(a) for a in attachments]
        payload = json.dumps(body)
    result = conn.execute(
        insert(t.outbox).values(
            idempotency_key=idempotency_key,
            case_id=case_id,
            action=intent_kind(intent),
            payload=payload,
            base_version=None if earlier else version,
            created_at=now_iso(),
            attempts=0,
            state=QUEUED,
        )
    )
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def mark_done(conn: Connection, entry_id: int, result: Case) -> bool:
    """The portal applied the entry: mark it and hand its version to the next queued entry of
    the case. False when the entry was no longer queued (nothing changed)."""
    state = conn.execute(select(t.outbox.c.state).where(t.outbox.c.id == entry_id)).scalar()
    if state != QUEUED:
        return False
    conn.execute(
        update(t.outbox)
        .where(t.outbox.c.id == entry_id)
        .values(
            state=DONE,
            result_version=result.version,
            attempts=t.outbox.c.attempts + 1,
            last_error=None,
        )
    )
    following = conn.execute(
        select(t.outbox.c.id, t.outbox.c.base_version)
        .where(
            t.outbox.c.case_id == result.id,
            t.outbox.c.state == QUEUED,
            t.outbox.c.id > entry_id,
        )
        .order_by(t.outbox.c.id)
        .limit(1)
    ).first()
    if following is not None and following.base_version is None:
        conn.execute(
            update(t.outbox)
            .where(t.outbox.c.id == following.id)
            .values(base_version=result.version)
        )
    return True


def make_conflicts(conn: Connection, entry: Any, kind: str, message: str) -> list[int]:
    """Turn ``entry`` (an outbox row) and the entries queued after it on the same case into
    conflicts beside the portal's stored case; returns the conflict ids."""
    current = conn.execute(select(t.cases.c.data).where(t.cases.c.id == entry.case_id)).scalar_one()
    affected = conn.execute(
        select(t.outbox)
        .where(
            t.outbox.c.case_id == entry.case_id,
            t.outbox.c.state == QUEUED,
            t.outbox.c.id >= entry.id,
        )
        .order_by(t.outbox.c.id)
    ).fetchall()
    ids: list[int] = []
    for row in affected:
        first = row.id == entry.id
        result = conn.execute(
            insert(t.conflicts).values(
                case_id=row.case_id,
                outbox_id=row.id,
                idempotency_key=row.idempotency_key,
                intent=row.payload,
                base_version=row.base_version,
                server_case=current,
                kind=kind if first else "stale",
                message=message if first else _NOT_SENT,
                created_at=now_iso(),
            )
        )
        ids.append(int(result.inserted_primary_key[0]))  # type: ignore[index]
    conn.execute(
        update(t.outbox).where(t.outbox.c.id.in_([r.id for r in affected])).values(state=CONFLICT)
    )
    conn.execute(update(t.cases).where(t.cases.c.id == entry.case_id).values(conflict=True))
    return ids


def resolve(conn: Connection, conflict_id: int, how: str) -> None:
    """Close a conflict (``how``: "retried", "discarded", …); the case keeps its conflict
    mark while others are open."""
    case_id = conn.execute(
        select(t.conflicts.c.case_id).where(
            t.conflicts.c.id == conflict_id, t.conflicts.c.resolved.is_(None)
        )
    ).scalar()
    if case_id is None:
        raise CacheError("This conflict was already resolved.")
    conn.execute(
        update(t.conflicts)
        .where(t.conflicts.c.id == conflict_id)
        .values(resolved=how, resolved_at=now_iso())
    )
    left = conn.execute(
        select(func.count())
        .select_from(t.conflicts)
        .where(t.conflicts.c.case_id == case_id, t.conflicts.c.resolved.is_(None))
    ).scalar_one()
    conn.execute(update(t.cases).where(t.cases.c.id == case_id).values(conflict=left > 0))


def counts(conn: Connection) -> tuple[int, int]:
    """(actions waiting to be sent, unresolved conflicts)."""
    queued = conn.execute(
        select(func.count()).select_from(t.outbox).where(t.outbox.c.state == QUEUED)
    ).scalar_one()
    open_conflicts = conn.execute(
        select(func.count()).select_from(t.conflicts).where(t.conflicts.c.resolved.is_(None))
    ).scalar_one()
    return int(queued), int(open_conflicts)
