"""Actions that carry a reason the clinic reads: put on hold, cancel. One dialog, configured
per action.

Both ask for the same things (a reason, maybe from a catalog, and a note), say what follows
(the dentist is notified; cancelling is final) and enable OK only while the request is valid;
only the words, the catalog and the request differ, so those are a :class:`ReasonAction` and
the dialog is one class.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Final

from PySide6.QtWidgets import QDialog, QWidget

from labdesk.api.schemas import ActionRequest, Billing, Case
from labdesk.client import actions
from labdesk.domain.lifecycle import STATUS_LABELS, Action
from labdesk.domain.reasons import HOLD_REASONS
from labdesk.gui.dialogs.common import (
    case_line,
    input_problem,
    setup_buttons,
    show_problem,
    style_dialog,
    use_form,
)
from labdesk.gui.forms.ui_reason_dialog import Ui_ReasonDialog


@dataclass(frozen=True)
class ReasonAction:
    """What one reason-carrying action says and builds."""

    title: str  # with {number}: the window title and headline
    ok_text: str  # the OK button, named after what it does
    keep_text: str  # the other button, when "Cancel" would be ambiguous ("" keeps "Cancel")
    note_label: str
    note_placeholder: str
    catalog: tuple[tuple[str, str], ...]  # (code, label) to choose from; empty: the note is it
    notice: Callable[[Case], str]  # what follows, in rich text
    billing: Callable[[Case], str]  # what it does to the payment ("" when nothing)
    build: Callable[[str | None, str], ActionRequest]  # (chosen code, note) -> the request


def _hold_notice(case: Case) -> str:
    dentist = escape(case.dentist_name or "The dentist")
    return (
        f"<b>{dentist} is notified by e-mail AND SMS</b> as soon as the case is on hold, "
        "with the reason and your note. This cannot be turned off. Work stops until a lab "
        "admin resumes the case."
    )


def _cancel_billing(case: Case) -> str:
    if case.billing is Billing.PREPAY:
        return "Prepay account: the payment authorization is released."
    return ""


HOLD: Final = ReasonAction(
    title="Put case {number} on hold",
    ok_text="Put on &hold",
    keep_text="",
    note_label="&Note to the dentist:",
    note_placeholder="What the lab needs from the dentist to carry on",
    catalog=tuple((reason.code, reason.label) for reason in HOLD_REASONS),
    notice=_hold_notice,
    billing=lambda _case: "",
    build=actions.hold_request,
)

CANCEL: Final = ReasonAction(
    title="Cancel case {number}",
    # "Cancel" would name both buttons: say what each one does.
    ok_text="&Cancel the case",
    keep_text="&Keep the case",
    note_label="&Reason (the clinic sees it):",
    note_placeholder="",
    catalog=(),
    notice=lambda _case: (
        "Cancelling is final: the case cannot be resumed or reopened, and the clinic is "
        "told the reason."
    ),
    billing=_cancel_billing,
    build=lambda _code, note: actions.cancel_request(note),
)

REASON_ACTIONS: Final[dict[Action, ReasonAction]] = {Action.HOLD: HOLD, Action.CANCEL: CANCEL}


class ReasonDialog(QDialog):
    """Ask for the reason of ``what`` (:data:`HOLD`, :data:`CANCEL`) on ``case``."""

    def __init__(self, case: Case, what: ReasonAction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = use_form(self, Ui_ReasonDialog())
        style_dialog(self)
        self.case = case
        self.what = what
        title = what.title.format(number=case.number)
        self.setWindowTitle(title)
        self.ui.headline.setText(title)
        self.ui.caseLabel.setText(
            f"{case_line(case)} — now in {STATUS_LABELS[case.status].lower()}"
        )
        self.ok = setup_buttons(self.ui.buttonBox, what.ok_text, what.keep_text)
        self.ui.buttonBox.accepted.connect(self.on_ok_clicked)
        self.ui.buttonBox.rejected.connect(self.reject)
        self.ui.noticeLabel.setText(what.notice(case))
        billing = what.billing(case)
        self.ui.billingLabel.setText(billing)
        self.ui.billingLabel.setVisible(bool(billing))
        self.ui.noteLabel.setText(what.note_label)
        self.ui.noteEdit.setPlaceholderText(what.note_placeholder)
        combo = self.ui.reasonCombo
        combo.setPlaceholderText("Choose a reason…")
        for code, label in what.catalog:
            combo.addItem(label, code)
        combo.setCurrentIndex(-1)
        self.ui.reasonLabel.setVisible(bool(what.catalog))
        combo.setVisible(bool(what.catalog))
        combo.currentIndexChanged.connect(self.on_input_changed)
        self.ui.noteEdit.textChanged.connect(self.on_input_changed)
        self.on_input_changed()
        (combo if what.catalog else self.ui.noteEdit).setFocus()

    def select_reason(self, code: str) -> None:
        self.ui.reasonCombo.setCurrentIndex(self.ui.reasonCombo.findData(code))

    def request(self) -> ActionRequest:
        code = self.ui.reasonCombo.currentData()
        return self.what.build(str(code) if code else None, self.ui.noteEdit.toPlainText())

    def on_input_changed(self) -> None:
        show_problem(self.ui.problemLabel, self.ok, input_problem(self.request))

    def on_ok_clicked(self) -> None:
        if self.ok.isEnabled():
            self.accept()
