"""Change the lab's expected date, with a note to the clinic (needed when it is later than
the clinic asked for)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog, QWidget

from labdesk.api.schemas import Case, CasePatch
from labdesk.client import patches
from labdesk.gui.dialogs.common import (
    case_line,
    due_html,
    input_problem,
    setup_buttons,
    show_problem,
    style_dialog,
    use_form,
)
from labdesk.gui.dialogs.ship_dialog import from_qdate, to_qdate
from labdesk.gui.forms.ui_expected_date_dialog import Ui_ExpectedDateDialog


class ExpectedDateDialog(QDialog):
    def __init__(
        self, case: Case, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self.ui = use_form(self, Ui_ExpectedDateDialog())
        style_dialog(self)
        self.case = case
        self.today = today or date.today()
        self.setWindowTitle(f"Expected date — {case.number}")
        self.ui.headline.setText(f"Expected date: {case.number}")
        self.ui.caseLabel.setText(case_line(case))
        self.ok = setup_buttons(self.ui.buttonBox, "&Save date")
        self.ui.buttonBox.accepted.connect(self.on_ok_clicked)
        self.ui.buttonBox.rejected.connect(self.reject)
        self.ui.dueLabel.setText(due_html(case.due_date, rush=case.rush, today=self.today))
        edit = self.ui.expectedEdit
        edit.setMinimumDate(to_qdate(self.today))
        start = case.expected_date or case.due_date or self.today
        edit.setDate(to_qdate(max(start, self.today)))
        self.ui.noteEdit.setPlainText(case.expected_note)
        edit.dateChanged.connect(self.on_input_changed)
        self.ui.noteEdit.textChanged.connect(self.on_input_changed)
        self.on_input_changed()
        edit.setFocus()

    def set_date(self, day: date) -> None:
        self.ui.expectedEdit.setDate(to_qdate(day))

    def patch(self) -> CasePatch:
        return patches.expected_date_patch(
            self.case,
            from_qdate(self.ui.expectedEdit.date()),
            self.ui.noteEdit.toPlainText(),
            today=self.today,
        )

    def on_input_changed(self) -> None:
        show_problem(self.ui.problemLabel, self.ok, input_problem(self.patch))

    def on_ok_clicked(self) -> None:
        if self.ok.isEnabled():
            self.accept()
