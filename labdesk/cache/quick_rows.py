"""The inbox's light rows of a cache file, and where that file is — with ``sqlite3`` only.

The repository reads these rows through SQLAlchemy; the offline quick start reads them the
same way straight from the file (read-only, no SQLAlchemy or pydantic import, which together
cost most of a second) to show the inbox at once. Both use :data:`INBOX_COLUMNS` and
:func:`inbox_rows` below: there is one column list.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

from labdesk.api.urls import normalize_url
from labdesk.domain.lifecycle import Status

# Schema versions (``labdesk.cache.migrations``) whose ``cases`` table has these columns; a
# unit test fails when a new schema version is added without checking the list.
QUICK_SCHEMA_VERSIONS: Final = frozenset({2})


# (catalog name, teeth as FDI numbers)
ItemSummary = tuple[str, tuple[int, ...]]


@dataclass(frozen=True, slots=True)
class InboxRow:
    """One case as the inbox lists it: what the table shows, sorts, filters and searches on.

    The one row class: built from the cache's light columns (:func:`inbox_rows`, the quick
    start's and the repository's) and from a portal case
    (``labdesk.client.inbox_rows.row_from_case``). The inbox holds up to 100,000 of these;
    the full case (history, files, comments) is fetched when a case is opened.
    """

    case_id: int
    number: str
    patient: str  # under the sharing rule: ``labdesk.domain.patients.patient_label``
    clinic: str
    dentist: str
    items: tuple[ItemSummary, ...]
    status: Status  # as shown: with pending actions applied
    due_date: date | None = None
    expected_date: date | None = None
    assignee: str | None = None  # username
    assignee_name: str | None = None
    rush: bool = False
    signed_off: bool = False
    tags: tuple[str, ...] = ()
    remake: bool = False  # this case is the remake of another
    pending: int = 0  # actions in the outbox not yet accepted by the server
    conflict: bool = False  # an action of ours met someone else's change
    failed: bool = False  # an action the server refused; the user must look at it
    seq: int = 0

    @property
    def needs_attention(self) -> bool:
        return self.conflict or self.failed

    def with_sync_state(self, *, pending: int, conflict: bool, failed: bool) -> InboxRow:
        return replace(self, pending=pending, conflict=conflict, failed=failed)


INBOX_COLUMNS: Final = (
    "id, number, status, server_status, signed_off, patient, clinic, dentist, due_date, "
    "expected_date, assignee, assignee_name, rush, needs_quote, tags, summary, updated_at, "
    "version, pending, conflict, items"
)


def inbox_rows(raw: Iterable[Sequence[Any]]) -> list[InboxRow]:
    """Build inbox rows from plain tuples in ``INBOX_COLUMNS`` order, fast: dates and tag
    lists repeat a lot across cases, so each distinct text is parsed once."""
    dates: dict[str | None, date | None] = {None: None, "": None}
    statuses = {status.value: status for status in Status}
    tag_lists: dict[str, tuple[str, ...]] = {"[]": ()}
    item_lists: dict[str, tuple[tuple[str, tuple[int, ...]], ...]] = {"[]": ()}
    out: list[InboxRow] = []
    append = out.append
    for r in raw:
        due, expected, tags = r[8], r[9], r[14]
        if due not in dates:
            dates[due] = date.fromisoformat(due)
        if expected not in dates:
            dates[expected] = date.fromisoformat(expected)
        if tags not in tag_lists:
            tag_lists[tags] = tuple(json.loads(tags))
        items = r[20]
        if items not in item_lists:
            item_lists[items] = tuple((name, tuple(teeth)) for name, teeth in json.loads(items))
        append(
            InboxRow(
                r[0], r[1], r[5], r[6], r[7], item_lists[items], statuses[r[2]], dates[due],
                dates[expected], r[10], r[11], r[12] == 1, r[4] == 1, tag_lists[tags],
                pending=1 if r[18] == 1 else 0, conflict=r[19] == 1,
            )
        )  # fmt: skip
    return out


def cache_path(cache_dir: Path, server_url: str, username: str) -> Path:
    """``<cache_dir>/<host-port>-<username>.sqlite``; a short hash is added when the name had
    to be cleaned, so two accounts never share a file."""
    parts = urlsplit(normalize_url(server_url))
    port = parts.port or (443 if parts.scheme == "https" else 80)
    raw = f"{parts.hostname or 'portal'}-{port}{parts.path}-{username}"
    clean = re.sub(r"[^A-Za-z0-9._-]+|\.{2,}", "_", raw).strip("._") or "cache"
    if clean != raw or len(clean) > 120:
        tag = hashlib.sha256(f"{normalize_url(server_url)}\0{username}".encode()).hexdigest()
        clean = f"{clean[:100]}-{tag[:10]}"
    return cache_dir / f"{clean}.sqlite"


@dataclass(frozen=True)
class QuickInbox:
    """What the quick start shows: who the cache belongs to (the ``User`` as JSON) and the
    inbox rows."""

    user_json: str | None
    rows: list[InboxRow]


def read_inbox(path: Path) -> QuickInbox | None:
    """The person and the inbox rows of the cache file at ``path``, read-only.

    None when the file is of a schema version this reader does not know (the repository
    then opens it properly, migrating it if need be). Raises ``sqlite3.Error`` or ``OSError``
    for a file that cannot be read.
    """
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        (version,) = conn.execute("SELECT version FROM schema_version").fetchone()
        if version not in QUICK_SCHEMA_VERSIONS:
            return None
        (user_json,) = conn.execute("SELECT user_json FROM sync_state WHERE id = 1").fetchone()
        raw = conn.execute(f"SELECT {INBOX_COLUMNS} FROM cases").fetchall()
    finally:
        conn.close()
    return QuickInbox(user_json, inbox_rows(raw))
