"""Accept a case: what is being accepted, where it goes, and that it cannot be undone."""

from __future__ import annotations

from collections.abc import Collection
from html import escape

from PySide6.QtWidgets import QDialog, QHeaderView, QTableWidgetItem, QWidget

from labdesk.api.schemas import ActionRequest, Case, ScanDelivery
from labdesk.client import actions, offers
from labdesk.domain.lifecycle import STATUS_LABELS, Status
from labdesk.domain.offer import Offer
from labdesk.domain.teeth import Notation
from labdesk.gui.dialogs.common import case_line, due_html, setup_buttons, style_dialog, use_form
from labdesk.gui.forms.ui_accept_dialog import Ui_AcceptDialog

_DELIVERY = {
    ScanDelivery.SCANNER_CONNECT: "scans come from the scanner's cloud",
    ScanDelivery.PHYSICAL_IMPRESSION: "a physical impression arrives by courier",
}


class AcceptDialog(QDialog):
    """The confirmation a reviewer gives; OK is the acceptance."""

    def __init__(
        self,
        case: Case,
        offer: Offer,
        *,
        notation: Notation | str = Notation.FDI,
        opened_file_ids: Collection[int] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = use_form(self, Ui_AcceptDialog())
        style_dialog(self)
        self.case = case
        summary = offers.accept_summary(case, offer, notation, opened_file_ids)
        self.summary = summary
        self.setWindowTitle(f"Accept case {case.number}")
        self.ui.headline.setText(f"Accept case {case.number}")
        self.ui.caseLabel.setText(case_line(case))
        self.ok = setup_buttons(self.ui.buttonBox, "&Accept case")
        self.ui.buttonBox.accepted.connect(self.accept)
        self.ui.buttonBox.rejected.connect(self.reject)

        table = self.ui.itemsTable
        names = {"fdi": "FDI", "universal": "Universal", "palmer": "Palmer"}
        teeth_header = table.horizontalHeaderItem(2)
        if teeth_header is not None:
            teeth_header.setText(f"Teeth ({names.get(str(notation), str(notation))})")
        table.setRowCount(len(summary.items))
        for row, item in enumerate(summary.items):
            for col, text in enumerate((item.name, item.material, item.teeth, item.shade)):
                table.setItem(row, col, QTableWidgetItem(text))
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        rows_height = sum(table.rowHeight(r) for r in range(table.rowCount()))
        table.setFixedHeight(header.sizeHint().height() + rows_height + 2 * table.frameWidth())

        self.ui.dueLabel.setText(due_html(summary.due_date, rush=case.rush))
        self.ui.filesLabel.setText(self._files_html(summary))
        if summary.goes_to is Status.INVOICING:
            self.ui.nextLabel.setText(
                "<b>Invoicing</b> — this case needs a quote. The clinic gets the quote first; "
                "design starts when the clinic accepts it."
            )
        else:
            self.ui.nextLabel.setText(STATUS_LABELS[summary.goes_to])

        unopened = bool(summary.files_not_opened)
        self.ui.unopenedCheck.setVisible(unopened)
        self.ui.unopenedCheck.toggled.connect(self.on_unopened_toggled)
        self.ok.setEnabled(not unopened)
        if unopened:
            self.ok.setToolTip("Open the files first, or confirm that you accept without.")

    def _files_html(self, summary: offers.AcceptSummary) -> str:
        parts: list[str] = []
        if summary.files_opened:
            names = escape(", ".join(summary.files_opened))
            parts.append(f"✔ Reviewed: {names}")
        if summary.files_not_opened:
            names = escape(", ".join(summary.files_not_opened))
            parts.append(f"<b>Not opened yet:</b> {names}")
        if not parts:
            how = _DELIVERY.get(self.case.scan_delivery, "the clinic sent no files")
            parts.append(f"No files — {escape(how)}")
        return "<br>".join(parts)

    def on_unopened_toggled(self, checked: bool) -> None:
        self.ok.setEnabled(checked)
        self.ok.setToolTip("" if checked else "Confirm that you accept without opening them.")

    def request(self) -> ActionRequest:
        return actions.accept_request()
