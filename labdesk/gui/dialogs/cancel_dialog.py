"""Cancel a case (lab admins): final, with a reason the clinic sees."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from labdesk.api.schemas import ActionRequest, Billing, Case
from labdesk.client import actions
from labdesk.domain.lifecycle import STATUS_LABELS
from labdesk.gui.dialogs.common import (
    case_line,
    input_problem,
    setup_buttons,
    show_problem,
    style_dialog,
    use_form,
)
from labdesk.gui.forms.ui_cancel_dialog import Ui_CancelDialog


class CancelDialog(QDialog):
    def __init__(self, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = use_form(self, Ui_CancelDialog())
        style_dialog(self)
        self.case = case
        self.setWindowTitle(f"Cancel case {case.number}")
        self.ui.headline.setText(f"Cancel case {case.number}")
        self.ui.caseLabel.setText(
            f"{case_line(case)} — now in {STATUS_LABELS[case.status].lower()}"
        )
        # "Cancel" would name both buttons: say what each one does.
        self.ok = setup_buttons(self.ui.buttonBox, "&Cancel the case", "&Keep the case")
        self.ui.buttonBox.accepted.connect(self.on_ok_clicked)
        self.ui.buttonBox.rejected.connect(self.reject)
        self.ui.warningLabel.setText(
            "Cancelling is final: the case cannot be resumed or reopened, and the clinic is "
            "told the reason."
        )
        billing = ""
        if case.billing is Billing.PREPAY:
            billing = "Prepay account: the payment authorization is released."
        self.ui.billingLabel.setText(billing)
        self.ui.billingLabel.setVisible(bool(billing))
        self.ui.reasonEdit.textChanged.connect(self.on_input_changed)
        self.on_input_changed()
        self.ui.reasonEdit.setFocus()

    def request(self) -> ActionRequest:
        return actions.cancel_request(self.ui.reasonEdit.toPlainText())

    def on_input_changed(self) -> None:
        show_problem(self.ui.problemLabel, self.ok, input_problem(self.request))

    def on_ok_clicked(self) -> None:
        if self.ok.isEnabled():
            self.accept()
