"""What a case will look like once the portal has applied the queued actions and changes.

Only a prediction for the screen: the portal decides. Used when an action is queued (with
the person's real roles, so an impossible action is refused at once) and whenever the
portal's copy of a pending case changes (then without a role check: the roles were checked
when the action was queued). The outbox holds two kinds of intent: an action
(``ActionRequest``, ``POST /cases/{id}/actions``) and a change of the lab's own fields
(``CasePatch``, ``PATCH /cases/{id}``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Final

from labdesk.api.schemas import ActionRequest, Case, CasePatch, wire_body
from labdesk.domain import lifecycle
from labdesk.domain.lifecycle import Role
from labdesk.domain.transition import apply_to

ALL_ROLES: frozenset[Role] = frozenset(Role)

Intent = ActionRequest | CasePatch
PATCH: Final = "patch"  # the outbox's ``action`` column for a CasePatch


def intent_kind(intent: Intent) -> str:
    """What the outbox's ``action`` column says: the action's name, or ``"patch"``."""
    return PATCH if isinstance(intent, CasePatch) else intent.action.value


# The outbox stores the exact body that will be sent; the wire format has one serializer.
intent_body = wire_body


def parse_intent(kind: str, body: str) -> Intent:
    if kind == PATCH:
        return CasePatch.model_validate_json(body)
    return ActionRequest.model_validate_json(body)


def apply_patch(case: Case, patch: CasePatch) -> Case:
    """The case with the lab's fields of ``patch`` changed (only those that were set)."""
    fields = patch.model_fields_set
    update: dict[str, object] = {
        name: getattr(patch, name) for name in fields if name in Case.model_fields
    }
    for text in ("expected_note", "memo", "instructions"):  # the portal stores "" for none
        if text in update and update[text] is None:
            update[text] = ""
    if "assignee" in fields and patch.assignee != case.assignee:
        update["assignee_name"] = None  # the portal's answer brings the name
    return case.model_copy(update=update)


def patch_applied(case: Case, patch: CasePatch) -> bool:
    """Whether ``case`` already has every field ``patch`` sets (a change that reached the
    portal though its answer was lost)."""
    return apply_patch(case, patch).model_dump(include=patch.model_fields_set) == case.model_dump(
        include=patch.model_fields_set
    )


def apply_intent(case: Case, intent: Intent, roles: Collection[Role | str]) -> Case:
    if isinstance(intent, CasePatch):
        return apply_patch(case, intent)
    return apply_action(case, intent, roles)


def apply_action(case: Case, request: ActionRequest, roles: Collection[Role | str]) -> Case:
    """The case after ``request``; raises ``lifecycle.LifecycleError`` when impossible."""
    after = apply_to(case, request.action, roles, back_to=request.back_to)
    return case.model_copy(
        update={
            "status": after.status,
            "previous_status": after.previous_status,
            "signed_off": after.signed_off,
        }
    )


def overlay(server_case: Case, intents: Iterable[Intent]) -> Case:
    """The portal's case with the queued intents applied in order, as far as they apply."""
    case = server_case
    for intent in intents:
        try:
            case = apply_intent(case, intent, ALL_ROLES)
        except lifecycle.LifecycleError:
            break  # the push will turn it into a conflict; show the portal's state
    return case
