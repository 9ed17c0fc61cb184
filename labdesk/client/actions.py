"""Case actions: what a person may do with a case, and the request that does it.

No widgets and no Qt: the dialogs in ``labdesk/gui/dialogs`` collect what a person types and
ask here whether it is complete and what request it makes; the workstation facade then puts
that request in the outbox. Every rule comes from the domain — who may do what from
``lifecycle``, which reasons exist and which need a note from ``reasons``, what the QC
checklist is from ``qc`` — and is only *used* here, never written down a second time.

Builders raise :class:`ActionInputError` with a message for a person (and the input it is
about) so that a dialog can keep its OK button disabled and say why.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

from labdesk.api.schemas import ActionRequest, Case, CasePatch, ChecklistEntry, ReasonOut
from labdesk.domain import notices, qc, reasons
from labdesk.domain.lifecycle import (
    ACTION_LABELS,
    FINAL_STATUSES,
    LAB_ROLES,
    PRODUCTION_STEPS,
    QC_BACK_TO,
    STATUS_LABELS,
    Action,
    LifecycleError,
    Role,
    Status,
    allowed_actions,
    apply,
    required_fields,
    who_may,
    why_not,
)
from labdesk.domain.teeth import Notation, format_teeth
from labdesk.errors import KnownError


class ActionInputError(KnownError, ValueError):
    """Input a person can fix; ``field`` names the input it is about."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


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
    Action.QC_PASS: "Ctrl+Shift+Q",
    Action.QC_FAIL: "Ctrl+Shift+Q",
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

CARRIERS: Final[tuple[str, ...]] = (
    "DHL Express",
    "UPS",
    "FedEx",
    "GLS",
    "DPD",
    "Royal Mail",
    "Lab courier",
    "Clinic pick-up",
)

# What each required field is called in a message ("Ship needs a tracking number").
_FIELD_NAMES: Final[dict[str, str]] = {
    "reason_code": "a reason",
    "reason": "a reason",
    "carrier": "a carrier",
    "tracking_number": "a tracking number",
    "checklist": "the QC checklist",
}


def command_label(command: Command) -> str:
    return ACTION_LABELS[command] if isinstance(command, Action) else EDIT_LABELS[command]


# --- what is offered -----------------------------------------------------------------------


@dataclass(frozen=True)
class Offer:
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
    offered: tuple[Offer, ...]
    unavailable: tuple[Unavailable, ...]

    @property
    def commands(self) -> tuple[Command, ...]:
        return tuple(offer.command for offer in self.offered)


def is_lab_person(roles: Collection[Role | str]) -> bool:
    return any(Role(r) in LAB_ROLES for r in roles)


def edits_allowed(case: Case, roles: Collection[Role | str]) -> set[Edit]:
    """The lab's own fields may be changed by lab people while the case is still theirs."""
    if not is_lab_person(roles) or case.status in FINAL_STATUSES:
        return set()
    if case.status in (Status.SHIPPED, Status.DELIVERED, Status.REJECTED):
        return {Edit.TAGS_MEMO}
    return set(Edit)


