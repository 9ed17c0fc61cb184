"""The cache's tables, as SQLAlchemy Core objects for queries.

The DDL that creates them lives in :mod:`labdesk.cache.migrations` (frozen per schema
version); a unit test checks that the two agree. Dates are ISO text, times ISO UTC text,
booleans 0/1, JSON as text. ``cases.data`` is the case exactly as the portal sent it;
``cases.local_data`` is the case as shown while actions are pending (the portal's case with
the queued actions applied on top), and the light columns describe what is shown.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    Table,
    Text,
)

metadata = MetaData()

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, nullable=False),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("number", Text, nullable=False),
    Column("status", Text, nullable=False),  # as shown (with pending actions applied)
    Column("server_status", Text, nullable=False),  # as the portal has it
    Column("signed_off", Boolean, nullable=False),
    Column("patient", Text, nullable=False),  # name when shared, else initials + reference
    Column("clinic", Text, nullable=False),
    Column("dentist", Text, nullable=False),
    Column("due_date", Text),
    Column("expected_date", Text),
    Column("assignee", Text),
    Column("assignee_name", Text),
    Column("rush", Boolean, nullable=False),
    Column("needs_quote", Boolean, nullable=False),
    Column("tags", Text, nullable=False),  # JSON list
    Column("summary", Text, nullable=False),  # "Crown 11, 21 · Bridge 34-36"
    Column("updated_at", Text, nullable=False),
    Column("version", Integer, nullable=False),  # the portal's version (for If-Match)
    Column("seq", Integer, nullable=False),
    Column("pending", Boolean, nullable=False),
    Column("conflict", Boolean, nullable=False),
    Column("data", Text, nullable=False),
    Column("local_data", Text),
    # Added in schema 2 (hence last): JSON [[catalog name, [FDI teeth…]], …] for the inbox.
    Column("items", Text, nullable=False, server_default="[]"),
)

items = Table(
    "items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("catalog_code", Text, nullable=False),
    Column("catalog_name", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("material", Text, nullable=False),
    Column("shade", Text),
    Column("teeth", Text, nullable=False),  # JSON list of FDI numbers
    Column("bridge", Boolean, nullable=False),
)

history = Table(
    "history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("at", Text, nullable=False),
    Column("by", Text, nullable=False),
    Column("by_name", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("from_status", Text),
    Column("to_status", Text, nullable=False),
    Column("reason_code", Text),
    Column("reason", Text),
    Column("note", Text),
)

files = Table(
    "files",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("kind", Text, nullable=False),
    Column("jaw", Text),
    Column("filename", Text, nullable=False),
    Column("media_type", Text, nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", Text, nullable=False),
    Column("uploaded_at", Text, nullable=False),
    Column("local_path", Text),  # relative to the file store; set once stored and verified
    Column("verified", Boolean, nullable=False),
    Column("last_used", Float),  # epoch seconds, for least-recently-used eviction
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("idempotency_key", Text, nullable=False, unique=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("action", Text, nullable=False),
    Column("payload", Text, nullable=False),  # the exact JSON body sent
    Column("base_version", Integer),  # If-Match; NULL while waiting on an earlier entry
    Column("created_at", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text),
    Column("state", Text, nullable=False),  # queued | done | conflict
    Column("result_version", Integer),
)

sync_state = Table(
    "sync_state",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("last_seq", Integer, nullable=False),
    Column("last_sync_at", Text),
    Column("last_error", Text),
    Column("user_json", Text),
)

conflicts = Table(
    "conflicts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("outbox_id", Integer),
    Column("idempotency_key", Text, nullable=False),
    Column("intent", Text, nullable=False),  # the action the person took (JSON body)
    Column("base_version", Integer),
    Column("server_case", Text, nullable=False),  # the portal's current case (JSON)
    Column("kind", Text, nullable=False),  # stale | transition | rejected
    Column("message", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("resolved", Text),  # NULL, "retried" or "discarded"
    Column("resolved_at", Text),
)
