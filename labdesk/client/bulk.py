"""One step for many cases, and the conflicts that come back: plain data, no Qt.

A bulk step (a tray of crowns out of finishing) is planned against each case's own status and
the person's roles — the lifecycle says which cases it applies to and why not the others —
then queued case by case through the outbox. Each case ends on its own: done (the portal
applied it), conflict (someone changed the case first; it waits under "Needs attention"),
refused (not possible for this case), or still waiting to be sent (offline).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Final

from labdesk.api.schemas import ActionRequest, Case, CasePatch
from labdesk.client.inbox_rows import InboxRow
from labdesk.client.offers import COMMAND_ORDER, Edit, edits_allowed, sentence
from labdesk.domain.lifecycle import (
    ACTION_LABELS,
    LAB_ROLES,
    STATUS_LABELS,
    Action,
    LifecycleError,
    Role,
    Status,
    required_fields,
    why_not,
)
from labdesk.domain.patients import patient_label
from labdesk.domain.transition import apply_to


class Outcome(StrEnum):
    DONE = "done"
    CONFLICT = "conflict"
    REFUSED = "refused"
    PENDING = "pending"


OUTCOME_LABELS: Final[dict[Outcome, str]] = {
    Outcome.DONE: "Done",
    Outcome.CONFLICT: "Conflict",
    Outcome.REFUSED: "Refused",
    Outcome.PENDING: "Waiting to be sent",
}


@dataclass(frozen=True)
class CaseOutcome:
    case_id: int
    number: str
    outcome: Outcome
    message: str = ""


@dataclass(frozen=True)
class BulkCase:
    """What a bulk step needs of a case: a full ``Case`` or an inbox row both make one."""

    id: int
    number: str
    patient: str
    status: Status
    signed_off: bool = False
    previous_status: Status | None = None  # unknown for an inbox row
    needs_quote: bool = False

    @classmethod
    def of(cls, item: Case | InboxRow | BulkCase) -> BulkCase:
        if isinstance(item, BulkCase):
            return item
        if isinstance(item, InboxRow):
            return cls(item.case_id, item.number, item.patient, item.status, item.signed_off)
        patient = patient_label(
            item.share_patient_name, item.patient_name, item.patient_initials, item.patient_ref
        )
        return cls(
            item.id, item.number, patient, item.status, item.signed_off,
            item.previous_status, item.needs_quote,
        )  # fmt: skip


@dataclass(frozen=True)
class BulkPlan:
    """Which of the chosen cases the step applies to, and why not the others."""

    action: Action
    eligible: tuple[BulkCase, ...]
    refused: tuple[CaseOutcome, ...]
    skipped: tuple[BulkCase, ...] = ()  # the cases of ``refused``

    @property
    def total(self) -> int:
        return len(self.eligible) + len(self.refused)


def bulk_actions() -> frozenset[Action]:
    """Steps that carry nothing case-specific, so one confirmation can cover many cases."""
    return frozenset(a for a in Action if not required_fields(a)) - {
        Action.ACCEPT,  # each case is reviewed on its own
        Action.SUBMIT,
        Action.RESUBMIT,
        Action.ACCEPT_QUOTE,
    }


def bulk_choices(
    cases: Iterable[Case | InboxRow | BulkCase], roles: Collection[Role | str]
) -> list[tuple[Action, int]]:
    """The steps one confirmation may apply to the chosen cases, in the action bar's order,
    each with how many of the cases it applies to (the others are skipped, with why)."""
    chosen = [BulkCase.of(c) for c in cases]
    steps = bulk_actions()
    choices: list[tuple[Action, int]] = []
    for command in COMMAND_ORDER:
        if not isinstance(command, Action) or command not in steps:
            continue
        n = sum(why_not(c.status, command, roles, signed_off=c.signed_off) is None for c in chosen)
        if n:
            choices.append((command, n))
    return choices


def plan_bulk(
    cases: Iterable[Case | InboxRow | BulkCase], action: Action, roles: Collection[Role | str]
) -> BulkPlan:
    if action not in bulk_actions():
        raise ValueError(f"“{ACTION_LABELS[action]}” is taken one case at a time")
    eligible: list[BulkCase] = []
    skipped: list[BulkCase] = []
    refused: list[CaseOutcome] = []
    seen: set[int] = set()
    for item in cases:
        case = BulkCase.of(item)
        if case.id in seen:
            continue
        seen.add(case.id)
        reason = why_not(case.status, action, roles, signed_off=case.signed_off)
        if reason is None:
            eligible.append(case)
        else:
            skipped.append(case)
            refused.append(CaseOutcome(case.id, case.number, Outcome.REFUSED, sentence(reason)))
    return BulkPlan(action, tuple(eligible), tuple(refused), tuple(skipped))


def step_preview(case: BulkCase, action: Action, roles: Collection[Role | str]) -> str:
    """``"→ QC"`` for a case the step applies to."""
    if action is Action.RESUME and case.previous_status is None:
        return "→ where it was before the hold"
    try:
        target = apply_to(case, action, roles).status
    except LifecycleError as exc:
        return sentence(str(exc))
    return f"→ {STATUS_LABELS[target]}"


@dataclass
class BulkResult:
    """Every chosen case with how it ended; built up while the outbox reports."""

    action: Action
    outcomes: dict[int, CaseOutcome] = field(default_factory=dict)
    order: list[int] = field(default_factory=list)

    @classmethod
    def from_plan(cls, plan: BulkPlan) -> BulkResult:
        result = cls(plan.action)
        for case in plan.eligible:
            result.set(CaseOutcome(case.id, case.number, Outcome.PENDING))
        for refused in plan.refused:
            result.set(refused)
        return result

    def set(self, outcome: CaseOutcome) -> None:
        if outcome.case_id not in self.outcomes:
            self.order.append(outcome.case_id)
        self.outcomes[outcome.case_id] = outcome

    def rows(self) -> list[CaseOutcome]:
        return [self.outcomes[i] for i in self.order]

    def count(self, outcome: Outcome) -> int:
        return sum(1 for o in self.outcomes.values() if o.outcome is outcome)

    @property
    def done(self) -> int:
        return self.count(Outcome.DONE)

    @property
    def conflicts(self) -> int:
        return self.count(Outcome.CONFLICT)

    @property
    def refused(self) -> int:
        return self.count(Outcome.REFUSED)

    @property
    def pending(self) -> int:
        return self.count(Outcome.PENDING)

    @property
    def finished(self) -> bool:
        return self.pending == 0

    def summary(self) -> str:
        """``"18 done, 2 conflicts"`` (only the parts that are not zero)."""
        parts = [
            (self.done, "done", "done"),
            (self.conflicts, "conflict", "conflicts"),
            (self.refused, "refused", "refused"),
            (self.pending, "waiting to be sent", "waiting to be sent"),
        ]
        text = [f"{n} {one if n == 1 else many}" for n, one, many in parts if n]
        return ", ".join(text) or "nothing to do"


# --- conflicts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ConflictView:
    """The person's intent and the portal's case, side by side, and what they may do now."""

    title: str
    intent: str  # what the person did, in words
    made_on: str  # the state they did it on
    current: str  # the case on the portal now
    changed_by: str  # who changed it last, when, how (from the history)
    message: str  # what the portal said
    can_apply_again: bool
    why_not_again: str  # when it cannot be applied again


KIND_TEXT: Final[dict[str, str]] = {
    "stale": "Someone changed this case after you last saw it, so your action was not applied.",
    "transition": "The case is no longer in a status where your action is possible.",
    "rejected": "The portal refused your action.",
}


# Which of the lab's fields a change touches, and the edit that offers it.
_PATCH_EDITS: Final[dict[str, Edit]] = {
    "expected_date": Edit.EXPECTED_DATE,
    "expected_note": Edit.EXPECTED_DATE,
    "assignee": Edit.ASSIGN,
    "tags": Edit.TAGS_MEMO,
    "memo": Edit.TAGS_MEMO,
}


def describe_patch(patch: CasePatch) -> str:
    """``"Change — expected date: 02 Dec 2026 — note: …"``: what the change sets."""
    fields = patch.model_fields_set
    parts = ["Change"]
    if "expected_date" in fields:
        day = patch.expected_date
        parts.append(f"expected date: {day:%d %b %Y}" if day else "no expected date")
    if "expected_note" in fields and patch.expected_note:
        parts.append(f"note: {patch.expected_note}")
    if "assignee" in fields:
        parts.append(f"assign to {patch.assignee}" if patch.assignee else "unassign")
    if "tags" in fields:
        parts.append("tags: " + (", ".join(patch.tags or []) or "none"))
    if "memo" in fields:
        memo = (patch.memo or "").strip()
        parts.append(f"memo: {memo[:60]}{'…' if len(memo) > 60 else ''}" if memo else "no memo")
    return " — ".join(parts)


def describe_request(request: ActionRequest | CasePatch) -> str:
    if isinstance(request, CasePatch):
        return describe_patch(request)
    parts = [ACTION_LABELS[request.action]]
    if request.reason:
        parts.append(f"reason: {request.reason}")
    if request.note:
        parts.append(f"note: {request.note}")
    if request.carrier or request.tracking_number:
        parts.append(f"{request.carrier or ''} {request.tracking_number or ''}".strip())
    if request.back_to is not None:
        parts.append(f"back to {STATUS_LABELS[request.back_to].lower()}")
    if request.attachment_ids:
        n = len(request.attachment_ids)
        parts.append(f"{n} attachment{'s' if n != 1 else ''}")
    return " — ".join(parts)


def _status_text(case: Case) -> str:
    text = STATUS_LABELS[case.status]
    if case.signed_off:
        text += " (signed off by QC)"
    return text


def conflict_view(
    intent: ActionRequest | CasePatch,
    base_version: int | None,
    kind: str,
    message: str,
    current: Case,
    roles: Collection[Role | str],
    *,
    made_at: datetime | None = None,
) -> ConflictView:
    last = current.history[-1] if current.history else None
    changed_by = ""
    if last is not None:
        changed_by = (
            f"Last change: {ACTION_LABELS[last.action]}, by {last.by_name or last.by}, "
            f"{last.at:%d %b %H:%M}"
        )
    made_on = (
        f"On the case as you saw it (version {base_version})"
        if base_version is not None
        else "On the case as you saw it"
    )
    if made_at is not None:
        made_on += f", {made_at:%d %b %H:%M}"
    if isinstance(intent, CasePatch):
        title = f"{current.number}: your change was not saved"
        needed = {_PATCH_EDITS[f] for f in intent.model_fields_set if f in _PATCH_EDITS}
        if needed <= edits_allowed(current, roles):
            reason = None
        elif needed <= edits_allowed(current, LAB_ROLES):
            reason = "your role may not make this change (ask a lab admin)"
        else:
            reason = "the case is no longer the lab's to change"
        text = KIND_TEXT.get(kind, "").replace("your action", "your change")
    else:
        title = f"{current.number}: {ACTION_LABELS[intent.action]} was not applied"
        reason = why_not(current.status, intent.action, roles, signed_off=current.signed_off)
        text = KIND_TEXT.get(kind, "")
    return ConflictView(
        title=title,
        intent=describe_request(intent),
        made_on=made_on,
        current=f"{_status_text(current)} — version {current.version}",
        changed_by=changed_by,
        message=text + (f" The portal said: {message}" if message and kind != "stale" else ""),
        can_apply_again=reason is None,
        why_not_again=sentence(reason) if reason else "",
    )
