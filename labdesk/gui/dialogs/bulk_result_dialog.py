"""How each case of a bulk step ended: done, conflict, refused, or waiting to be sent."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog, QHeaderView, QTableWidgetItem, QWidget

from labdesk.client.bulk import OUTCOME_LABELS, BulkResult, Outcome
from labdesk.domain.due import DueState
from labdesk.domain.lifecycle import ACTION_LABELS
from labdesk.gui.dialogs.common import style_dialog, use_form
from labdesk.gui.forms.ui_bulk_result_dialog import Ui_BulkResultDialog
from labdesk.gui.theme import current_palette

COUNT_WORDS = {
    Outcome.DONE: ("done", "done"),
    Outcome.CONFLICT: ("conflict", "conflicts"),
    Outcome.REFUSED: ("refused", "refused"),
    Outcome.PENDING: ("waiting to be sent", "waiting to be sent"),
}


def outcome_color(outcome: Outcome) -> QColor | None:
    palette = current_palette()
    return {
        Outcome.DONE: palette.online,
        Outcome.CONFLICT: palette.due[DueState.OVERDUE],
        Outcome.REFUSED: palette.muted,
        Outcome.PENDING: palette.due[DueState.SOON],
    }.get(outcome)


class BulkResultDialog(QDialog):
    def __init__(self, result: BulkResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = use_form(self, Ui_BulkResultDialog())
        style_dialog(self)
        self.bulk = result
        label = ACTION_LABELS[result.action]
        self.setWindowTitle(f"{label}: result")
        self.ui.buttonBox.rejected.connect(self.reject)
        self.ui.buttonBox.accepted.connect(self.accept)
        self.show_result(result)

    def show_progress(self, result: BulkResult) -> None:
        """While the outbox is still sending: the open cases read "sending…"."""
        self.show_result(result, final=False)

    def show_result(self, result: BulkResult, *, final: bool = True) -> None:
        self.bulk = result
        self.final = final
        self.ui.headline.setText(ACTION_LABELS[result.action])
        counts = []
        for outcome in Outcome:
            n = result.count(outcome)
            if n:
                color = outcome_color(outcome)
                style = f' style="color:{color.name()}"' if color is not None else ""
                words = COUNT_WORDS[outcome][n != 1]
                if outcome is Outcome.PENDING and not final:
                    words = "sending…"
                counts.append(f"<b{style}>{n} {words}</b>")
        total = len(result.outcomes)
        self.ui.summaryLabel.setText(f"{total} cases: " + " · ".join(counts))
        rows = result.rows()
        # Problems first: they are what the person must look at.
        rank = {Outcome.CONFLICT: 0, Outcome.REFUSED: 1, Outcome.PENDING: 2, Outcome.DONE: 3}
        rows.sort(key=lambda o: rank[o.outcome])
        table = self.ui.resultTable
        table.setRowCount(len(rows))
        for row, entry in enumerate(rows):
            label = OUTCOME_LABELS[entry.outcome]
            if entry.outcome is Outcome.PENDING and not final:
                label = "Sending…"
            cells = (entry.number, label, entry.message)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 1:
                    color = outcome_color(entry.outcome)
                    if color is not None:
                        item.setForeground(color)
                if entry.message:
                    item.setToolTip(entry.message)
                table.setItem(row, col, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        hints = []
        if result.conflicts:
            hints.append(
                "Conflicts wait under “Needs attention”: there you see your action next to the "
                "case as it is now, and apply it again or discard it."
            )
        if result.pending and final:
            hints.append(
                "Cases waiting to be sent go out as soon as the portal answers; nothing is lost."
            )
        self.ui.hintLabel.setText(" ".join(hints))
        self.ui.hintLabel.setVisible(bool(hints))
