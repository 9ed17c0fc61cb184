"""What the workstation facade tells the window: sync status, an opened case, file states.

Plain frozen dataclasses, so the GUI never holds a reference into the cache or the client.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from labdesk.domain.lifecycle import Role

if TYPE_CHECKING:
    from labdesk.api.schemas import ActionRequest, Case, CasePatch, User


@dataclass(frozen=True)
class WorkstationStatus:
    """The line in the status bar."""

    online: bool | None = None  # None: not known yet (no sync tried)
    last_sync: datetime | None = None
    pending: int = 0  # actions in the outbox
    conflicts: int = 0  # unresolved conflicts
    syncing: bool = False
    progress: tuple[int, int] | None = None  # (done, total) of long work (first sync)
    message: str = ""  # the last problem, for a person
    signed_in: bool = False


@dataclass(frozen=True)
class FileStatus:
    """Whether a file of the case is on this computer, or on its way."""

    file_id: int
    stored: bool = False
    path: str | None = None
    downloading: bool = False
    done: int = 0
    total: int = 0
    error: str = ""


@dataclass(frozen=True)
class ConflictNote:
    conflict_id: int
    action: str  # the action's name, or "patch" for a change of the lab's fields
    message: str


@dataclass(frozen=True)
class QueuedAction:
    """An action put in the outbox (``outbox_id``), or why it could not be (``error``)."""

    case_id: int
    outbox_id: int | None
    error: str = ""


class OutboxState(StrEnum):
    QUEUED = "queued"  # waiting to be sent
    DONE = "done"  # the portal applied it
    CONFLICT = "conflict"  # someone changed the case first; waits under "Needs attention"
    REFUSED = "refused"  # the portal refused it (not possible, not allowed)


@dataclass(frozen=True)
class ActionOutcome:
    """How far an outbox entry got."""

    outbox_id: int
    case_id: int
    state: OutboxState
    message: str = ""


@dataclass(frozen=True)
class ConflictItem:
    """A conflict as the window shows it: the person's intent (an action, or a change of the
    lab's fields) and the portal's case now."""

    conflict_id: int
    case_id: int
    intent: ActionRequest | CasePatch
    base_version: int | None
    kind: str  # stale | transition | rejected
    message: str
    current: Case
    made_at: datetime | None = None


@dataclass(frozen=True)
class CaseView:
    """An opened case as shown: the case with pending actions applied, and its local state."""

    case: Case
    pending: bool = False
    conflict: bool = False
    conflicts: tuple[ConflictNote, ...] = ()
    files: dict[int, FileStatus] = field(default_factory=dict)
    from_cache: bool = True


@dataclass(frozen=True)
class Person:
    """Who works at the workstation: what the window needs of a ``schemas.User``.

    Light on purpose: an offline start reads it from the cache without loading pydantic.
    """

    username: str
    display_name: str
    roles: tuple[Role, ...]

    @classmethod
    def from_user(cls, user: User) -> Person:
        return cls(user.username, user.display_name, tuple(Role(r) for r in user.roles))

    @classmethod
    def from_json(cls, text: str) -> Person:
        data: dict[str, Any] = json.loads(text)
        return cls(
            str(data["username"]),
            str(data.get("display_name") or data["username"]),
            tuple(Role(r) for r in data.get("roles", ())),
        )


@dataclass(frozen=True)
class Session:
    """Who is signed in where. ``token`` is False while working from the cache only."""

    server_url: str
    user: Person
    demo: bool = False
    token: bool = True  # False: no valid sign-in (offline start, or expired)

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(r.value for r in self.user.roles)
