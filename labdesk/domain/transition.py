"""What an action does to a case's lifecycle state: the status it goes to *and* what changes
with it (the status before a hold, the QC sign-off).

One home for both sides: the portal records this change (``labdesk.server.actions``) and the
workstation predicts it for a case whose action still waits in the outbox
(``labdesk.cache.optimistic``), shows where a step leads (``labdesk.client.offers``,
``labdesk.client.bulk``) and the demo walks its cases through it. Anything else an action
records (carrier, QC checklist, who signed off when) is data the request carries, stored by
the portal, not a rule.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Protocol

from labdesk.domain import lifecycle
from labdesk.domain.lifecycle import Action, Role, Status


class LifecycleState(Protocol):
    """What the lifecycle needs of a case: the wire ``Case``, the portal's row and
    :class:`CaseState` all have it (statuses as ``Status`` or their text)."""

    @property
    def status(self) -> str | None: ...

    @property
    def previous_status(self) -> str | None: ...

    @property
    def signed_off(self) -> bool: ...

    @property
    def needs_quote(self) -> bool: ...


@dataclass(frozen=True)
class CaseState:
    """A case's lifecycle state after an action; copy these fields onto the case."""

    status: Status
    previous_status: Status | None
    signed_off: bool
    needs_quote: bool


def state_of(case: LifecycleState) -> CaseState:
    """``case``'s lifecycle state with the statuses parsed (a new case has none: received)."""
    previous = case.previous_status
    return CaseState(
        Status(case.status) if case.status is not None else Status.RECEIVED,
        Status(previous) if previous else None,
        bool(case.signed_off),
        bool(case.needs_quote),
    )


def apply_to(
    case: LifecycleState,
    action: Action | str,
    roles: Collection[Role | str],
    *,
    back_to: Status | str | None = None,
) -> CaseState:
    """``case`` after ``action`` by a person holding ``roles``.

    Raises :class:`~labdesk.domain.lifecycle.TransitionError` or
    :class:`~labdesk.domain.lifecycle.PermissionDenied` (both ``LifecycleError``) when the
    action is not possible. ``back_to`` is where ``qc_fail`` sends the case.
    """
    chosen = Action(action)
    current = Status(case.status) if case.status is not None else None
    previous = Status(case.previous_status) if case.previous_status else None
    target = lifecycle.apply(
        current,
        chosen,
        roles,
        previous=previous,
        signed_off=bool(case.signed_off),
        needs_quote=bool(case.needs_quote),
        back_to=back_to,
    )
    signed_off = bool(case.signed_off)
    if chosen is Action.HOLD:
        previous = current
    elif chosen is Action.RESUME:
        previous = None
    if chosen is Action.QC_PASS:
        signed_off = True
    elif chosen is Action.QC_FAIL:
        signed_off = False
    return CaseState(target, previous, signed_off, bool(case.needs_quote))
