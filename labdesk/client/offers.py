"""What a person is offered for a case: the action bar's commands, why the others are not
theirs, where each leads, and the accept dialog's summary. No widgets, no Qt.

The lifecycle is asked once per case and person (:func:`labdesk.domain.offer.offer_for`);
:func:`offers` orders that answer for the action bar, adds the lab's own field edits
(:class:`Edit`) and keeps the domain's :class:`~labdesk.domain.offer.Offer` in
:attr:`Offers.lifecycle`, which the action flow hands to the dialogs so none asks again.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

from labdesk.api.schemas import Case
from labdesk.domain.lab_fields import LabField, editable_fields
from labdesk.domain.lifecycle import (
    ACTION_LABELS,
    LAB_ROLES,
    PRODUCTION_STEPS,
    STATUS_LABELS,
    Action,
    LifecycleError,
    Role,
    Status,
    who_may,
)
from labdesk.domain.offer import Offer, offer_for
from labdesk.domain.teeth import Notation, format_teeth


class Edit(StrEnum):
    """Changes to the lab's own fields of a case (``PATCH``), offered next to the actions."""

    EXPECTED_DATE = "expected_date"
    ASSIGN = "assign"
    TAGS_MEMO = "tags_memo"


Command = Action | Edit

EDIT_LABELS: Final[dict[Edit, str]] = {
    Edit.EXPECTED_DATE: "Expected date",
    Edit.ASSIGN: "Assign",
    Edit.TAGS_MEMO: "Tags & memo",
}

# The order of the action bar: the decision of the stage first, the exceptions last.
COMMAND_ORDER: Final[tuple[Command, ...]] = (
    Action.ACCEPT,
    Action.REJECT,
    Action.START_PRODUCTION,
    Action.START_FINISHING,
    Action.SEND_TO_QC,
    Action.QC_PASS,
    Action.QC_FAIL,
    Action.SHIP,
    Action.DELIVER,
    Action.RESUME,
    Action.HOLD,
    Action.CANCEL,
    Edit.EXPECTED_DATE,
    Edit.ASSIGN,
    Edit.TAGS_MEMO,
)

# Key sequences in Qt's portable text form; the workstation lists them in Help → Shortcuts.
# Hold and resume share a key: a case is never offered both.
SHORTCUTS: Final[dict[Command, str]] = {
    Action.ACCEPT: "Ctrl+Shift+A",
    Action.REJECT: "Ctrl+Shift+R",
    Action.START_PRODUCTION: "Ctrl+Shift+N",
    Action.START_FINISHING: "Ctrl+Shift+N",
    Action.SEND_TO_QC: "Ctrl+Shift+N",
    # K for checklist. Not Ctrl+Shift+Q: a missed Shift there is Ctrl+Q, which quits.
    Action.QC_PASS: "Ctrl+Shift+K",
    Action.QC_FAIL: "Ctrl+Shift+K",
    Action.SHIP: "Ctrl+Shift+P",  # P for parcel; Ctrl+Shift+S is the scan snapshot
    Action.DELIVER: "Ctrl+Shift+D",
    Action.HOLD: "Ctrl+Shift+H",
    Action.RESUME: "Ctrl+Shift+H",
    Action.CANCEL: "Ctrl+Shift+X",
    Edit.EXPECTED_DATE: "Ctrl+Shift+E",
    Edit.ASSIGN: "Ctrl+Shift+G",
    Edit.TAGS_MEMO: "Ctrl+Shift+T",
}

# Actions that apply to any working case; their absence is no surprise, so no hover reason.
_EVERYWHERE: Final = frozenset({Action.HOLD, Action.CANCEL})


def command_label(command: Command) -> str:
    return ACTION_LABELS[command] if isinstance(command, Action) else EDIT_LABELS[command]


def sentence(text: str) -> str:
    """``text`` as a sentence for a person: capital first, full stop last."""
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


@dataclass(frozen=True)
class OfferedCommand:
    command: Command
    label: str
    shortcut: str


@dataclass(frozen=True)
class Unavailable:
    """An action a person would expect here, with why it is not theirs to take."""

    command: Command
    label: str
    reason: str


@dataclass(frozen=True)
class Offers:
    offered: tuple[OfferedCommand, ...]
    unavailable: tuple[Unavailable, ...]
    lifecycle: Offer  # the domain's answer these were made from; hand it to the dialogs

    @property
    def commands(self) -> tuple[Command, ...]:
        return tuple(offer.command for offer in self.offered)

    def refusal(self, command: Command) -> str | None:
        """Why ``command`` is not offered, as a sentence; None when it is offered."""
        if command in self.commands:
            return None
        if command is Action.QC_FAIL and Action.QC_PASS in self.commands:
            return None  # the QC dialog passes or fails; one entry
        reason = self.lifecycle.why_not(command) if isinstance(command, Action) else None
        return sentence(reason or f"{command_label(command)} is not possible here.")