def offers(case: Case, roles: Collection[Role | str]) -> Offers:
    """The commands for ``roles`` on ``case``; the rest are absent, some with a hover reason.

    An absent action gets a reason when it belongs to the case's stage and someone in the lab
    could take it (a ceramist looking at a received case learns that only reviewers and lab
    admins accept), or when it waits on something (shipping before the QC sign-off).
    """
    permitted: set[Command] = set(allowed_actions(case.status, roles, signed_off=case.signed_off))
    if Action.QC_PASS in permitted:
        permitted.discard(Action.QC_FAIL)  # the QC dialog passes or fails; one entry
    permitted |= edits_allowed(case, roles)
    offered = tuple(
        Offer(command, command_label(command), SHORTCUTS[command])
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
            reason = why_not(case.status, command, roles, signed_off=case.signed_off)
            if reason:
                unavailable.append(Unavailable(command, command_label(command), sentence(reason)))
    return Offers(offered, tuple(unavailable))


def sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def next_step(case: Case, roles: Collection[Role | str]) -> Action | None:
    """The production step "move on" takes for this person, or None."""
    step = PRODUCTION_STEPS.get(case.status)
    if step is None or step not in allowed_actions(case.status, roles):
        return None
    return step


def target_status(
    case: Case, action: Action, roles: Collection[Role | str], *, back_to: Status | None = None
) -> Status:
    """Where ``action`` takes ``case`` (asked of the lifecycle, which knows the special cases)."""
    return apply(
        case.status,
        action,
        roles,
        previous=case.previous_status,
        signed_off=case.signed_off,
        needs_quote=case.needs_quote,
        back_to=back_to,
    )


def transition_text(case: Case, action: Action, roles: Collection[Role | str]) -> str:
    """``"Finishing → QC"`` for the dialogs' headline."""
    try:
        target = target_status(case, action, roles)
    except LifecycleError:
        return STATUS_LABELS[case.status]
    if target is case.status:
        return STATUS_LABELS[case.status]
    return f"{STATUS_LABELS[case.status]} → {STATUS_LABELS[target]}"


# --- requests ----------------------------------------------------------------------------


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    return text or None


def _is_missing(value: object) -> bool:
    return (
        value is None
        or value == ""
        or value == []
        or (isinstance(value, str) and not value.strip())
    )


def check_required(request: ActionRequest) -> ActionRequest:
    """Every field the lifecycle requires for the action is there."""
    for name in sorted(required_fields(request.action)):
        if _is_missing(getattr(request, name, None)):
            what = _FIELD_NAMES.get(name, name.replace("_", " "))
            raise ActionInputError(f"{ACTION_LABELS[request.action]} needs {what}.", name)
    return request


def step_request(action: Action, note: str = "") -> ActionRequest:
    """Actions with nothing to carry but an optional note: production steps, resume, deliver."""
    return check_required(ActionRequest(action=action, note=_clean(note)))


def accept_request(note: str = "") -> ActionRequest:
    return step_request(Action.ACCEPT, note)


def reject_request(
    reason_code: str | None, note: str = "", attachment_ids: Sequence[int] = ()
) -> ActionRequest:
    try:
        reason = reasons.check_rejection(reason_code, note)
    except ValueError as exc:
        field = "note" if reason_code else "reason_code"
        raise ActionInputError(sentence(str(exc)), field) from None
    return check_required(
        ActionRequest(
            action=Action.REJECT,
            reason_code=reason.code,
            reason=reason.label,
            note=_clean(note),
            attachment_ids=list(attachment_ids),
        )
    )


def default_reasons() -> list[ReasonOut]:
    """The rejection catalog the portal serves (the domain's), for when it cannot be asked."""
    return [
        ReasonOut(code=r.code, label=r.label, note_required=r.note_required)
        for r in reasons.REJECTION_REASONS
    ]


def hold_request(reason_code: str | None, note: str = "") -> ActionRequest:
    if not reason_code:
        raise ActionInputError("Choose why the case is put on hold.", "reason_code")
    try:
        reason = reasons.hold_reason(reason_code)
    except ValueError as exc:
        raise ActionInputError(sentence(str(exc)), "reason_code") from None
    if reason.note_required and not _clean(note):
        raise ActionInputError(f"The reason “{reason.label}” needs a note.", "note")
    text = _clean(note) if reason.note_required else reason.label
    return check_required(
        ActionRequest(action=Action.HOLD, reason_code=reason.code, reason=text, note=_clean(note))
    )


def cancel_request(reason: str) -> ActionRequest:
    return check_required(ActionRequest(action=Action.CANCEL, reason=_clean(reason)))


@dataclass(frozen=True)
class CheckResult:
    """One point of the QC checklist as the QC manager answered it."""

    point: str
    passed: bool | None  # None: not answered yet
    note: str = ""


def qc_request(results: Iterable[CheckResult], back_to: Status | None = None) -> ActionRequest:
    """All points pass → ``qc_pass``; any fails → ``qc_fail`` with the failed points as reason."""
    answers = {r.point: r.passed for r in results if r.passed is not None}
    notes = {r.point: r.note.strip() for r in results}
    try:
        qc.check_complete({code: bool(v) for code, v in answers.items()})
    except ValueError as exc:
        raise ActionInputError(sentence(str(exc)), "checklist") from None
    checklist = [
        ChecklistEntry(point=code, passed=bool(answers[code]), note=notes.get(code, ""))
        for code, _label in qc.CHECKLIST
    ]
    passed = {code: bool(v) for code, v in answers.items()}
    failed = qc.failed_points(passed)
    if not failed:
        return check_required(ActionRequest(action=Action.QC_PASS, checklist=checklist))
    if back_to is None:
        raise ActionInputError("Choose where the case goes back to.", "back_to")
    if back_to not in QC_BACK_TO:
        raise ActionInputError(
            f"QC sends a case back to production or finishing, not to {back_to.value}.", "back_to"
        )
    return check_required(
        ActionRequest(
            action=Action.QC_FAIL,
            reason=qc_fail_reason(passed, notes),
            checklist=checklist,
            back_to=back_to,
        )
    )


def qc_fail_reason(passed: Mapping[str, bool], notes: Mapping[str, str]) -> str:
    """``"QC failed: Contacts (too tight); Shade match"`` — the failed points, with notes."""
    failed = qc.failed_points(dict(passed))
    by_label = {label: code for code, label in qc.CHECKLIST}
    parts = []
    for label in failed:
        note = notes.get(by_label[label], "").strip()
        parts.append(f"{label} ({note})" if note else label)
    return "QC failed: " + "; ".join(parts)


def ship_request(
    carrier: str,
    tracking_number: str,
    expected_delivery: date | None = None,
    *,
    today: date | None = None,
) -> ActionRequest:
    if expected_delivery is not None and expected_delivery < (today or date.today()):
        raise ActionInputError("The expected delivery date is in the past.", "expected_delivery")
    return check_required(
        ActionRequest(
            action=Action.SHIP,
            carrier=_clean(carrier),
            tracking_number=_clean(tracking_number.replace(" ", "")),
            expected_delivery=expected_delivery,
        )
    )


def request_for_step(action: Action, note: str = "") -> ActionRequest:
    """The request of an action that carries nothing else (bulk moves, resume, deliver)."""
    if required_fields(action):
        raise ActionInputError(f"{ACTION_LABELS[action]} needs its own dialog.", "action")
    return step_request(action, note)


# --- the lab's own fields ------------------------------------------------------------------


def expected_date_patch(
    case: Case, expected: date | None, note: str, *, today: date | None = None
) -> CasePatch:
    """A new expected date; later than the clinic asked for, it needs a word to the clinic."""
    if expected is None:
        raise ActionInputError("Choose the expected date.", "expected_date")
    if expected < (today or date.today()):
        raise ActionInputError("The expected date is in the past.", "expected_date")
    if case.due_date is not None and expected > case.due_date and not _clean(note):
        raise ActionInputError(
            "The date is later than the clinic asked for: tell the clinic why in the note.",
            "expected_note",
        )
    return CasePatch(expected_date=expected, expected_note=(note or "").strip())


def assign_patch(username: str | None) -> CasePatch:
    """Assign to ``username``; no name takes the case off whoever had it (``null`` is sent:
    the portal unassigns when the field is set to nothing)."""
    return CasePatch.model_validate({"assignee": (username or "").strip() or None})


MAX_TAG_LENGTH: Final = 40


def parse_tags(text: str) -> list[str]:
    """Tags typed as ``"rush tray, Implant"``: comma-separated, trimmed, no duplicates."""
    tags: list[str] = []
    seen: set[str] = set()
    for raw in text.replace(";", ",").split(","):
        tag = " ".join(raw.split())
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise ActionInputError(
                f"The tag “{tag[:20]}…” is longer than {MAX_TAG_LENGTH} characters.", "tags"
            )
        if tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tags


def tags_memo_patch(case: Case, tags_text: str, memo: str) -> CasePatch:
    """Only what changed is sent, so two people editing different fields do not collide."""
    tags = parse_tags(tags_text)
    memo = memo.rstrip()
    changed: dict[str, object] = {}
    if tags != list(case.tags):
        changed["tags"] = tags
    if memo != case.memo:
        changed["memo"] = memo
    return CasePatch.model_validate(changed)


def patch_is_empty(patch: CasePatch) -> bool:
    """Nothing to send: the client sends exactly the fields that were set."""
    return not patch.model_fields_set


# --- what the dialogs show -----------------------------------------------------------------


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
    roles: Collection[Role | str],
    notation: Notation | str = Notation.FDI,
    opened_file_ids: Collection[int] = (),
) -> AcceptSummary:
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
    return AcceptSummary(
        items, case.due_date, target_status(case, Action.ACCEPT, roles), opened, not_opened
    )


def _teeth_text(teeth: Sequence[int], pontics: Sequence[int], notation: Notation | str) -> str:
    if not teeth:
        return "—"
    text = format_teeth(list(teeth), notation)
    if pontics:
        text += f" (pontic {format_teeth(list(pontics), notation)})"
    return text


def rejection_notice(
    case: Case,
    reason_label: str | None,
    note: str = "",
    attachment_names: Sequence[str] = (),
) -> str:
    """The message the clinic receives about the rejection: the portal's own text
    (``labdesk.domain.notices``), with the attachments it lists with the case."""
    notice = notices.rejection(
        case.number, case.patient_ref, reason_label or "(choose a reason)", note
    )
    lines = [f"Subject: {notice.subject}", "", notice.body]
    if attachment_names:
        lines += ["", "Attached to the case in the portal:"]
        lines += [f"  • {name}" for name in attachment_names]
    return "\n".join(lines)
