"""Opening one portal account on this workstation: client, cache, files and sync engine.

Plain functions over one :class:`~labdesk.client.account.Account` that run on a background
thread (they open SQLite files, talk to the portal and import httpx); the facade in
:mod:`labdesk.services.workstation` calls them through its task runner. Nothing here touches
Qt.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Collection, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from labdesk.cache import quick_rows
from labdesk.client.inbox_index import InboxIndex
from labdesk.client.state import (
    ActionOutcome,
    CaseView,
    ConflictItem,
    ConflictNote,
    FileStatus,
    OutboxState,
    Person,
    QueuedAction,
)
from labdesk.errors import KnownError

if TYPE_CHECKING:
    from labdesk.api.schemas import ActionRequest, CasePatch, ReasonOut
    from labdesk.api.schemas import Person as Worker
    from labdesk.api.tokens import TokenStore
    from labdesk.cache.repository import CacheRepository
    from labdesk.client.account import Account
    from labdesk.config import Settings


# --- the offline quick start ------------------------------------------------------------------
#
# Opening the cache through the repository costs SQLAlchemy's and pydantic's imports (most of
# a second). To show the inbox at once, the last account's cache file (remembered at sign-in)
# is read by ``labdesk.cache.quick_rows`` (sqlite3 only, read-only, the repository's own column
# list); the repository opens it properly right after, in the background. Anything unexpected
# (another schema version, a missing file or column) falls back to the repository path.

LAST_SESSION_FILE = "last-session.json"


def _last_session_path() -> Path:
    from labdesk import config

    return config.config_dir() / LAST_SESSION_FILE


def remember_session(server_url: str, username: str, cache: Path | None) -> None:
    """Where the last account's cache is (no secret: the token is in the token store)."""
    if cache is None:
        return
    path = _last_session_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"server_url": server_url, "username": username, "cache_file": str(cache)}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    tmp.replace(path)


def peek(server_url: str, username: str) -> tuple[Person, InboxIndex] | None:
    """The remembered account's person and inbox, read straight from its cache file."""
    try:
        data = json.loads(_last_session_path().read_text(encoding="utf-8"))
        if (data.get("server_url"), data.get("username")) != (server_url, username):
            return None
        cache = Path(data["cache_file"])
        if not cache.exists():
            return None
        quick = quick_rows.read_inbox(cache)
        if quick is None or not quick.user_json:
            return None
        person = Person.from_json(quick.user_json)
        rows = quick.rows
    except (OSError, ValueError, KeyError, TypeError, sqlite3.Error):
        return None
    return person, InboxIndex.build(rows)


def cache_file(settings: Settings, server_url: str, username: str) -> Path:
    return quick_rows.cache_path(settings.resolved_cache_dir(), server_url, username)


def open_cache(settings: Settings, server_url: str, username: str) -> CacheRepository:
    """The account's cache alone: what an offline start needs before anything else."""
    from labdesk.cache.repository import CacheRepository

    return CacheRepository.open(cache_file(settings, server_url, username))


def load_index(repo: CacheRepository, today: date | None = None) -> InboxIndex:
    """The inbox rows of the cache, indexed (the heavy part of a reload; a worker runs it)."""
    return InboxIndex.build(repo.load_inbox_rows(), today)


def token_store(remember: bool) -> TokenStore:
    """The system keyring when the person wants to be remembered, else this run's memory."""
    from labdesk.api.tokens import TokenStore

    if remember:
        return TokenStore()
    from keyring.backends import fail

    return TokenStore(backend=fail.Keyring())  # type: ignore[no-untyped-call]


def open_account(settings: Settings, server_url: str, username: str, store: TokenStore) -> Account:
    """Client, cache, file store and sync engine for one account (no network traffic)."""
    from labdesk.client.account import Account

    return Account.open(dataclasses.replace(settings, server_url=server_url), username, store)


