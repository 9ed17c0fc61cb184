"""Work tickets from the real window, read back the way a lab floor reads them: the inbox's
selection printed through the print preview's printer into a PDF, the PDF rendered to pixels,
every barcode decoded by zbar, and each decoded number typed as a scanner burst + Enter into
the window, which opens exactly that case."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from labdesk.client.inbox_queues import Queue
from tests.gui.conftest import WAIT_MS, activate, sign_in_through_dialog, wait_synced
from tests.integration.test_tickets_pdf import _decode_pages, _lab_cases, _page_text

pytestmark = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed"
)


@pytest.fixture
def admin_window(qtbot: Any, portal: Any, workstation_window: Any) -> Any:
    window = workstation_window(portal.url)
    window.ask_sign_in(expired=False)
    sign_in_through_dialog(qtbot, window, "lab_admin")
    wait_synced(qtbot, window)
    return window


def _preview_job(qtbot: Any, window: Any, keys: str) -> tuple[Any, Any]:
    """Press the print shortcut; the job built from the cache and the preview it opened."""
    with (
        qtbot.waitSignal(window.printing.preview_opened, timeout=WAIT_MS) as opened,
        qtbot.waitSignal(window.printing.job_ready, timeout=WAIT_MS) as ready,
    ):
        qtbot.keyClick(window, keys[-1], Qt.KeyboardModifier.ControlModifier)
    return ready.args[0], opened.args[0]


def _print_to_pdf(preview: Any, job: Any, path: Path) -> None:
    """What the preview's Print button does, with the printer writing a PDF file."""
    printer = preview.printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    job.paint(printer)


def _scan(qtbot: Any, window: Any, number: str) -> int:
    """A handheld scanner's burst and Enter, typed into whatever has the focus."""
    with qtbot.waitSignal(window.case_shown, timeout=WAIT_MS) as shown:
        target = QApplication.focusWidget() or window
        qtbot.keyClicks(target, number)
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Return)
    return int(shown.args[0])


def test_a_printed_batch_scans_back_into_the_window(
    qtbot: Any, admin_window: Any, portal_api: Any, tmp_path: Path
) -> None:
    window = admin_window
    cases = _lab_cases(portal_api, 22)  # a rush case and unshared patients among them
    window.show_queue(Queue.ALL, None)
    assert window.inbox.select_cases([c.id for c in cases]) == len(cases)
    selected = [row.number for row in window.inbox.selected_rows()]

    job, preview = _preview_job(qtbot, window, "Ctrl+P")
    assert list(job.numbers) == selected  # the selection, in the inbox's order
    assert (
        job.tickets[0].lab_name
        == portal_api.as_("lab_admin").get("/me").json()["organization"]["name"]
    )
    pdf = tmp_path / "batch.pdf"
    _print_to_pdf(preview, job, pdf)
    preview.close()

    decoded = _decode_pages(pdf)
    assert decoded == [[n] for n in selected]  # one ticket per page, each scans
    by_number = {c.number: c for c in cases}
    with portal_api.running.app.state.portal.db.read_session() as session:
        from sqlalchemy import select

        from labdesk.server import models as m

        names = dict(session.execute(select(m.Case.number, m.Case.patient_name)).all())
    unshared = [n for n in selected if not by_number[n].share_patient_name]
    assert unshared
    assert any(by_number[n].rush for n in selected)
    for page, number in enumerate(selected, start=1):
        if number in unshared:
            text = _page_text(pdf, page)
            assert by_number[number].patient_initials in text
            for part in names[number].split():
                assert part not in text, (number, part)

    activate(qtbot, window)
    window.inbox.focus_table()
    for (number,) in decoded:
        assert _scan(qtbot, window, number) == by_number[number].id
        assert window.detail.view.case.number == number
    assert window.pages.currentIndex() == 1  # the case page, showing the last one scanned


def test_ticket_and_label_of_the_case_on_show(
    qtbot: Any, admin_window: Any, portal_api: Any, tmp_path: Path
) -> None:
    window = admin_window
    case = _lab_cases(portal_api, 6)[0]  # a rush case
    with qtbot.waitSignal(window.case_shown, timeout=WAIT_MS):
        window.open_case(case.id)
    job, preview = _preview_job(qtbot, window, "Ctrl+P")
    assert job.numbers == (case.number,)
    assert preview.isVisible()
    preview.close()

    activate(qtbot, window)
    job, preview = _preview_job(qtbot, window, "Ctrl+L")
    assert job.labels
    assert job.paper.key == window.ws.settings.label_size
    preview.close()
    path = tmp_path / "label.pdf"
    window.printing.save_pdf(job, path)  # what "Save as PDF…" does after its file dialog
    assert _decode_pages(path, dpi=300) == [[case.number]]


def test_accepting_prints_the_ticket_when_enabled(
    qtbot: Any, portal: Any, workstation_window: Any
) -> None:
    from labdesk.api.schemas import ActionRequest
    from labdesk.domain.lifecycle import Action, Status

    window = workstation_window(portal.url, print_ticket_on_accept=True)
    window.ask_sign_in(expired=False)
    sign_in_through_dialog(qtbot, window, "reviewer")
    wait_synced(qtbot, window)
    row = next(r for r in window.model.all_rows() if r.status is Status.RECEIVED)
    with qtbot.waitSignal(window.printing.preview_opened, timeout=WAIT_MS):
        window.ws.actions.queue_action(row.case_id, ActionRequest(action=Action.ACCEPT))
    assert window.printing.preview is not None
    window.printing.preview.close()


def test_nothing_to_print_is_said(qtbot: Any, admin_window: Any) -> None:
    window = admin_window
    window.inbox.table.clearSelection()
    with qtbot.waitSignal(window.printing.reported, timeout=WAIT_MS) as said:
        window.printing.act_ticket.trigger()
    assert "select cases" in said.args[0]


def test_the_print_settings_are_in_the_settings_dialog(qtbot: Any) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from labdesk.config import Settings
    from labdesk.gui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    ui = dialog.ui
    assert ui.labelSizeCombo.currentData() == "62x29mm"
    assert not ui.printOnAcceptCheck.isChecked()
    ui.labelSizeCombo.setCurrentIndex(ui.labelSizeCombo.findData("4x6in"))
    ui.ticketSizeCombo.setCurrentIndex(ui.ticketSizeCombo.findData("half-letter"))
    qtbot.mouseClick(ui.printOnAcceptCheck, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(
        ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    chosen = dialog.result_settings
    assert (chosen.label_size, chosen.ticket_size) == ("4x6in", "half-letter")
    assert chosen.print_ticket_on_accept


def test_the_new_shortcuts_clash_with_no_other(qtbot: Any, workstation_window: Any) -> None:
    from collections import Counter

    from PySide6.QtGui import QAction, QKeySequence

    from labdesk.gui.shortcuts_dialog import WINDOW_SHORTCUTS

    window = workstation_window("http://127.0.0.1:9")
    keys = Counter(
        a.shortcut().toString()
        for a in window.findChildren(QAction)
        if not a.shortcut().isEmpty() and a.shortcutContext() != Qt.ShortcutContext.WidgetShortcut
    )
    for mine in ("Ctrl+P", "Ctrl+L", "Ctrl+Alt+P", "Ctrl+D"):
        assert keys[QKeySequence(mine).toString()] == 1, mine
        assert mine in dict(WINDOW_SHORTCUTS)  # and the shortcuts list says so
