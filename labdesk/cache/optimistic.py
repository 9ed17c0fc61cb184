"""What a case will look like once the portal has applied the queued actions.

Only a prediction for the screen: the portal decides. Used when an action is queued (with
the person's real roles, so an impossible action is refused at once) and whenever the
portal's copy of a pending case changes (then without a role check: the roles were checked
when the action was queued).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from labdesk.api.schemas import ActionRequest, Case
from labdesk.domain import lifecycle
from labdesk.domain.lifecycle import Action, Role, Status

ALL_ROLES: frozenset[Role] = frozenset(Role)


def apply_action(case: Case, request: ActionRequest, roles: Collection[Role | str]) -> Case:
    """The case after ``request``; raises ``lifecycle.LifecycleError`` when impossible."""
    target = lifecycle.apply(
        case.status,
        request.action,
        roles,
        previous=case.previous_status,
        signed_off=case.signed_off,
        needs_quote=case.needs_quote,
        back_to=request.back_to,
    )
    update: dict[str, object] = {"status": target}
    action = Action(request.action)
    if action is Action.HOLD:
        update["previous_status"] = case.status
    elif action is Action.RESUME:
        update["previous_status"] = None
    if action is Action.QC_PASS:
        update["signed_off"] = True
    elif action is Action.QC_FAIL or target in (Status.PRODUCTION, Status.FINISHING):
        update["signed_off"] = False
    return case.model_copy(update=update)


def overlay(server_case: Case, requests: Iterable[ActionRequest]) -> Case:
    """The portal's case with the queued actions applied in order, as far as they apply."""
    case = server_case
    for request in requests:
        try:
            case = apply_action(case, request, ALL_ROLES)
        except lifecycle.LifecycleError:
            break  # the push will turn it into a conflict; show the portal's state
    return case
