"""Plain prompts for what an action must carry, until the action dialogs take their place.

An action with nothing to carry is queued as it is; one that needs a reason, a carrier or the
QC checklist asks for it with a standard input dialog. Every request is built by
:mod:`labdesk.services.actions`, which checks it against the lifecycle's required fields.
"""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from labdesk.api.schemas import ActionRequest, Case
from labdesk.domain import qc, reasons
from labdesk.domain.lifecycle import ACTION_LABELS, STATUS_LABELS, Action, Status
from labdesk.services import actions as rules


def _choose(parent: QWidget, title: str, label: str, options: list[str]) -> int | None:
    text, ok = QInputDialog.getItem(parent, title, label, options, 0, False)
    return options.index(text) if ok and text in options else None


def _text(parent: QWidget, title: str, label: str) -> str | None:
    text, ok = QInputDialog.getText(parent, title, label)
    return text if ok else None


def request_for(parent: QWidget, case: Case, action: Action) -> ActionRequest | None:
    """The request for ``action`` on ``case``, or None when the person cancelled.

    Raises ``actions.ActionInputError`` when what was typed is not enough.
    """
    title = f"{ACTION_LABELS[action]} — {case.number}"
    if action is Action.ACCEPT:
        answer = QMessageBox.question(
            parent, title, f"Accept case {case.number}? Acceptance cannot be undone."
        )
        return rules.accept_request() if answer == QMessageBox.StandardButton.Yes else None
    if action is Action.REJECT:
        options = [r.label for r in reasons.REJECTION_REASONS]
        i = _choose(parent, title, "Why is the case rejected?", options)
        if i is None:
            return None
        reason = reasons.REJECTION_REASONS[i]
        note = _text(parent, title, "Note for the dentist:") if reason.note_required else ""
        return None if note is None else rules.reject_request(reason.code, note)
    if action is Action.HOLD:
        options = [r.label for r in reasons.HOLD_REASONS]
        i = _choose(parent, title, "Why is the case put on hold?", options)
        if i is None:
            return None
        reason = reasons.HOLD_REASONS[i]
        note = _text(parent, title, "Explain the hold:") if reason.note_required else ""
        return None if note is None else rules.hold_request(reason.code, note)
    if action is Action.CANCEL:
        text = _text(parent, title, "Why is the case cancelled?")
        return None if text is None else rules.cancel_request(text)
    if action is Action.SHIP:
        carrier, ok = QInputDialog.getItem(parent, title, "Carrier:", list(rules.CARRIERS), 0, True)
        if not ok:
            return None
        tracking = _text(parent, title, "Tracking number:")
        return None if tracking is None else rules.ship_request(carrier, tracking)
    if action is Action.QC_PASS:
        points = ", ".join(label for _code, label in qc.CHECKLIST).lower()
        answer = QMessageBox.question(parent, title, f"Sign off QC: {points} all passed?")
        if answer != QMessageBox.StandardButton.Yes:
            return None
        return rules.qc_request([rules.CheckResult(code, True) for code, _ in qc.CHECKLIST])
    if action is Action.QC_FAIL:
        labels = [label for _code, label in qc.CHECKLIST]
        i = _choose(parent, title, "Which point failed?", labels)
        if i is None:
            return None
        where = _choose(parent, title, "Send the case back to:", [
            STATUS_LABELS[Status.PRODUCTION], STATUS_LABELS[Status.FINISHING]
        ])  # fmt: skip
        if where is None:
            return None
        results = [rules.CheckResult(code, n != i) for n, (code, _) in enumerate(qc.CHECKLIST)]
        back_to = (Status.PRODUCTION, Status.FINISHING)[where]
        return rules.qc_request(results, back_to=back_to)
    return rules.request_for_step(action)
