"""Action requests: what a person typed in an action's dialog, checked and turned into the
``ActionRequest`` the outbox sends. No widgets, no Qt.

The dialogs in ``labdesk/gui/dialogs`` collect the input and ask here whether it is complete
and what request it makes; the workstation then puts that request in the outbox. Every rule
comes from the domain — what an action must carry from ``required``, which reasons exist and
which need a note from ``reasons``, what the QC checklist is from ``qc`` — and is only *used*
here. What is offered to whom lives in :mod:`labdesk.client.offers`, the lab's own fields in
:mod:`labdesk.client.patches`.

Builders raise :class:`~labdesk.domain.required.ActionInputError` with a message for a person
(and the input it is about) so that a dialog can keep its OK button disabled and say why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from labdesk.api.schemas import ActionRequest, Case, ChecklistEntry, ReasonOut
from labdesk.client.offers import Command as Command
from labdesk.client.offers import sentence
from labdesk.domain import notices, qc, reasons
from labdesk.domain.lifecycle import ACTION_LABELS, QC_BACK_TO, Action, Status, required_fields
from labdesk.domain.required import ActionInputError as ActionInputError
from labdesk.domain.required import check_required

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


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    return text or None


def complete(request: ActionRequest) -> ActionRequest:
    """``request`` when it carries every field its action requires (the domain's
    :func:`~labdesk.domain.required.check_required`); raises ``ActionInputError`` otherwise."""
    check_required(request.action, dict(request))
    return request


def step_request(action: Action, note: str = "") -> ActionRequest:
    """Actions with nothing to carry but an optional note: production steps, resume, deliver."""
    return complete(ActionRequest(action=action, note=_clean(note)))


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
    return complete(
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
    return complete(
        ActionRequest(action=Action.HOLD, reason_code=reason.code, reason=text, note=_clean(note))
    )


def cancel_request(reason: str) -> ActionRequest:
    return complete(ActionRequest(action=Action.CANCEL, reason=_clean(reason)))


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
        return complete(ActionRequest(action=Action.QC_PASS, checklist=checklist))
    if back_to is None:
        raise ActionInputError("Choose where the case goes back to.", "back_to")
    if back_to not in QC_BACK_TO:
        raise ActionInputError(
            f"QC sends a case back to production or finishing, not to {back_to.value}.", "back_to"
        )
    return complete(
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
    return complete(
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
