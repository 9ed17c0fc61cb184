"""Move a case on — the next production step, resume after a hold, confirm delivery — with
an optional note for the history. One click or Enter: the step is the default."""

from __future__ import annotations

from typing import Final

from PySide6.QtWidgets import QDialog, QWidget

from labdesk.api.schemas import ActionRequest, Billing, Case
from labdesk.client import actions, offers
from labdesk.domain.lifecycle import (
    ACTION_LABELS,
    PRODUCTION_STEPS,
    STATUS_LABELS,
    Action,
    LifecycleError,
)
from labdesk.domain.offer import Offer
from labdesk.gui.dialogs.common import case_line, setup_buttons, style_dialog, use_form
from labdesk.gui.forms.ui_step_dialog import Ui_StepDialog

EXPLANATIONS: Final[dict[Action, str]] = {
    Action.START_PRODUCTION: "The design is done; the case goes to production.",
    Action.START_FINISHING: "Production is done; the case goes to finishing.",
    Action.SEND_TO_QC: "Finishing is done; the case waits for the QC sign-off.",
    Action.DELIVER: "The clinic has received the case.",
    Action.ACCEPT_QUOTE: "The clinic accepted the quote; design can start.",
}
OK_TEXT: Final[dict[Action, str]] = {
    Action.RESUME: "&Resume",
    Action.DELIVER: "&Confirm delivery",
}


class StepDialog(QDialog):
    def __init__(
        self,
        case: Case,
        action: Action,
        offer: Offer,
        parent: QWidget | None = None,
    ) -> None:
        """``offer`` is the lifecycle's answer for this case and person (where the step
        leads), asked once by the action flow."""
        super().__init__(parent)
        self.ui = use_form(self, Ui_StepDialog())
        style_dialog(self)
        self.case, self.action = case, action
        title = ACTION_LABELS[action]
        if action in PRODUCTION_STEPS.values():
            title = "Move on"
        self.setWindowTitle(f"{title} — {case.number}")
        self.ui.headline.setText(f"{title}: {case.number}")
        self.ui.caseLabel.setText(case_line(case))
        self.ui.transitionLabel.setText(offers.transition_text(offer, action))
        self.ui.explanationLabel.setText(self._explanation())
        self.ui.explanationLabel.setVisible(bool(self.ui.explanationLabel.text()))
        font = self.ui.transitionLabel.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.ui.transitionLabel.setFont(font)
        ok_text = OK_TEXT.get(action, "&Move on")
        if action in PRODUCTION_STEPS.values():
            try:
                target = offer.target(action)
                ok_text = f"&Move to {STATUS_LABELS[target]}"
            except LifecycleError:
                pass  # the dialog is only opened for allowed steps
        self.ok = setup_buttons(self.ui.buttonBox, ok_text)
        self.ui.buttonBox.accepted.connect(self.accept)
        self.ui.buttonBox.rejected.connect(self.reject)
        self.ok.setFocus()

    def _explanation(self) -> str:
        if self.action is Action.RESUME:
            back = self.case.previous_status
            where = STATUS_LABELS[back].lower() if back else "the status it had"
            return f"Work carries on in {where}, where the case was before the hold."
        text = EXPLANATIONS.get(self.action, "")
        if self.action is Action.DELIVER and self.case.billing is Billing.NET_TERMS:
            text += " The invoice falls due from today."
        return text

    def request(self) -> ActionRequest:
        return actions.request_for_step(self.action, self.ui.noteEdit.toPlainText())
