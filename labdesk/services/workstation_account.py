"""Opening one portal account on this workstation: client, cache, files and sync engine.

Plain functions that run on a background thread (they open SQLite files, talk to the portal
and import httpx); the facade in :mod:`labdesk.services.workstation` calls them through its
task runner. Nothing here touches Qt.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labdesk.domain.lifecycle import Status
from labdesk.services.workstation_inbox import InboxIndex
from labdesk.services.workstation_rows import InboxRow
from labdesk.services.workstation_state import Person

if TYPE_CHECKING:
    from labdesk.api.client import PortalClient
    from labdesk.api.schemas import User
    from labdesk.api.tokens import TokenStore
    from labdesk.cache.repository import CacheRepository
    from labdesk.config import Settings
    from labdesk.services.account import Account
    from labdesk.services.sync import SyncEngine

_TEETH_TAIL = re.compile(r"^(?P<name>.*?)\s*(?P<teeth>\d{2}(?:, \d{2})*)?$")


def items_from_summary(summary: str) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """``"Zirconia crown 11, 21 · Bridge 34, 35, 36"`` back into (name, FDI teeth) pairs.

    The cache's light inbox columns carry the items as this text only; the inbox needs the
    teeth to show them in the person's notation.
    """
    items: list[tuple[str, tuple[int, ...]]] = []
    for part in summary.split(" · "):
        part = part.strip()
        if not part:
            continue
        match = _TEETH_TAIL.match(part)
        if match is None or not match.group("teeth"):
            items.append((part, ()))
            continue
        teeth = tuple(int(t) for t in match.group("teeth").split(", "))
        items.append((match.group("name"), teeth))
    return tuple(items)


def inbox_row_from_cache(row: Any) -> InboxRow:
    """The cache's light row (``labdesk.cache.rows.InboxRow``) as the inbox's row."""
    return InboxRow(
        case_id=row.id,
        number=row.number,
        patient=row.patient,
        clinic=row.clinic,
        dentist=row.dentist,
        items=items_from_summary(row.summary),
        status=Status(row.status),
        due_date=row.due_date,
        expected_date=row.expected_date,
        assignee=row.assignee,
        assignee_name=row.assignee_name,
        rush=row.rush,
        signed_off=row.signed_off,
        tags=row.tags,
        pending=1 if row.pending else 0,
        conflict=row.conflict,
    )


# --- the offline quick start ------------------------------------------------------------------
#
# Opening the cache through the repository costs SQLAlchemy's and pydantic's imports (most of
# a second). To show the inbox at once, the last account's cache file (remembered at sign-in)
# is read directly with sqlite3, read-only, for the light columns the inbox shows; the
# repository opens it properly right after, in the background. Anything unexpected (another
# schema version, a missing file or column) falls back to the repository path.

LAST_SESSION_FILE = "last-session.json"
PEEK_SCHEMA_VERSION = 1
_PEEK_COLUMNS = (
    "id, number, status, signed_off, patient, clinic, dentist, due_date, expected_date, "
    "assignee, assignee_name, rush, tags, summary, pending, conflict"
)


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
        conn = sqlite3.connect(f"{cache.as_uri()}?mode=ro", uri=True)
        try:
            (version,) = conn.execute("SELECT version FROM schema_version").fetchone()
            if version != PEEK_SCHEMA_VERSION:
                return None
            (user_json,) = conn.execute("SELECT user_json FROM sync_state WHERE id = 1").fetchone()
            raw = conn.execute(f"SELECT {_PEEK_COLUMNS} FROM cases").fetchall()
        finally:
            conn.close()
        if not user_json:
            return None
        person = Person.from_json(user_json)
        rows = [_peeked_row(r) for r in raw]
    except (OSError, ValueError, KeyError, TypeError, sqlite3.Error):
        return None
    return person, InboxIndex.build(rows)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _peeked_row(r: tuple[Any, ...]) -> InboxRow:
    tags = r[12]
    return InboxRow(
        case_id=r[0],
        number=r[1],
        patient=r[4],
        clinic=r[5],
        dentist=r[6],
        items=items_from_summary(r[13]),
        status=Status(r[2]),
        due_date=_day(r[7]),
        expected_date=_day(r[8]),
        assignee=r[9],
        assignee_name=r[10],
        rush=bool(r[11]),
        signed_off=bool(r[3]),
        tags=tuple(json.loads(tags)) if tags and tags != "[]" else (),
        pending=1 if r[14] else 0,
        conflict=bool(r[15]),
    )


def cache_file(settings: Settings, server_url: str, username: str) -> Path:
    from labdesk.cache.db import cache_path

    return cache_path(settings.resolved_cache_dir(), server_url, username)


def open_cache(settings: Settings, server_url: str, username: str) -> CacheRepository:
    """The account's cache alone: what an offline start needs before anything else."""
    from labdesk.cache.repository import CacheRepository

    return CacheRepository.open(cache_file(settings, server_url, username))


def load_index(repo: CacheRepository, today: date | None = None) -> InboxIndex:
    """The inbox rows of the cache, indexed (the heavy part of a reload; a worker runs it)."""
    return InboxIndex.build([inbox_row_from_cache(r) for r in repo.load_inbox_rows()], today)


def token_store(remember: bool) -> TokenStore:
    """The system keyring when the person wants to be remembered, else this run's memory."""
    from labdesk.api.tokens import TokenStore

    if remember:
        return TokenStore()
    from keyring.backends import fail

    return TokenStore(backend=fail.Keyring())  # type: ignore[no-untyped-call]


@dataclass
class Opened:
    """One person's account on one portal (``labdesk.services.account.Account``) and who
    they are."""

    server_url: str
    account: Account
    user: User | None

    @property
    def username(self) -> str:
        return self.account.username

    @property
    def repo(self) -> CacheRepository:
        return self.account.repo

    @property
    def engine(self) -> SyncEngine:
        return self.account.engine

    @property
    def client(self) -> PortalClient:
        return self.account.client


def open_account(settings: Settings, server_url: str, username: str, store: TokenStore) -> Opened:
    """Client, cache, file store and sync engine for one account (no network traffic)."""
    from labdesk.services.account import Account

    account = Account.open(dataclasses.replace(settings, server_url=server_url), username, store)
    return Opened(server_url, account, account.repo.load_user())


def sign_in(opened: Opened, password: str) -> Opened:
    """Sign in on the portal with this account (the token goes to its token store)."""
    opened.user = opened.account.sign_in(password).user
    return opened


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
