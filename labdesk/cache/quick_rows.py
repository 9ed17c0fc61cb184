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
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final, NamedTuple
from urllib.parse import urlsplit

from labdesk.api.urls import normalize_url

# Schema versions (``labdesk.cache.migrations``) whose ``cases`` table has these columns; a
# unit test fails when a new schema version is added without checking the list.
QUICK_SCHEMA_VERSIONS: Final = frozenset({2})


class InboxRow(NamedTuple):
    """One case as the inbox lists it; no JSON parsing needed to build it."""

    id: int
    number: str
    status: str  # as shown: with pending actions applied
    server_status: str
    signed_off: bool
    patient: str
    clinic: str
    dentist: str
    due_date: date | None
    expected_date: date | None
    assignee: str | None
    assignee_name: str | None
    rush: bool
    needs_quote: bool
    tags: tuple[str, ...]
    summary: str
    updated_at: str
    version: int
    pending: bool
    conflict: bool
    items: tuple[tuple[str, tuple[int, ...]], ...]  # (catalog name, FDI teeth) per item


INBOX_COLUMNS: Final = (
    "id, number, status, server_status, signed_off, patient, clinic, dentist, due_date, "
    "expected_date, assignee, assignee_name, rush, needs_quote, tags, summary, updated_at, "
    "version, pending, conflict, items"
)


def inbox_rows(raw: Iterable[Sequence[Any]]) -> list[InboxRow]:
    """Build inbox rows from plain tuples in ``INBOX_COLUMNS`` order, fast: dates and tag
    lists repeat a lot across cases, so each distinct text is parsed once."""
    dates: dict[str | None, date | None] = {None: None, "": None}
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
                r[0], r[1], r[2], r[3], r[4] == 1, r[5], r[6], r[7], dates[due],
                dates[expected], r[10], r[11], r[12] == 1, r[13] == 1, tag_lists[tags],
                r[15], r[16], r[17], r[18] == 1, r[19] == 1, item_lists[items],
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
