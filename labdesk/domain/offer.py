"""What one person may do with one case, asked of the lifecycle once.

An :class:`Offer` holds, for a case as it is and the roles a person holds, every action the
lifecycle allows with the status it leads to, and for every other action the reason it is
refused, in words for that person. The workstation builds it once per case shown and hands
it to the action bar and to the dialog of an action, so one action flow never asks the
lifecycle the same question twice.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from labdesk.domain.lifecycle import Action, LifecycleError, Role, Status, allowed_actions, why_not
from labdesk.domain.transition import CaseState, LifecycleState, apply_to, state_of


@dataclass(frozen=True)
class Offer:
    """The lifecycle's answer for one case and one person (see the module doc)."""

    case: CaseState
    roles: frozenset[Role]
    # action -> where it takes the case; None when the lifecycle cannot say (resume with the
    # status before the hold unknown: the dialog says so, the portal decides)
    allowed: Mapping[Action, Status | None]
    refused: Mapping[Action, str]  # action -> why not, for a person

    def may(self, action: Action) -> bool:
        return action in self.allowed

    def why_not(self, action: Action) -> str | None:
        """None when ``action`` is allowed; else the lifecycle's reason."""
        return self.refused.get(action)

    def target(self, action: Action, *, back_to: Status | None = None) -> Status:
        """Where ``action`` takes the case; raises ``LifecycleError`` when it is refused.

        ``qc_fail`` goes to production unless ``back_to`` says finishing.
        """
        if action not in self.allowed:
            raise LifecycleError(self.refused[action])
        known = self.allowed[action]
        if known is None or back_to is not None:
            return apply_to(self.case, action, self.roles, back_to=back_to).status
        return known


def offer_for(case: LifecycleState, roles: Collection[Role | str]) -> Offer:
    """Ask the lifecycle about every action for ``case`` and ``roles``, once."""
    state = state_of(case)
    held = frozenset(Role(r) for r in roles)
    status: Status | None = Status(case.status) if case.status is not None else None
    permitted = allowed_actions(status, held, signed_off=state.signed_off)
    allowed: dict[Action, Status | None] = {}
    refused: dict[Action, str] = {}
    for action in Action:
        if action in permitted:
            try:
                allowed[action] = apply_to(case, action, held).status
            except LifecycleError:
                allowed[action] = None
        else:
            refused[action] = why_not(status, action, held, signed_off=state.signed_off) or ""
    return Offer(state, held, allowed, refused)
