"""The case lifecycle: statuses, roles, actions and the transition table, as data.

This is the only copy of the rules. The server enforces them with :func:`apply`; the
workstation calls :func:`allowed_actions` to offer only what a person may do, and
:func:`why_not` to say why something is not offered.

The table mirrors ``shared/DESIGN.md`` ("The case lifecycle"). Special targets:
``accept`` goes to ``invoicing`` when the case needs a quote; ``qc_pass`` keeps the case in
``qc`` and marks it signed off; ``qc_fail`` goes back to ``production`` or ``finishing``;
``resume`` returns to the status the case was in before ``on_hold``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from labdesk.errors import KnownError


class Status(StrEnum):
    RECEIVED = "received"
    REJECTED = "rejected"
    INVOICING = "invoicing"
    DESIGN = "design"
    PRODUCTION = "production"
    FINISHING = "finishing"
    QC = "qc"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    ON_HOLD = "on_hold"
    CANCELLED = "cancelled"
    REMAKE_REQUESTED = "remake_requested"


class Role(StrEnum):
    LAB_ADMIN = "lab_admin"
    REVIEWER = "reviewer"
    DESIGNER = "designer"
    PRODUCTION_TECH = "production_tech"
    CERAMIST = "ceramist"
    FINISHING_TECH = "finishing_tech"
    QC_MANAGER = "qc_manager"
    SHIPPING = "shipping"
    DENTIST = "dentist"
    SYSTEM = "system"


class Action(StrEnum):
    SUBMIT = "submit"
    RESUBMIT = "resubmit"
    ACCEPT = "accept"
    REJECT = "reject"
    ACCEPT_QUOTE = "accept_quote"
    START_PRODUCTION = "start_production"
    START_FINISHING = "start_finishing"
    SEND_TO_QC = "send_to_qc"
    QC_PASS = "qc_pass"
    QC_FAIL = "qc_fail"
    SHIP = "ship"
    DELIVER = "deliver"
    HOLD = "hold"
    RESUME = "resume"
    CANCEL = "cancel"
    REQUEST_REMAKE = "request_remake"


class LifecycleError(KnownError):
    """A transition that the rules do not allow; the message is meant for a person."""


class TransitionError(LifecycleError):
    """The action is not possible in the case's current status."""


class PermissionDenied(LifecycleError):
    """The action is possible, but not for the roles the person holds."""


S, R, A = Status, Role, Action

FINAL_STATUSES: Final = frozenset({S.CANCELLED, S.REMAKE_REQUESTED})
WORKING_STATUSES: Final = frozenset(
    {S.RECEIVED, S.INVOICING, S.DESIGN, S.PRODUCTION, S.FINISHING, S.QC}
)
LAB_ROLES: Final = frozenset(set(Role) - {R.DENTIST, R.SYSTEM})
QC_BACK_TO: Final = (S.PRODUCTION, S.FINISHING)
# The case has left the lab's hands: sent out (shipped, delivered) or back to the clinic
# (rejected). Its due date is no longer the lab's worry and only tags and memo may change.
LEFT_THE_LAB: Final = frozenset({S.SHIPPED, S.DELIVERED, S.REJECTED})


@dataclass(frozen=True)
class Transition:
    """One row of the table. ``target`` is None where the target is computed (see module doc).

    ``signed_off`` restricts the row to cases that are (True) or are not (False) signed off by
    QC; None means it does not matter.
    """

    action: Action
    sources: frozenset[Status | None]
    target: Status | None
    roles: frozenset[Role]
    required: frozenset[str] = frozenset()
    signed_off: bool | None = None


def _row(
    action: Action,
    sources: Iterable[Status | None],
    target: Status | None,
    roles: Iterable[Role],
    required: Iterable[str] = (),
    signed_off: bool | None = None,
) -> Transition:
    return Transition(
        action, frozenset(sources), target, frozenset(roles), frozenset(required), signed_off
    )


