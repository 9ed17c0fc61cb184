"""Printing work tickets and tray labels from the window: the case on show, or the cases
selected in the inbox (one per page), and — when the person enables it in the settings — the
ticket of a case they just accepted.

The cases are read from the cache off the GUI thread (the workstation's ``cases_for_print``);
the painter, the ticket's content (pydantic) and Qt's print support load on first use, off the
start-up path;
what a ticket says is :mod:`labdesk.printing.ticket_content`, how it looks is
:mod:`labdesk.printing.render`. Printing always goes through a print preview
(``QPrintPreviewDialog``, opened with ``open()`` so the window and the sync go on behind it),
whose toolbar has a "Save as PDF…" that needs no printer. Like
:class:`~labdesk.gui.window_actions.WindowActions`, this knows no window: what it needs from the
screen comes in as callables.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QToolBar, QWidget

from labdesk.domain.paper import LABEL_SIZES, TICKET_SIZES, PaperSize
from labdesk.errors import is_known, person_message

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    from labdesk.api.schemas import Case
    from labdesk.printing.ticket_content import LabelContent, TicketContent
    from labdesk.services.workstation import Workstation


@dataclass(frozen=True)
class PrintJob:
    """What goes on paper: tickets or labels (one per page) and the paper they need."""

    numbers: tuple[str, ...]
    paper: PaperSize
    tickets: tuple[TicketContent, ...] = ()
    labels: tuple[LabelContent, ...] = ()

    @property
    def what(self) -> str:
        kind = "label" if self.labels else "ticket"
        return f"{len(self.numbers)} {kind}{'s' if len(self.numbers) != 1 else ''}"

    def paint(self, printer: QPrinter) -> None:
        from labdesk.printing.render import paint_labels, paint_tickets, prepare

        prepare(printer, self.paper)
        if self.labels:
            paint_labels(printer, self.labels, self.paper)
        else:
            paint_tickets(printer, self.tickets)

    def write_pdf(self, path: Path) -> None:
        from labdesk.printing.render import write_pdf

        if self.labels:
            write_pdf(path, labels=self.labels, paper=self.paper.key, title="LabDesk tray labels")
        else:
            write_pdf(path, self.tickets, paper=self.paper.key)


class TicketPrinting(QObject):
    """The window's print actions and the preview they open."""

    preview_opened = Signal(object)  # QPrintPreviewDialog (tests and tools follow it)
    job_ready = Signal(object)  # PrintJob, built from the cache
    reported = Signal(str)  # what happened, for the status bar

    def __init__(
        self,
        workstation: Workstation,
        *,
        dialog_parent: QWidget,
        target_case_ids: Callable[[], list[int]],
    ) -> None:
        """``target_case_ids``: the case on show, else the inbox's selection (in view order)."""
        super().__init__(dialog_parent)
        self.ws = workstation
        self.dialog_parent = dialog_parent
        self._targets = target_case_ids
        self.preview: QPrintPreviewDialog | None = None

        def action(text: str, keys: str, name: str) -> QAction:
            made = QAction(text, dialog_parent)
            made.setObjectName(name)
            made.setShortcut(QKeySequence(keys))
            made.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            dialog_parent.addAction(made)
            return made

        self.act_ticket = action("&Print ticket…", "Ctrl+P", "printTicketAction")
        self.act_ticket.setToolTip("Work tickets of the case on show or the selected cases")
        self.act_label = action("Print tray &label…", "Ctrl+L", "printLabelAction")
        self.act_pdf = action("Save tickets as P&DF…", "Ctrl+Alt+P", "saveTicketsPdfAction")
        self.act_ticket.triggered.connect(lambda: self.print_cases(self._targets()))
        self.act_label.triggered.connect(lambda: self.print_cases(self._targets(), labels=True))
        self.act_pdf.triggered.connect(self.on_pdf_triggered)
        workstation.actions.accept_queued.connect(self.on_actions_accept_queued)

    # --- building a job ---------------------------------------------------------------------

    def job_for(self, cases: Sequence[Case], *, labels: bool = False) -> PrintJob:
        from labdesk.printing.ticket_content import label_for, ticket_for

        settings = self.ws.settings
        numbers = tuple(c.number for c in cases)
        if labels:
            paper = LABEL_SIZES[settings.label_size]
            return PrintJob(numbers, paper, labels=tuple(label_for(c) for c in cases))
        name, notation = self.ws.lab_name, settings.tooth_notation
        made = tuple(ticket_for(c, lab_name=name, notation=notation) for c in cases)
        return PrintJob(numbers, TICKET_SIZES[settings.ticket_size], tickets=made)

    def load_job(
        self, case_ids: list[int], then: Callable[[PrintJob], object], *, labels: bool = False
    ) -> None:
        if not case_ids:
            self.reported.emit("Open a case or select cases in the inbox to print.")
            return

        def done(cases: list[Case]) -> None:
            job = self.job_for(cases, labels=labels)
            self.job_ready.emit(job)
            then(job)

        self.ws.cases_for_print(case_ids, done, self.on_load_failed)

    def on_load_failed(self, exc: BaseException) -> None:
        # a bug is shown by the window's error dialog (the task runner's bug signal)
        if is_known(exc):
            self.reported.emit(f"Nothing printed: {person_message(exc)}")

    # --- print and preview ------------------------------------------------------------------

    def print_cases(self, case_ids: list[int], *, labels: bool = False) -> None:
        """Tickets (or labels) of ``case_ids`` in a print preview, one per page."""
        self.load_job(case_ids, self.show_preview, labels=labels)

    def show_preview(self, job: PrintJob) -> QPrintPreviewDialog:
        from PySide6.QtPrintSupport import QPrintPreviewDialog

        from labdesk.printing.render import prepare

        # The dialog's own printer: one made here would be freed by Python under the dialog.
        dialog = QPrintPreviewDialog(self.dialog_parent)
        printer = dialog.printer()
        printer.setDocName(f"LabDesk {job.what}")
        prepare(printer, job.paper)
        dialog.setObjectName("ticketPreview")
        dialog.setWindowTitle(f"Print {job.what}: {', '.join(job.numbers[:4])}"
                              + ("…" if len(job.numbers) > 4 else ""))  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.paintRequested.connect(job.paint)
        toolbar = dialog.findChild(QToolBar)
        if toolbar is not None:
            save = toolbar.addAction("Save as PDF…")
            save.setObjectName("previewSavePdf")
            save.triggered.connect(lambda: self.ask_pdf_path(job))
        self.preview = dialog
        dialog.open()
        self.preview_opened.emit(dialog)
        return dialog

    # --- PDF without a printer --------------------------------------------------------------

    def on_pdf_triggered(self) -> None:
        self.load_job(self._targets(), self.ask_pdf_path)

    def ask_pdf_path(self, job: PrintJob) -> None:
        suggested = str(Path.home() / f"tickets-{job.numbers[0] if job.numbers else 'none'}.pdf")
        path, _ = QFileDialog.getSaveFileName(
            self.dialog_parent, "Save as PDF", suggested, "PDF (*.pdf)"
        )
        if path:
            self.save_pdf(job, Path(path))

    def save_pdf(self, job: PrintJob, path: Path) -> None:
        try:
            job.write_pdf(path)
        except OSError as exc:
            self.reported.emit(f"The PDF could not be written: {exc.strerror or exc}")
            return
        self.reported.emit(f"{job.what} saved to {path}")

    # --- on accept --------------------------------------------------------------------------

    def on_actions_accept_queued(self, case_id: int) -> None:
        if self.ws.settings.print_ticket_on_accept:
            self.print_cases([case_id])