def is_lab_person(roles: Collection[Role | str]) -> bool:
    return any(Role(r) in LAB_ROLES for r in roles)


# Which lab fields each edit changes (the rule itself: labdesk/domain/lab_fields.py).
EDIT_FIELDS: Final[dict[Edit, frozenset[LabField]]] = {
    Edit.EXPECTED_DATE: frozenset({LabField.EXPECTED_DATE, LabField.EXPECTED_NOTE}),
    Edit.ASSIGN: frozenset({LabField.ASSIGNEE}),
    Edit.TAGS_MEMO: frozenset({LabField.TAGS, LabField.MEMO}),
}


def edits_allowed(case: Case, roles: Collection[Role | str]) -> set[Edit]:
    """The edits of the lab's fields these roles may make on the case now (the portal
    enforces the same rule, :func:`labdesk.domain.lab_fields.editable_fields`)."""
    allowed = editable_fields(case.status, roles)
    return {edit for edit, fields in EDIT_FIELDS.items() if fields <= allowed}


def offers(case: Case, roles: Collection[Role | str]) -> Offers:
    """The commands for ``roles`` on ``case``; the rest are absent, some with a hover reason.

    An absent action gets a reason when it belongs to the case's stage and someone in the lab
    could take it (a ceramist looking at a received case learns that only reviewers and lab
    admins accept), or when it waits on something (shipping before the QC sign-off).
    """
    lifecycle = offer_for(case, roles)
    permitted: set[Command] = set(lifecycle.allowed)
    if Action.QC_PASS in permitted:
        permitted.discard(Action.QC_FAIL)  # the QC dialog passes or fails; one entry
    permitted |= edits_allowed(case, roles)
    offered = tuple(
        OfferedCommand(command, command_label(command), SHORTCUTS[command])
        for command in COMMAND_ORDER
        if command in permitted
    )
    unavailable: list[Unavailable] = []
    if is_lab_person(roles):
        for command in COMMAND_ORDER:
            if not isinstance(command, Action) or command in permitted or command in _EVERYWHERE:
                continue
            if command is Action.QC_FAIL:
                continue  # the QC dialog is one entry; QC_PASS carries the reason
            if not who_may(command, case.status) & LAB_ROLES:
                continue
            reason = lifecycle.why_not(command)
            if reason:
                unavailable.append(Unavailable(command, command_label(command), sentence(reason)))
    return Offers(offered, tuple(unavailable), lifecycle)


def next_step(case: Case, roles: Collection[Role | str]) -> Action | None:
    """The production step "move on" takes for this person, or None."""
    step = PRODUCTION_STEPS.get(case.status)
    if step is None or not offer_for(case, roles).may(step):
        return None
    return step


def transition_text(offer: Offer, action: Action) -> str:
    """``"Finishing → QC"`` for the dialogs' headline."""
    here = offer.case.status
    try:
        target = offer.target(action)
    except LifecycleError:
        return STATUS_LABELS[here]
    if target is here:
        return STATUS_LABELS[here]
    return f"{STATUS_LABELS[here]} → {STATUS_LABELS[target]}"


# --- what the accept dialog shows ------------------------------------------------------------


@dataclass(frozen=True)
class ItemLine:
    name: str
    material: str
    shade: str
    teeth: str


@dataclass(frozen=True)
class AcceptSummary:
    items: tuple[ItemLine, ...]
    due_date: date | None
    goes_to: Status
    files_opened: tuple[str, ...]
    files_not_opened: tuple[str, ...]


def accept_summary(
    case: Case,
    offer: Offer,
    notation: Notation | str = Notation.FDI,
    opened_file_ids: Collection[int] = (),
) -> AcceptSummary:
    """What the reviewer accepts: the items, the due date, where the case goes (``offer``
    knows: design, or invoicing when it needs a quote) and which files were looked at."""
    items = tuple(
        ItemLine(
            name=item.catalog_name,
            material=item.material or "—",
            shade=item.shade or "—",
            teeth=_teeth_text(item.teeth, item.pontics, notation),
        )
        for item in case.items
    )
    opened = tuple(f.filename for f in case.files if f.id in opened_file_ids)
    not_opened = tuple(f.filename for f in case.files if f.id not in opened_file_ids)
    return AcceptSummary(items, case.due_date, offer.target(Action.ACCEPT), opened, not_opened)


def _teeth_text(teeth: Sequence[int], pontics: Sequence[int], notation: Notation | str) -> str:
    if not teeth:
        return "—"
    text = format_teeth(list(teeth), notation)
    if pontics:
        text += f" (pontic {format_teeth(list(pontics), notation)})"
    return text