TRANSITIONS: Final[tuple[Transition, ...]] = (
    _row(A.SUBMIT, [None], S.RECEIVED, [R.DENTIST, R.SYSTEM]),
    _row(A.RESUBMIT, [S.REJECTED], S.RECEIVED, [R.DENTIST]),
    _row(A.ACCEPT, [S.RECEIVED], None, [R.LAB_ADMIN, R.REVIEWER]),
    _row(A.REJECT, [S.RECEIVED], S.REJECTED, [R.LAB_ADMIN, R.REVIEWER], ["reason_code"]),
    _row(A.ACCEPT_QUOTE, [S.INVOICING], S.DESIGN, [R.DENTIST]),
    _row(A.START_PRODUCTION, [S.DESIGN], S.PRODUCTION, [R.LAB_ADMIN, R.DESIGNER]),
    _row(A.START_FINISHING, [S.PRODUCTION], S.FINISHING, [R.LAB_ADMIN, R.PRODUCTION_TECH]),
    _row(A.SEND_TO_QC, [S.FINISHING], S.QC, [R.LAB_ADMIN, R.CERAMIST, R.FINISHING_TECH]),
    _row(A.QC_PASS, [S.QC], S.QC, [R.LAB_ADMIN, R.QC_MANAGER], ["checklist"], signed_off=False),
    _row(A.QC_FAIL, [S.QC], None, [R.LAB_ADMIN, R.QC_MANAGER], ["reason"]),
    _row(A.SHIP, [S.QC], S.SHIPPED, [R.LAB_ADMIN, R.SHIPPING],
         ["carrier", "tracking_number"], signed_off=True),
    _row(A.DELIVER, [S.SHIPPED], S.DELIVERED, [R.SYSTEM, R.DENTIST, R.LAB_ADMIN]),
    _row(A.HOLD, WORKING_STATUSES, S.ON_HOLD, [R.LAB_ADMIN, R.SYSTEM], ["reason"]),
    _row(A.RESUME, [S.ON_HOLD], None, [R.LAB_ADMIN]),
    _row(A.CANCEL, [S.RECEIVED, S.REJECTED, S.INVOICING, S.DESIGN], S.CANCELLED,
         [R.DENTIST], ["reason"]),
    _row(A.CANCEL, set(Status) - FINAL_STATUSES - {S.DELIVERED}, S.CANCELLED,
         [R.LAB_ADMIN], ["reason"]),
    _row(A.REQUEST_REMAKE, [S.SHIPPED, S.DELIVERED], S.REMAKE_REQUESTED, [R.DENTIST],
         ["reason"]),
)  # fmt: skip

ACTION_LABELS: Final[dict[Action, str]] = {
    A.SUBMIT: "Submit",
    A.RESUBMIT: "Resubmit",
    A.ACCEPT: "Accept case",
    A.REJECT: "Reject case",
    A.ACCEPT_QUOTE: "Accept quote",
    A.START_PRODUCTION: "Design done → production",
    A.START_FINISHING: "Production done → finishing",
    A.SEND_TO_QC: "Finishing done → QC",
    A.QC_PASS: "QC sign-off",
    A.QC_FAIL: "QC fail",
    A.SHIP: "Ship",
    A.DELIVER: "Confirm delivery",
    A.HOLD: "Put on hold",
    A.RESUME: "Resume",
    A.CANCEL: "Cancel case",
    A.REQUEST_REMAKE: "Request remake",
}

STATUS_LABELS: Final[dict[Status, str]] = {
    S.RECEIVED: "Received",
    S.REJECTED: "Rejected",
    S.INVOICING: "Invoicing",
    S.DESIGN: "Design",
    S.PRODUCTION: "Production",
    S.FINISHING: "Finishing",
    S.QC: "QC",
    S.SHIPPED: "Shipped",
    S.DELIVERED: "Delivered",
    S.ON_HOLD: "On hold",
    S.CANCELLED: "Cancelled",
    S.REMAKE_REQUESTED: "Remake requested",
}

ROLE_LABELS: Final[dict[Role, str]] = {
    R.LAB_ADMIN: "lab admins",
    R.REVIEWER: "reviewers",
    R.DESIGNER: "designers",
    R.PRODUCTION_TECH: "production techs",
    R.CERAMIST: "ceramists",
    R.FINISHING_TECH: "finishing techs",
    R.QC_MANAGER: "QC managers",
    R.SHIPPING: "shipping",
    R.DENTIST: "dentists",
    R.SYSTEM: "the system",
}

# What a role "may ..." do, for messages ("only QC managers may sign off QC").
ACTION_VERBS: Final[dict[Action, str]] = {
    A.SUBMIT: "submit cases",
    A.RESUBMIT: "resubmit cases",
    A.ACCEPT: "accept cases",
    A.REJECT: "reject cases",
    A.ACCEPT_QUOTE: "accept quotes",
    A.START_PRODUCTION: "move cases from design to production",
    A.START_FINISHING: "move cases from production to finishing",
    A.SEND_TO_QC: "send cases to QC",
    A.QC_PASS: "sign off QC",
    A.QC_FAIL: "fail QC",
    A.SHIP: "ship cases",
    A.DELIVER: "confirm delivery",
    A.HOLD: "put cases on hold",
    A.RESUME: "resume cases on hold",
    A.CANCEL: "cancel cases",
    A.REQUEST_REMAKE: "request remakes",
}

# The production steps a lab moves a case through, in order ("move on" in the workstation).
PRODUCTION_STEPS: Final[dict[Status, Action]] = {
    S.DESIGN: A.START_PRODUCTION,
    S.PRODUCTION: A.START_FINISHING,
    S.FINISHING: A.SEND_TO_QC,
}


