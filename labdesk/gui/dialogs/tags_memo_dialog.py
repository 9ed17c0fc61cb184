"""Tags (for finding and grouping cases) and the lab's memo; only what changed is sent."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from labdesk.api.schemas import Case, CasePatch
from labdesk.client import patches
from labdesk.domain.required import ActionInputError
from labdesk.gui.dialogs.common import (
    case_line,
    setup_buttons,
    show_problem,
    style_dialog,
    use_form,
)
from labdesk.gui.forms.ui_tags_memo_dialog import Ui_TagsMemoDialog


class TagsMemoDialog(QDialog):
    def __init__(self, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = use_form(self, Ui_TagsMemoDialog())
        style_dialog(self)
        self.case = case
        self.setWindowTitle(f"Tags and memo — {case.number}")
        self.ui.headline.setText(f"Tags and memo: {case.number}")
        self.ui.caseLabel.setText(case_line(case))
        self.ok = setup_buttons(self.ui.buttonBox, "&Save")
        self.ui.buttonBox.accepted.connect(self.on_ok_clicked)
        self.ui.buttonBox.rejected.connect(self.reject)
        self.ui.tagsEdit.setText(", ".join(case.tags))
        self.ui.memoEdit.setPlainText(case.memo)
        self.ui.tagsEdit.textChanged.connect(self.on_input_changed)
        self.ui.memoEdit.textChanged.connect(self.on_input_changed)
        self.on_input_changed()
        self.ui.tagsEdit.setFocus()

    def patch(self) -> CasePatch:
        return patches.tags_memo_patch(
            self.case, self.ui.tagsEdit.text(), self.ui.memoEdit.toPlainText()
        )

    def on_input_changed(self) -> None:
        try:
            changed = not patches.patch_is_empty(self.patch())
            problem = ""
        except ActionInputError as exc:
            changed, problem = False, str(exc)
        show_problem(self.ui.problemLabel, self.ok, problem)
        self.ok.setEnabled(changed)
        self.ok.setToolTip(problem or ("" if changed else "Nothing changed yet."))

    def on_ok_clicked(self) -> None:
        if self.ok.isEnabled():
            self.accept()
