"""A conflict: the person's action next to the case as the portal has it now, and two explicit
choices — apply again on the current state, or discard. Deciding later keeps it waiting."""

from __future__ import annotations

from enum import StrEnum
from html import escape

from PySide6.QtWidgets import QDialog, QWidget

from labdesk.client.bulk import ConflictView
from labdesk.gui.dialogs.common import style_dialog, use_form
from labdesk.gui.forms.ui_conflict_dialog import Ui_ConflictDialog


class Choice(StrEnum):
    APPLY_AGAIN = "apply_again"
    DISCARD = "discard"
    LATER = "later"


class ConflictDialog(QDialog):
    def __init__(self, view: ConflictView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = use_form(self, Ui_ConflictDialog())
        style_dialog(self)
        self.view = view
        self.choice = Choice.LATER
        self.setWindowTitle("Needs attention")
        self.ui.headline.setText(view.title)
        self.ui.explanationLabel.setText(view.message)
        self.ui.mineLabel.setText(
            f"<b>{escape(view.intent)}</b><br><span>{escape(view.made_on)}</span>"
        )
        theirs = f"<b>{escape(view.current)}</b>"
        if view.changed_by:
            theirs += f"<br>{escape(view.changed_by)}"
        self.ui.theirsLabel.setText(theirs)
        again = self.ui.applyAgainButton
        again.setEnabled(view.can_apply_again)
        if view.can_apply_again:
            self.ui.verdictLabel.setText(
                "Your action is still possible on the case as it is now. Apply it again only if "
                "it still makes sense after the change above."
            )
        else:
            self.ui.verdictLabel.setText(
                f"It cannot be applied again: {view.why_not_again} Discard it, or decide later."
            )
            again.setToolTip(view.why_not_again)
        again.clicked.connect(self.on_apply_again_clicked)
        self.ui.discardButton.clicked.connect(self.on_discard_clicked)
        self.ui.laterButton.clicked.connect(self.reject)
        # Neither choice is the default: Enter must not decide for the person.
        self.ui.laterButton.setDefault(True)
        self.ui.laterButton.setFocus()

    def on_apply_again_clicked(self) -> None:
        self.choice = Choice.APPLY_AGAIN
        self.accept()

    def on_discard_clicked(self) -> None:
        self.choice = Choice.DISCARD
        self.accept()
