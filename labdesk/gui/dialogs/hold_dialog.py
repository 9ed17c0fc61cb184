"""Put a case on hold: a reason is mandatory, and the dentist is told by e-mail AND SMS."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QWidget

from labdesk.api.schemas import ActionRequest, Case
from labdesk.client import actions
from labdesk.domain.lifecycle import STATUS_LABELS
from labdesk.domain.reasons import HOLD_REASONS
from labdesk.gui.dialogs.common import (
    case_line,
    input_problem,
    setup_buttons,
    show_problem,
    style_dialog,
    use_form,
)
from labdesk.gui.forms.ui_hold_dialog import Ui_HoldDialog


class HoldDialog(QDialog):
    def __init__(self, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = use_form(self, Ui_HoldDialog())
        style_dialog(self)
        self.case = case
        self.setWindowTitle(f"Put case {case.number} on hold")
        self.ui.headline.setText(f"Put case {case.number} on hold")
        self.ui.caseLabel.setText(
            f"{case_line(case)} — now in {STATUS_LABELS[case.status].lower()}"
        )
        self.ok = setup_buttons(self.ui.buttonBox, "Put on &hold")
        self.ui.buttonBox.accepted.connect(self.on_ok_clicked)
        self.ui.buttonBox.rejected.connect(self.reject)
        dentist = escape(case.dentist_name or "The dentist")
        self.ui.noticeLabel.setText(
            f"<b>{dentist} is notified by e-mail AND SMS</b> as soon as the case is on hold, "
            "with the reason and your note. This cannot be turned off. Work stops until a lab "
            "admin resumes the case."
        )
        combo = self.ui.reasonCombo
        combo.setPlaceholderText("Choose a reason…")
        for reason in HOLD_REASONS:
            combo.addItem(reason.label, reason.code)
        combo.setCurrentIndex(-1)
        combo.currentIndexChanged.connect(self.on_input_changed)
        self.ui.noteEdit.textChanged.connect(self.on_input_changed)
        self.on_input_changed()
        combo.setFocus()

    def select_reason(self, code: str) -> None:
        self.ui.reasonCombo.setCurrentIndex(self.ui.reasonCombo.findData(code))

    def request(self) -> ActionRequest:
        code = self.ui.reasonCombo.currentData()
        return actions.hold_request(str(code) if code else None, self.ui.noteEdit.toPlainText())

    def on_input_changed(self) -> None:
        show_problem(self.ui.problemLabel, self.ok, input_problem(self.request))

    def on_ok_clicked(self) -> None:
        if self.ok.isEnabled():
            self.accept()
