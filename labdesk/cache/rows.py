"""What the cache hands out: records for the outbox and conflicts, the columns of a case.

The inbox's light rows (:class:`~labdesk.cache.quick_rows.InboxRow`) live in
:mod:`labdesk.cache.quick_rows`, which the offline quick start reads without SQLAlchemy.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from labdesk.api.schemas import Case
from labdesk.cache.optimistic import Intent, overlay, parse_intent
from labdesk.domain.patients import patient_label


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@dataclass(frozen=True)
class CachedCase:
    """A case as shown (``case``), the portal's copy, and whether work on it is waiting."""

    case: Case
    server_case: Case
    pending: bool
    conflict: bool


@dataclass(frozen=True)
class OutboxEntry:
    id: int
    idempotency_key: str
    case_id: int
    action: str
    payload: str  # the exact JSON body
    base_version: int | None
    created_at: datetime
    attempts: int
    last_error: str | None
    state: str

    @property
    def intent(self) -> Intent:
        """The action (``ActionRequest``) or the change of the lab's fields (``CasePatch``)."""
        return parse_intent(self.action, self.payload)

    @property
    def attachments(self) -> list[LocalAttachment]:
        """Files kept with the entry, uploaded by the sync engine before the action is sent
        (their ids then join the action's ``attachment_ids``)."""
        return local_attachments(self.payload)


# The payload's key for files kept locally with an outbox entry (the portal's models ignore
# it, so the body sent is the action alone).
LOCAL_ATTACHMENTS = "local_attachments"


@dataclass(frozen=True)
class LocalAttachment:
    sha256: str  # in the outbox's blob store
    filename: str
    media_type: str
    uploaded_id: int | None  # the portal's file id once uploaded


def local_attachments(payload: str) -> list[LocalAttachment]:
    raw = json.loads(payload).get(LOCAL_ATTACHMENTS) or []
    return [
        LocalAttachment(a["sha256"], a["filename"], a["media_type"], a.get("uploaded_id"))
        for a in raw
    ]


@dataclass(frozen=True)
class ConflictRecord:
    """An action (or a change) the portal did not apply, with both sides, waiting for the
    person."""

    id: int
    case_id: int
    outbox_id: int | None
    idempotency_key: str
    intent: Intent
    base_version: int | None
    server_case: Case
    kind: str  # stale | transition | rejected
    message: str
    created_at: datetime
    resolved: str | None


@dataclass(frozen=True)
class FileRow:
    id: int
    case_id: int
    kind: str
    jaw: str | None
    filename: str
    media_type: str
    size: int
    sha256: str
    local_path: str | None
    verified: bool
    last_used: float | None


@dataclass(frozen=True)
class SyncStatus:
    last_seq: int
    last_sync_at: datetime | None
    last_error: str | None


def case_columns(case: Case) -> dict[str, Any]:
    """The light columns of a case as shown."""
    patient = patient_label(
        case.share_patient_name, case.patient_name, case.patient_initials, case.patient_ref
    )
    return {
        "number": case.number,
        "status": case.status.value,
        "signed_off": case.signed_off,
        "patient": patient,
        "clinic": case.clinic_name,
        "dentist": case.dentist_name,
        "due_date": case.due_date.isoformat() if case.due_date else None,
        "expected_date": case.expected_date.isoformat() if case.expected_date else None,
        "assignee": case.assignee,
        "assignee_name": case.assignee_name,
        "rush": case.rush,
        "needs_quote": case.needs_quote,
        "tags": json.dumps(case.tags),
        "summary": " · ".join(
            f"{item.catalog_name} {', '.join(str(t) for t in item.teeth)}".strip()
            for item in case.items
        ),
        "items": json.dumps([[item.catalog_name, item.teeth] for item in case.items]),
        "updated_at": case.updated_at.isoformat(),
    }


def item_rows_of(c: Case) -> list[dict[str, Any]]:
    return [
        {
            "id": item.id,
            "case_id": c.id,
            "position": n,
            "catalog_code": item.catalog_code,
            "catalog_name": item.catalog_name,
            "kind": str(item.kind),
            "material": item.material,
            "shade": item.shade,
            "teeth": json.dumps(item.teeth),
            "bridge": item.bridge,
        }
        for n, item in enumerate(c.items)
    ]


def history_rows_of(c: Case) -> list[dict[str, Any]]:
    return [
        {
            "id": h.id,
            "case_id": c.id,
            "at": h.at.isoformat(),
            "by": h.by,
            "by_name": h.by_name,
            "action": h.action.value,
            "from_status": h.from_status.value if h.from_status else None,
            "to_status": h.to_status.value,
            "reason_code": h.reason_code,
            "reason": h.reason,
            "note": h.note,
        }
        for h in c.history
    ]


def file_rows_of(c: Case) -> list[dict[str, Any]]:
    return [
        {
            "id": f.id,
            "case_id": c.id,
            "kind": f.kind.value,
            "jaw": f.jaw.value if f.jaw else None,
            "filename": f.filename,
            "media_type": f.media_type,
            "size": f.size,
            "sha256": f.sha256.lower(),
            "uploaded_at": f.uploaded_at.isoformat(),
            "local_path": None,
            "verified": False,
            "last_used": None,
        }
        for f in c.files
    ]


def epoch() -> float:
    return datetime.now(UTC).timestamp()


def case_row(server: Case, intents: Sequence[Intent]) -> dict[str, Any]:
    shown = overlay(server, intents) if intents else server
    row = case_columns(shown)
    row.update(
        id=server.id,
        server_status=server.status.value,
        version=server.version,
        seq=server.seq,
        pending=bool(intents),
        conflict=False,
        data=server.model_dump_json(),
        local_data=shown.model_dump_json() if intents else None,
    )
    return row


def outbox_entry(row: Any) -> OutboxEntry:
    return OutboxEntry(
        id=row.id,
        idempotency_key=row.idempotency_key,
        case_id=row.case_id,
        action=row.action,
        payload=row.payload,
        base_version=row.base_version,
        created_at=datetime.fromisoformat(row.created_at),
        attempts=row.attempts,
        last_error=row.last_error,
        state=row.state,
    )


def conflict_record(row: Any) -> ConflictRecord:
    return ConflictRecord(
        id=row.id,
        case_id=row.case_id,
        outbox_id=row.outbox_id,
        idempotency_key=row.idempotency_key,
        intent=parse_intent(row.intent_kind or "", row.intent),
        base_version=row.base_version,
        server_case=Case.model_validate_json(row.server_case),
        kind=row.kind,
        message=row.message,
        created_at=datetime.fromisoformat(row.created_at),
        resolved=row.resolved,
    )


def file_row(row: Any) -> FileRow:
    return FileRow(
        id=row.id,
        case_id=row.case_id,
        kind=row.kind,
        jaw=row.jaw,
        filename=row.filename,
        media_type=row.media_type,
        size=row.size,
        sha256=row.sha256,
        local_path=row.local_path,
        verified=bool(row.verified),
        last_used=row.last_used,
    )
