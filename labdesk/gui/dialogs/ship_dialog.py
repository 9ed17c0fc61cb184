"""Ship a signed-off case: carrier from the list, tracking number (required), expected
delivery. A handheld scanner types the tracking number and presses Enter: that ships."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QDialog, QWidget

from labdesk.api.schemas import ActionRequest, Billing, Case
from labdesk.client import actions
from labdesk.domain.due import add_business_days
from labdesk.gui.dialogs.common import (
    case_line,
    input_problem,
    setup_buttons,
    show_problem,
    style_dialog,
    use_form,
)
from labdesk.gui.forms.ui_ship_dialog import Ui_ShipDialog


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class ShipDialog(QDialog):
    def __init__(
        self, case: Case, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self.ui = use_form(self, Ui_ShipDialog())
        style_dialog(self)
        self.case = case
        self.today = today or date.today()
        self.setWindowTitle(f"Ship case {case.number}")
        self.ui.headline.setText(f"Ship case {case.number}")
        self.ui.caseLabel.setText(case_line(case))
        self.ok = setup_buttons(self.ui.buttonBox, "&Ship")
        self.ui.buttonBox.accepted.connect(self.on_ok_clicked)
        self.ui.buttonBox.rejected.connect(self.reject)

        combo = self.ui.carrierCombo
        combo.setPlaceholderText("Choose a carrier…")
        combo.addItems(list(actions.CARRIERS))
        combo.setCurrentIndex(-1)
        combo.currentIndexChanged.connect(self.on_input_changed)
        tracking = self.ui.trackingEdit
        tracking.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"[A-Za-z0-9\- ]{0,40}"), tracking)
        )
        tracking.textChanged.connect(self.on_input_changed)
        expected = self.ui.expectedEdit
        expected.setMinimumDate(to_qdate(self.today))
        expected.setDate(to_qdate(add_business_days(self.today, 1)))
        self.ui.expectedCheck.setChecked(True)
        self.ui.expectedCheck.toggled.connect(expected.setEnabled)
        self.ui.expectedCheck.toggled.connect(self.on_input_changed)
        expected.dateChanged.connect(self.on_input_changed)
        notice = "The dentist is notified by e-mail with the carrier and tracking number."
        if case.billing is Billing.PREPAY:
            notice += " Prepay account: the payment is captured when the case ships."
        self.ui.noticeLabel.setText(notice)
        self.on_input_changed()
        combo.setFocus()

    def set_carrier(self, name: str) -> None:
        self.ui.carrierCombo.setCurrentIndex(self.ui.carrierCombo.findText(name))

    def request(self) -> ActionRequest:
        expected = (
            from_qdate(self.ui.expectedEdit.date()) if self.ui.expectedCheck.isChecked() else None
        )
        return actions.ship_request(
            self.ui.carrierCombo.currentText() if self.ui.carrierCombo.currentIndex() >= 0 else "",
            self.ui.trackingEdit.text(),
            expected,
            today=self.today,
        )

    def on_input_changed(self) -> None:
        show_problem(self.ui.problemLabel, self.ok, input_problem(self.request))

    def on_ok_clicked(self) -> None:
        if self.ok.isEnabled():
            self.accept()
