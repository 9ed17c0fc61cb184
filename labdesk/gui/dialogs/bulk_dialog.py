"""Confirm one step for several cases: which cases it applies to, which it skips and why."""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtWidgets import QDialog, QHeaderView, QTableWidgetItem, QWidget

from labdesk.api.schemas import ActionRequest
from labdesk.client import actions
from labdesk.client.bulk import BulkPlan, step_preview
from labdesk.domain.lifecycle import ACTION_LABELS, STATUS_LABELS, Role
from labdesk.gui.dialogs.common import setup_buttons, style_dialog, use_form
from labdesk.gui.forms.ui_bulk_dialog import Ui_BulkDialog
from labdesk.gui.theme import current_palette


class BulkDialog(QDialog):
    def __init__(
        self,
        plan: BulkPlan,
        roles: Collection[Role | str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = use_form(self, Ui_BulkDialog())
        style_dialog(self)
        self.plan = plan
        label = ACTION_LABELS[plan.action]
        n = len(plan.eligible)
        self.setWindowTitle(f"{label} — {plan.total} cases")
        self.ui.headline.setText(label)
        skipped = len(plan.refused)
        summary = f"For {n} of the {plan.total} selected cases."
        if skipped:
            summary += f" {skipped} will be skipped (see why below)."
        summary += " Each case is applied on its own; you get the result for each."
        self.ui.summaryLabel.setText(summary)
        self.ok = setup_buttons(self.ui.buttonBox, f"&Apply to {n} case{'s' if n != 1 else ''}")
        self.ok.setEnabled(n > 0)
        self.ui.buttonBox.accepted.connect(self.accept)
        self.ui.buttonBox.rejected.connect(self.reject)

        refused = {o.case_id: o.message for o in plan.refused}
        table = self.ui.casesTable
        rows = [*plan.eligible, *plan.skipped]
        table.setRowCount(len(rows))
        muted = current_palette().muted
        for row, case in enumerate(rows):
            will = (
                f"Skipped: {refused[case.id]}"
                if case.id in refused
                else step_preview(case, plan.action, roles)
            )
            cells = (case.number, case.patient, STATUS_LABELS[case.status], will)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if case.id in refused:
                    item.setForeground(muted)
                    item.setToolTip(refused[case.id])
                table.setItem(row, col, item)
        header = table.horizontalHeader()
        for col in (0, 1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.ok.setFocus()

    def request(self) -> ActionRequest:
        return actions.request_for_step(self.plan.action, self.ui.noteEdit.text())
