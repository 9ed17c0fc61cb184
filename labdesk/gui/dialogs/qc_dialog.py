"""QC sign-off: each checkpoint pass or fail with a note. All pass → signed off; any fail →
QC fail with the failed points as the reason, back to production or finishing (a choice the
QC manager must make: there is no silent default)."""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QDialog, QLabel, QLineEdit, QRadioButton, QWidget

from labdesk.api.schemas import ActionRequest, Case
from labdesk.client import actions
from labdesk.client.offers import sentence
from labdesk.domain import qc
from labdesk.domain.lifecycle import Action, Status
from labdesk.domain.offer import Offer
from labdesk.domain.required import ActionInputError
from labdesk.gui.dialogs.common import case_line, setup_buttons, style_dialog, use_form
from labdesk.gui.forms.ui_qc_dialog import Ui_QcDialog


class QcRow:
    """The widgets of one checkpoint."""

    def __init__(self, code: str, label: str, parent: QWidget) -> None:
        self.code = code
        self.label = QLabel(label, parent)
        self.passed = QRadioButton(parent)
        self.failed = QRadioButton(parent)
        self.passed.setAccessibleName(f"{label}: pass")
        self.failed.setAccessibleName(f"{label}: fail")
        self.passed.setToolTip(f"{label} passes")
        self.failed.setToolTip(f"{label} fails")
        self.group = QButtonGroup(parent)
        self.group.addButton(self.passed)
        self.group.addButton(self.failed)
        self.note = QLineEdit(parent)
        self.note.setPlaceholderText("What is wrong and where")
        self.note.setAccessibleName(f"{label}: note")

    def result(self) -> actions.CheckResult:
        answer = True if self.passed.isChecked() else False if self.failed.isChecked() else None
        return actions.CheckResult(self.code, answer, self.note.text())


class QcDialog(QDialog):
    def __init__(self, case: Case, offer: Offer, parent: QWidget | None = None) -> None:
        """``offer`` says whether this person may pass and fail QC here (asked once by the
        action flow)."""
        super().__init__(parent)
        self.ui = use_form(self, Ui_QcDialog())
        style_dialog(self)
        self.case, self.offer = case, offer
        self.setWindowTitle(f"QC — {case.number}")
        self.ui.headline.setText(f"QC check: {case.number}")
        self.ui.caseLabel.setText(case_line(case))
        self.ok = setup_buttons(self.ui.buttonBox, "&Sign off")
        self.ui.buttonBox.accepted.connect(self.on_ok_clicked)
        self.ui.buttonBox.rejected.connect(self.reject)

        self.rows: list[QcRow] = []
        grid = self.ui.checklistGrid
        for i, (code, label) in enumerate(qc.CHECKLIST, start=1):
            row = QcRow(code, label, self.ui.checklistFrame)
            grid.addWidget(row.label, i, 0)
            grid.addWidget(row.passed, i, 1)
            grid.addWidget(row.failed, i, 2)
            grid.addWidget(row.note, i, 3)
            row.group.buttonToggled.connect(self.on_input_changed)
            row.note.textChanged.connect(self.on_input_changed)
            self.rows.append(row)
        grid.setColumnStretch(3, 1)
        self.ui.allPassButton.clicked.connect(self.on_all_pass_clicked)
        self.ui.backToProduction.toggled.connect(self.on_input_changed)
        self.ui.backToFinishing.toggled.connect(self.on_input_changed)
        self.on_input_changed()
        self.rows[0].passed.setFocus()

    def row(self, code: str) -> QcRow:
        return next(r for r in self.rows if r.code == code)

    def back_to(self) -> Status | None:
        if self.ui.backToProduction.isChecked():
            return Status.PRODUCTION
        if self.ui.backToFinishing.isChecked():
            return Status.FINISHING
        return None

    def request(self) -> ActionRequest:
        request = actions.qc_request([r.result() for r in self.rows], self.back_to())
        if not self.offer.may(request.action):
            reason = self.offer.why_not(request.action)
            raise ActionInputError(sentence(reason or "Not possible now."))
        return request

    def on_all_pass_clicked(self) -> None:
        for row in self.rows:
            row.passed.setChecked(True)

    def on_input_changed(self) -> None:
        results = [r.result() for r in self.rows]
        failed = [r for r in results if r.passed is False]
        answered = sum(r.passed is not None for r in results)
        self.ui.backToGroup.setEnabled(bool(failed))
        for row in self.rows:
            bad = row.failed.isChecked() and not row.note.text().strip()
            row.note.setStyleSheet("QLineEdit { border: 1px solid #f59e0b; }" if bad else "")
        try:
            request = self.request()
        except ActionInputError as exc:
            self.ok.setEnabled(False)
            self.ok.setText("&Fail QC" if failed else "&Sign off")
            if answered < len(results):
                text = f"{answered} of {len(results)} checkpoints answered. {exc}"
            else:
                text = str(exc)
            self._result(text, error=answered == len(results))
            return
        self.ok.setEnabled(True)
        if request.action is Action.QC_PASS:
            self.ok.setText("&Sign off")
            self._result("All checkpoints pass: the case is signed off and can ship.")
        else:
            names = ", ".join(qc.CHECKLIST_LABELS[r.point] for r in failed)
            where = "production" if request.back_to is Status.PRODUCTION else "finishing"
            self.ok.setText("&Fail QC")
            self._result(
                f"Failed: {names}. The case goes back to {where} with these points as the reason."
            )

    def _result(self, text: str, *, error: bool = False) -> None:
        self.ui.resultLabel.setText(text)
        self.ui.resultLabel.setProperty("role", "error" if error else "")
        style = self.ui.resultLabel.style()
        style.unpolish(self.ui.resultLabel)
        style.polish(self.ui.resultLabel)

    def on_ok_clicked(self) -> None:
        if self.ok.isEnabled():
            self.accept()