def sign_in(account: Account, password: str) -> Account:
    """Sign in on the portal with this account (the token goes to its token store)."""
    account.sign_in(password)
    return account


# --- work on the open account (each runs as one task, off the GUI thread) --------------------


def case_view(account: Account, case_id: int) -> CaseView:
    """The case as shown (pending actions applied) with its local state; from the cache, or
    from the portal when it is not cached yet."""
    from labdesk.cache.optimistic import intent_kind

    cached = account.repo.get_case(case_id)
    if cached is None:
        return CaseView(case=account.client.get_case(case_id), from_cache=False)
    files = {
        row.id: FileStatus(row.id, stored=bool(row.verified and row.local_path), path=None)
        for row in account.repo.files_of_cases([case_id])
    }
    notes = tuple(
        ConflictNote(c.id, intent_kind(c.intent), c.message)
        for c in account.repo.conflicts(case_id=case_id)
    )
    return CaseView(
        case=cached.case,
        pending=cached.pending,
        conflict=cached.conflict,
        conflicts=notes,
        files=files,
    )


def queue_actions(
    account: Account,
    requests: Sequence[tuple[int, ActionRequest | CasePatch]],
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> list[QueuedAction]:
    """Each action (or change of the lab's fields) into the outbox on its own: one that is not
    possible does not stop the others (a bulk step over a tray of cases). ``attachments``
    (``(filename, bytes, media_type)``) go with a single action, uploaded when it is sent."""
    from labdesk.api.schemas import CasePatch

    out: list[QueuedAction] = []
    engine = account.engine
    for case_id, intent in requests:
        try:
            if isinstance(intent, CasePatch):
                outbox_id = engine.queue_patch(case_id, intent)
            else:
                outbox_id = engine.queue_action(case_id, intent, attachments)
        except (KnownError, OSError) as exc:  # a person can act on it; anything else is a bug
            out.append(QueuedAction(case_id, None, str(exc)))
        else:
            out.append(QueuedAction(case_id, outbox_id))
    return out


def action_outcomes(account: Account, outbox_ids: Collection[int]) -> dict[int, ActionOutcome]:
    """How far each outbox entry got; entries no longer in the outbox are left out."""
    repo = account.repo
    out: dict[int, ActionOutcome] = {}
    for outbox_id in outbox_ids:
        entry = repo.outbox_entry(outbox_id)
        if entry is None:
            continue
        if entry.state in (OutboxState.QUEUED, OutboxState.DONE):
            out[outbox_id] = ActionOutcome(outbox_id, entry.case_id, OutboxState(entry.state))
            continue
        record = repo.conflict_of_entry(outbox_id)
        kind = record.kind if record is not None else "stale"
        message = record.message if record is not None else "Not applied."
        state = OutboxState.REFUSED if kind == "rejected" else OutboxState.CONFLICT
        out[outbox_id] = ActionOutcome(outbox_id, entry.case_id, state, message)
    return out


def conflict_items(account: Account, case_id: int | None) -> list[ConflictItem]:
    return [
        ConflictItem(
            c.id, c.case_id, c.intent, c.base_version, c.kind, c.message, c.server_case,
            c.created_at,
        )
        for c in account.repo.conflicts(case_id=case_id)
    ]  # fmt: skip


def resolve_conflict(account: Account, conflict_id: int, apply_again: bool) -> None:
    if apply_again:
        account.engine.retry_conflict(conflict_id)
    else:
        account.engine.discard_conflict(conflict_id)


def rejection_reasons(account: Account) -> list[ReasonOut]:
    return account.client.rejection_reasons()


def people(account: Account) -> list[Worker]:
    return account.client.people()


def directory_size(root: Path) -> tuple[int, int]:
    """(bytes, files) under ``root``."""
    size = files = 0
    if root.exists():
        for path in root.rglob("*"):
            try:
                if path.is_file():
                    size += path.stat().st_size
                    files += 1
            except OSError:
                continue
    return size, files
