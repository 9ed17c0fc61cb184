"""The lab's own fields of a case (expected date and note, assignee, tags, memo): who in the
lab may change each, and while the case is in which status.

One copy of the rule: the portal refuses an edit it does not allow (``PATCH /cases/{id}``)
and the workstation offers only the edits it allows.

Why these roles: the expected date is the lab's commitment to the clinic, made by whoever
accepts cases (reviewers) and the lab admin, not by whoever happens to hold the case (shipping
used to be able to move it). Handing the case on (assignee) belongs to the production floor
and the people who plan it; shipping receives cases, it does not assign them. Tags and the memo
are the lab's shared notes: every lab member may write them.

Why these statuses: once a case is shipped, delivered or rejected, the date and the hand-over
are history; only tags and memo still change. A cancelled case or one whose remake was
requested is final: nothing changes.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from enum import StrEnum
from typing import Final

from labdesk.domain.lifecycle import (
    FINAL_STATUSES,
    LAB_ROLES,
    ROLE_LABELS,
    STATUS_LABELS,
    PermissionDenied,
    Role,
    Status,
    TransitionError,
)


class LabField(StrEnum):
    EXPECTED_DATE = "expected_date"
    EXPECTED_NOTE = "expected_note"
    ASSIGNEE = "assignee"
    TAGS = "tags"
    MEMO = "memo"


F, R = LabField, Role

_PLANNERS: Final = frozenset({R.LAB_ADMIN, R.REVIEWER})
_FLOOR: Final = frozenset(LAB_ROLES - {R.SHIPPING})

FIELD_ROLES: Final[dict[LabField, frozenset[Role]]] = {
    F.EXPECTED_DATE: _PLANNERS,
    F.EXPECTED_NOTE: _PLANNERS,
    F.ASSIGNEE: _FLOOR,
    F.TAGS: frozenset(LAB_ROLES),
    F.MEMO: frozenset(LAB_ROLES),
}

FIELD_LABELS: Final[dict[LabField, str]] = {
    F.EXPECTED_DATE: "the expected date",
    F.EXPECTED_NOTE: "the expected-date note",
    F.ASSIGNEE: "the assignee",
    F.TAGS: "tags",
    F.MEMO: "the memo",
}

# Statuses in which only the lab's notes (tags, memo) still change.
NOTES_ONLY_STATUSES: Final = frozenset({Status.SHIPPED, Status.DELIVERED, Status.REJECTED})
NOTES: Final = frozenset({F.TAGS, F.MEMO})


def fields_in_status(status: Status | str) -> frozenset[LabField]:
    """The lab fields that may change while a case is in ``status`` (by anyone)."""
    current = Status(status)
    if current in FINAL_STATUSES:
        return frozenset()
    if current in NOTES_ONLY_STATUSES:
        return NOTES
    return frozenset(LabField)


def fields_for_roles(roles: Collection[Role | str]) -> frozenset[LabField]:
    """The lab fields a person holding ``roles`` may change (in a status that allows it)."""
    held = {Role(r) for r in roles}
    return frozenset(f for f, allowed in FIELD_ROLES.items() if allowed & held)


def editable_fields(status: Status | str, roles: Collection[Role | str]) -> frozenset[LabField]:
    """The lab fields a person holding ``roles`` may change on a case in ``status``."""
    return fields_in_status(status) & fields_for_roles(roles)


def check_edit(status: Status | str, roles: Collection[Role | str], fields: Iterable[str]) -> None:
    """Raise :class:`PermissionDenied` (not your role) or :class:`TransitionError` (not in this
    status) when ``fields`` may not all be changed; the message is for a person."""
    wanted = [LabField(f) for f in fields]
    mine = fields_for_roles(roles)
    for field in wanted:
        if field not in mine:
            who = sorted(ROLE_LABELS[r] for r in FIELD_ROLES[field])
            names = who[0] if len(who) == 1 else f"{', '.join(who[:-1])} and {who[-1]}"
            raise PermissionDenied(f"only {names} may change {FIELD_LABELS[field]}")
    here = fields_in_status(status)
    for field in wanted:
        if field not in here:
            label = STATUS_LABELS[Status(status)].lower()
            raise TransitionError(
                f"{FIELD_LABELS[field]} cannot change while the case is {label}".capitalize()
            )
