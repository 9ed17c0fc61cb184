"""Settings, shortcuts and error dialogs, the barcode listener, and the generated forms."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from labdesk.api import errors
from labdesk.api.schemas import Case
from labdesk.client.state import CaseView
from labdesk.config import Settings
from labdesk.gui.barcode import BarcodeListener
from labdesk.gui.case_detail import CaseDetail
from labdesk.gui.error_dialog import ErrorDialog, describe
from labdesk.gui.settings_dialog import SettingsDialog
from labdesk.gui.shortcuts_dialog import ShortcutsDialog
from labdesk.gui.sign_in_dialog import explain

ROOT = Path(__file__).resolve().parents[2]


def test_generated_forms_are_up_to_date(tmp_path: Path) -> None:
    """``scripts/build_ui.sh`` regenerates every form exactly as committed."""
    uic = Path(sys.executable).with_name("pyside6-uic")
    subprocess.run(
        ["bash", str(ROOT / "scripts/build_ui.sh"), str(tmp_path)],
        cwd=ROOT,
        check=True,
        env={"PATH": "/usr/bin:/bin", "PYSIDE6_UIC": str(uic)},
    )
    generated = sorted(p.name for p in tmp_path.glob("ui_*.py"))
    assert "ui_sign_in_dialog.py" in generated
    assert "ui_settings_dialog.py" in generated
    for name in generated:
        committed = ROOT / "labdesk/gui/forms" / name
        assert committed.exists(), f"{name} is not committed; run scripts/build_ui.sh"
        assert committed.read_text() == (tmp_path / name).read_text(), (
            f"{name} is stale; run scripts/build_ui.sh"
        )
        assert committed.read_text().startswith("# Generated from ui/")


def test_settings_dialog_edits_a_copy_of_the_settings(qtbot: Any) -> None:
    measured: list[Any] = []

    def measure(callback: Any) -> None:
        measured.append(callback)
        callback((3 * 1024 * 1024, 12))

    settings = Settings(server_url="https://portal.example", tooth_notation="fdi", theme="system")
    dialog = SettingsDialog(settings, measure_cache=measure, default_cache_dir="/tmp/cache")
    qtbot.addWidget(dialog)
    ui = dialog.ui
    assert ui.serverEdit.text() == "https://portal.example"
    assert ui.cacheSizeLabel.text() == "3.0 MB in 12 files"
    ui.notationCombo.setCurrentIndex(ui.notationCombo.findData("palmer"))
    ui.themeCombo.setCurrentIndex(ui.themeCombo.findData("dark"))
    ui.syncIntervalSpin.setValue(90)
    ui.serverEdit.clear()
    qtbot.keyClicks(ui.serverEdit, "https://other.example")
    qtbot.mouseClick(
        ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    chosen = dialog.result_settings
    assert (chosen.tooth_notation, chosen.theme, chosen.sync_interval_s) == ("palmer", "dark", 90)
    assert chosen.server_url == "https://other.example"
    assert settings.tooth_notation == "fdi"  # the original is untouched


def test_settings_persist_through_the_workstation(qtbot: Any, labdesk_home: Path) -> None:
    from labdesk.services.workstation import Workstation

    ws = Workstation(Settings(theme="light"))
    try:
        with qtbot.waitSignal(ws.settings_changed):
            ws.save_settings(Settings(tooth_notation="universal", theme="dark"))
        assert Settings.load().tooth_notation == "universal"
        assert Settings.load().theme == "dark"
    finally:
        ws.shutdown()


def test_shortcuts_dialog_lists_window_keys_and_action_keys(qtbot: Any) -> None:
    dialog = ShortcutsDialog()
    qtbot.addWidget(dialog)
    rows = dict(dialog.rows())
    assert "Search the inbox" in rows.values()
    assert any("Accept case" in what for what in rows.values())
    assert any("Put on hold" in what and "Resume" in what for what in rows.values())


def test_error_dialog_offers_the_details_to_copy(qtbot: Any) -> None:
    try:
        raise ValueError("boom")
    except ValueError as exc:
        summary, details = describe(type(exc), exc, exc.__traceback__)
    dialog = ErrorDialog(summary, details, Path("/tmp/labdesk.log"))
    qtbot.addWidget(dialog)
    assert "ValueError: boom" in dialog.details.toPlainText()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert "ValueError: boom" in QGuiApplication.clipboard().text()


def test_barcode_listener_ignores_text_fields(qtbot: Any) -> None:
    window = QWidget()
    edit = QLineEdit(window)
    other = QWidget(window)
    other.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    other.move(0, 40)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    listener = BarcodeListener(window=window)
    QGuiApplication.instance().installEventFilter(listener)
    try:
        edit.setFocus()
        with qtbot.assertNotEmitted(listener.number_scanned):
            qtbot.keyClicks(edit, "C-1")
            qtbot.keyClick(edit, Qt.Key.Key_Return)
        assert edit.text() == "C-1"
        other.setFocus()
        with qtbot.waitSignal(listener.number_scanned) as blocker:
            qtbot.keyClicks(other, "C-1")
            qtbot.keyClick(other, Qt.Key.Key_Return)
        assert blocker.args == ["C-1"]
    finally:
        QGuiApplication.instance().removeEventFilter(listener)


def test_barcode_burst_never_reaches_a_table_even_without_a_focus_widget(qtbot: Any) -> None:
    """Keys sent to a table while nothing of the window holds the focus (a window just
    raised, or Xvfb without a window manager) are still a burst: the table's keyboard
    search never sees them, and the Enter does not open its current row."""
    window = QWidget()
    table = QTableWidget(3, 1, window)
    for row, text in enumerate(("C-2026-00001", "C-2026-00331", "C-2026-77000")):
        table.setItem(row, 0, QTableWidgetItem(text))
    table.setCurrentCell(0, 0)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    table.clearFocus()
    listener = BarcodeListener(window=window, prefix="", suffix="")
    QGuiApplication.instance().installEventFilter(listener)
    activated: list[int] = []
    table.activated.connect(lambda index: activated.append(index.row()))
    try:
        with qtbot.waitSignal(listener.number_scanned) as blocker:
            qtbot.keyClicks(table, "C-2026-77777", delay=1)
            qtbot.keyClick(table, Qt.Key.Key_Return)
        assert blocker.args == ["C-2026-77777"]
        assert table.currentRow() == 0  # no keyboard search jump
        assert activated == []
    finally:
        QGuiApplication.instance().removeEventFilter(listener)


def test_case_detail_shows_teeth_in_the_notation_and_only_allowed_actions(qtbot: Any) -> None:
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    case = Case.model_validate(
        {
            "id": 7, "number": "C-2026-00007", "lab_id": 1, "clinic_id": 1,
            "clinic_name": "Riverside", "dentist_id": 1, "dentist_name": "Dr. Lind",
            "share_patient_name": False, "patient_name": None, "patient_initials": "MQ",
            "patient_ref": "P-7", "status": "finishing", "version": 3, "seq": 9,
            "created_at": now, "updated_at": now, "due_date": date(2026, 3, 20),
            "items": [{"id": 1, "catalog_code": "BR", "catalog_name": "Zirconia bridge",
                       "kind": "bridge", "teeth": [13, 12, 11], "pontics": [12], "bridge": True}],
            "parent": {"id": 3, "number": "C-2026-00003", "status": "remake_requested"},
        }
    )  # fmt: skip
    detail = CaseDetail()
    qtbot.addWidget(detail)
    detail.show_case(CaseView(case=case, pending=True), {"ceramist"}, "universal")
    assert detail.items.table.item(0, 3).text() == "6-8 (bridge; pontics 7)"
    assert "name not shared" in detail.facts["patient"].text()
    assert "C-2026-00003" in detail.facts["remake"].text()
    # The step the ceramist takes, then the lab's own fields a ceramist may change (the
    # expected date is the lab admin's and reviewer's: domain/lab_fields.py); nothing else.
    assert list(detail.action_buttons()) == ["send_to_qc", "assign", "tags_memo"]
    assert not detail.action_bar.info.isVisibleTo(detail)  # nothing one would expect is missing
    assert detail.sync_badge.text() == "⟳ Pending sync"
    with qtbot.waitSignal(detail.action_clicked) as blocker:
        qtbot.mouseClick(detail.action_buttons()["send_to_qc"], Qt.MouseButton.LeftButton)
    assert blocker.args == [7, "send_to_qc"]
    with qtbot.waitSignal(detail.action_clicked) as blocker:
        qtbot.mouseClick(detail.action_buttons()["assign"], Qt.MouseButton.LeftButton)
    assert blocker.args == [7, "assign"]
    assert not detail.can_snapshot()  # no scan open: the reject dialog offers no snapshot
    assert detail.scan_snapshot() is None

    # In QC the ceramist has no QC sign-off; the ⓘ says who has, on hover.
    in_qc = case.model_copy(update={"status": "qc"})
    detail.show_case(CaseView(case=in_qc), {"ceramist"}, "universal")
    assert "send_to_qc" not in detail.action_buttons()
    assert "qc_pass" not in detail.action_buttons()
    info = detail.action_bar.info
    assert info.isVisibleTo(detail)
    assert "Only QC managers and lab admins may sign off QC." in info.toolTip()
    with qtbot.waitSignal(detail.case_link_clicked) as link:
        detail.facts["remake"].linkActivated.emit("case:3")
    assert link.args == [3]


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (errors.LoginFailed("401"), "Wrong username or password"),
        (errors.TooManyAttempts("429", retry_after=300), "locked after too many"),
        (errors.Offline("Cannot reach the portal at x."), "keep working on cached cases"),
        (errors.CertificateError("The portal's certificate is not trusted."), "certificate"),
    ],
)
def test_sign_in_problems_are_explained_plainly(error: Exception, words: str) -> None:
    assert words in explain(error)


def test_an_unreachable_portal_is_said_in_the_dialog(qtbot: Any, workstation_window: Any) -> None:
    window = workstation_window("http://127.0.0.1:9")
    dialog = window.ask_sign_in(expired=False)
    qtbot.keyClicks(dialog.ui.usernameEdit, "reviewer")
    qtbot.keyClicks(dialog.ui.passwordEdit, "demo")
    qtbot.mouseClick(
        dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(dialog.ui.messageLabel.isVisible, timeout=30_000)
    assert "Cannot reach the portal" in dialog.ui.messageLabel.text()
    assert dialog.isVisible()
