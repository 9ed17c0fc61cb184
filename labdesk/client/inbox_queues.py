"""Work queues of the inbox and the filters inside them (plain Python, no Qt).

A queue is a fixed view on the cases by what happens next to them; which one a person lands
on depends on their roles (a ceramist lands on the finishing stage of "In work").
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from labdesk.client.inbox_rows import InboxRow
from labdesk.domain.due import DueState
from labdesk.domain.lifecycle import Role, Status


class Queue(StrEnum):
    TO_REVIEW = "to_review"
    IN_WORK = "in_work"
    QC = "qc"
    READY_TO_SHIP = "ready_to_ship"
    ON_HOLD = "on_hold"
    NEEDS_ATTENTION = "needs_attention"
    ALL = "all"


QUEUE_LABELS: Final[dict[Queue, str]] = {
    Queue.TO_REVIEW: "To review",
    Queue.IN_WORK: "In work",
    Queue.QC: "QC",
    Queue.READY_TO_SHIP: "Ready to ship",
    Queue.ON_HOLD: "On hold",
    Queue.NEEDS_ATTENTION: "Needs attention",
    Queue.ALL: "All",
}

QUEUE_HINTS: Final[dict[Queue, str]] = {
    Queue.TO_REVIEW: "Received cases waiting to be accepted or rejected",
    Queue.IN_WORK: "Cases in design, production or finishing",
    Queue.QC: "Cases waiting for QC sign-off",
    Queue.READY_TO_SHIP: "Signed off by QC, waiting to ship",
    Queue.ON_HOLD: "Cases on hold",
    Queue.NEEDS_ATTENTION: "Your actions that met a conflict or were refused by the portal",
    Queue.ALL: "Every case of the lab",
}

IN_WORK_STAGES: Final = (Status.DESIGN, Status.PRODUCTION, Status.FINISHING)


class DueWindow(StrEnum):
    ANY = "any"
    URGENT = "urgent"  # overdue, today or soon
    OVERDUE = "overdue"
    TODAY = "today"
    SOON = "soon"
    NO_DATE = "no_date"


DUE_WINDOW_LABELS: Final[dict[DueWindow, str]] = {
    DueWindow.ANY: "Any due date",
    DueWindow.URGENT: "Overdue, today or soon",
    DueWindow.OVERDUE: "Overdue",
    DueWindow.TODAY: "Due today",
    DueWindow.SOON: "Due soon",
    DueWindow.NO_DATE: "No due date",
}

DUE_WINDOW_STATES: Final[dict[DueWindow, frozenset[DueState]]] = {
    DueWindow.URGENT: frozenset({DueState.OVERDUE, DueState.TODAY, DueState.SOON}),
    DueWindow.OVERDUE: frozenset({DueState.OVERDUE}),
    DueWindow.TODAY: frozenset({DueState.TODAY}),
    DueWindow.SOON: frozenset({DueState.SOON}),
    DueWindow.NO_DATE: frozenset({DueState.NONE}),
}

# Assignee filter values besides a username.
ANY_ASSIGNEE: Final = "*"
UNASSIGNED: Final = ""


@dataclass(frozen=True)
class InboxFilter:
    """What the inbox shows: a queue, optionally narrowed, and a search string."""

    queue: Queue = Queue.ALL
    stage: Status | None = None  # one of IN_WORK_STAGES, inside "In work"
    status: Status | None = None
    clinic: str | None = None
    due: DueWindow = DueWindow.ANY
    assignee: str = ANY_ASSIGNEE  # a username, UNASSIGNED or ANY_ASSIGNEE
    rush_only: bool = False
    search: str = ""

    @property
    def narrowed(self) -> bool:
        """Whether anything beyond the queue and the search is chosen."""
        return (
            self.status is not None
            or self.clinic is not None
            or self.due is not DueWindow.ANY
            or self.assignee != ANY_ASSIGNEE
            or self.rush_only
        )


def in_queue(row: InboxRow, queue: Queue) -> bool:
    match queue:
        case Queue.TO_REVIEW:
            return row.status is Status.RECEIVED
        case Queue.IN_WORK:
            return row.status in IN_WORK_STAGES
        case Queue.QC:
            return row.status is Status.QC and not row.signed_off
        case Queue.READY_TO_SHIP:
            return row.status is Status.QC and row.signed_off
        case Queue.ON_HOLD:
            return row.status is Status.ON_HOLD
        case Queue.NEEDS_ATTENTION:
            return row.conflict or row.failed
        case Queue.ALL:
            return True
    raise AssertionError(queue)  # pragma: no cover


# Which queue (and stage) a role works on first, in order of precedence for people who hold
# several roles.
_ROLE_QUEUES: Final[tuple[tuple[Role, Queue, Status | None], ...]] = (
    (Role.REVIEWER, Queue.TO_REVIEW, None),
    (Role.QC_MANAGER, Queue.QC, None),
    (Role.SHIPPING, Queue.READY_TO_SHIP, None),
    (Role.DESIGNER, Queue.IN_WORK, Status.DESIGN),
    (Role.PRODUCTION_TECH, Queue.IN_WORK, Status.PRODUCTION),
    (Role.CERAMIST, Queue.IN_WORK, Status.FINISHING),
    (Role.FINISHING_TECH, Queue.IN_WORK, Status.FINISHING),
    (Role.LAB_ADMIN, Queue.ALL, None),
)


def default_queue(roles: Collection[Role | str]) -> tuple[Queue, Status | None]:
    """The queue a person with ``roles`` lands on, and the stage inside "In work"."""
    held = {Role(r) for r in roles}
    for role, queue, stage in _ROLE_QUEUES:
        if role in held:
            return queue, stage
    return Queue.ALL, None