def _roles(roles: Collection[Role | str]) -> frozenset[Role]:
    return frozenset(Role(r) for r in roles)


def _matches_state(row: Transition, status: Status | None, signed_off: bool) -> bool:
    if status not in row.sources:
        return False
    return row.signed_off is None or row.signed_off == signed_off


def allowed_actions(
    status: Status | str | None, roles: Collection[Role | str], *, signed_off: bool = False
) -> set[Action]:
    """The actions a person holding ``roles`` may take on a case in ``status``."""
    current = Status(status) if status is not None else None
    held = _roles(roles)
    return {
        row.action
        for row in TRANSITIONS
        if _matches_state(row, current, signed_off) and row.roles & held
    }


def required_fields(action: Action | str) -> set[str]:
    """Fields an action must carry (e.g. ``reason_code`` for reject)."""
    chosen = Action(action)
    return set().union(*(row.required for row in TRANSITIONS if row.action is chosen))


def who_may(action: Action | str, status: Status | str | None = None) -> set[Role]:
    """The roles that may take ``action`` (in ``status``, when given)."""
    chosen = Action(action)
    current = Status(status) if status is not None else None
    return set().union(
        *(
            row.roles
            for row in TRANSITIONS
            if row.action is chosen and (status is None or current in row.sources)
        )
    )


def why_not(
    status: Status | str | None,
    action: Action | str,
    roles: Collection[Role | str],
    *,
    signed_off: bool = False,
) -> str | None:
    """Why ``action`` is not possible, in words for a person; None when it is possible."""
    try:
        _find_row(
            Status(status) if status is not None else None,
            Action(action),
            _roles(roles),
            signed_off,
        )
    except LifecycleError as exc:
        return str(exc)
    return None


def apply(
    status: Status | str | None,
    action: Action | str,
    roles: Collection[Role | str],
    *,
    previous: Status | str | None = None,
    signed_off: bool = False,
    needs_quote: bool = False,
    back_to: Status | str | None = None,
) -> Status:
    """The status after ``action``; raises :class:`TransitionError` or :class:`PermissionDenied`.

    ``previous`` is the status before ``on_hold`` (needed by ``resume``); ``back_to`` is where
    ``qc_fail`` sends the case (``production`` or ``finishing``, default ``production``).
    """
    current = Status(status) if status is not None else None
    chosen = Action(action)
    row = _find_row(current, chosen, _roles(roles), signed_off)
    if row.target is not None:
        return row.target
    if chosen is A.ACCEPT:
        return S.INVOICING if needs_quote else S.DESIGN
    if chosen is A.QC_FAIL:
        target = Status(back_to) if back_to is not None else S.PRODUCTION
        if target not in QC_BACK_TO:
            raise TransitionError(
                f"QC can send a case back to production or finishing, not to {target.value}"
            )
        return target
    if chosen is A.RESUME:
        if previous is None or Status(previous) in (S.ON_HOLD, *FINAL_STATUSES):
            raise TransitionError(
                "this case cannot be resumed: the status it was in before the hold is unknown"
            )
        return Status(previous)
    raise AssertionError(f"no target rule for {chosen}")  # pragma: no cover


def _find_row(
    status: Status | None, action: Action, roles: frozenset[Role], signed_off: bool
) -> Transition:
    rows = [row for row in TRANSITIONS if row.action is action]
    in_state = [row for row in rows if status in row.sources]
    label = ACTION_LABELS[action]
    here = STATUS_LABELS[status] if status is not None else "new"
    if not in_state:
        if status in FINAL_STATUSES:
            raise TransitionError(f"the case is {here.lower()}; nothing more can be done with it")
        sources = {
            STATUS_LABELS[s] if s is not None else "new" for row in rows for s in row.sources
        }
        raise TransitionError(
            f"“{label}” is not possible while the case is in “{here}” "
            f"(only from: {', '.join(sorted(sources)).lower()})"
        )
    permitted = [row for row in in_state if row.roles & roles]
    if not permitted:
        allowed = sorted({ROLE_LABELS[r] for row in in_state for r in row.roles})
        who = allowed[0] if len(allowed) == 1 else f"{', '.join(allowed[:-1])} and {allowed[-1]}"
        scope = "" if len(in_state) == len(rows) else f" in “{here}”"
        raise PermissionDenied(f"only {who} may {ACTION_VERBS[action]}{scope}")
    for row in permitted:
        if row.signed_off is None or row.signed_off == signed_off:
            return row
    if action is A.SHIP:
        raise TransitionError("a case ships only after QC sign-off")
    if action is A.QC_PASS:
        raise TransitionError("this case is already signed off by QC")
    raise TransitionError(f"cannot {label} this case now")  # pragma: no cover
