"""Issue 13, points 7 and 8, in the real window on the real portal: the demo switcher's
finishing tech, the selection after an accept, the QC key, asking before quitting with work
not sent, the user manual and About."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication

from labdesk import __version__
from labdesk.client import offers
from labdesk.client.demo import DEMO_ROLES
from labdesk.client.inbox_queues import Queue
from labdesk.domain.lifecycle import Action, Status
from labdesk.gui.dialogs.accept_dialog import AcceptDialog
from labdesk.gui.dialogs.qc_dialog import QcDialog
from labdesk.gui.dialogs.step_dialog import StepDialog
from tests.gui.conftest import WAIT_MS, action_dialog, activate, sign_in_through_dialog, wait_synced
from tests.gui.test_lab_day_barcode import burst
from tests.gui.test_workstation_outbox import restartable_portal  # noqa: F401 (fixture)


def signed_in(qtbot: Any, window: Any, username: str) -> Any:
    window.ask_sign_in(expired=False)
    sign_in_through_dialog(qtbot, window, username)
    wait_synced(qtbot, window)
    return window


def test_the_demo_switcher_offers_the_finishing_tech(
    qtbot: Any, portal: Any, labdesk_home: Any
) -> None:
    from labdesk.config import Settings
    from labdesk.gui.main_window import MainWindow
    from labdesk.gui.window_state import WindowState
    from labdesk.services.workstation import Workstation

    ws = Workstation(Settings(server_url=portal.url, theme="light"))
    window = MainWindow(ws, demo_users=DEMO_ROLES, state=WindowState())
    qtbot.addWidget(window)
    window.show()
    try:
        combo = window.role_combo
        assert combo is not None
        names = [combo.itemData(i) for i in range(combo.count())]
        assert "finishing_tech" in names
        assert combo.itemText(names.index("finishing_tech")) == "Finishing tech"
        signed_in(qtbot, window, "finishing_tech")
        assert combo.currentData() == "finishing_tech"
        assert window.inbox.current_queue() is Queue.IN_WORK
        assert window.model.filter.stage is Status.FINISHING
    finally:
        window.close()
        ws.shutdown()


def test_after_an_accept_the_selection_moves_to_the_next_case_to_review(
    qtbot: Any, portal: Any, portal_api: Any, workstation_window: Any
) -> None:
    for _ in range(3):
        portal_api.new_case()
    window = signed_in(qtbot, workstation_window(portal.url), "reviewer")
    window.show_queue(Queue.TO_REVIEW, None)
    assert window.model.rowCount() >= 3
    window.inbox.focus_table()
    window.inbox.table.selectRow(1)
    target, following = window.model.case_id_at(1), window.model.case_id_at(2)
    activate(qtbot, window)
    with qtbot.waitSignal(window.case_shown, timeout=WAIT_MS):
        qtbot.keyClick(window.inbox.table, Qt.Key.Key_Return)  # the person's own Enter
    qtbot.mouseClick(window.detail.action_buttons()[Action.ACCEPT], Qt.MouseButton.LeftButton)
    dialog = action_dialog(qtbot, window, AcceptDialog)
    if dialog.ui.unopenedCheck.isVisible():
        dialog.ui.unopenedCheck.click()
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.row_of_case(target) is None, timeout=WAIT_MS)
    activate(qtbot, window)
    qtbot.keyClick(window.detail, Qt.Key.Key_Escape)
    assert window.pages.currentWidget() is window.inbox
    assert window.inbox.current_case_id() == following  # not the top row
    assert [r.case_id for r in window.inbox.selected_rows()] == [following]
    assert window.windowTitle() == "To review — LabDesk"


def test_qc_sign_off_is_not_one_modifier_from_quit(
    qtbot: Any, portal: Any, portal_api: Any, workstation_window: Any
) -> None:
    quit_keys = QKeySequence("Ctrl+Q")
    for command, keys in offers.SHORTCUTS.items():
        assert "Q" not in keys.split("+"), command  # no Ctrl+Shift+Q, Ctrl+Alt+Q …
    assert offers.SHORTCUTS[Action.QC_PASS] == "Ctrl+Shift+K"
    case = portal_api.new_case()
    portal_api.advance(case["id"], "qc")
    window = signed_in(qtbot, workstation_window(portal.url), "qc_manager")
    assert window.menus.quit.shortcut() == quit_keys
    window.inbox.focus_table()
    with qtbot.waitSignal(window.case_shown, timeout=WAIT_MS):
        burst(qtbot, window.inbox.table, case["number"], 2)
    activate(qtbot, window)
    qtbot.keyClick(
        window.detail,
        Qt.Key.Key_K,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = action_dialog(qtbot, window, QcDialog)
    dialog.reject()
    assert window.isVisible()


def test_quitting_with_work_not_sent_asks_first(
    qtbot: Any,
    restartable_portal: Any,  # noqa: F811
    workstation_window: Any,
) -> None:
    portal = restartable_portal
    window = signed_in(qtbot, workstation_window(portal.url), "designer")
    window.menus.quit.trigger()  # nothing pending: quits at once
    assert not window.isVisible()
    window.show()
    activate(qtbot, window)
    row = window.model.index(0, 0).data(window.model.RowRole)
    window.inbox.focus_table()
    with qtbot.waitSignal(window.case_shown, timeout=WAIT_MS):
        burst(qtbot, window.inbox.table, row.number, 2)
    portal.stop()
    button = window.detail.action_buttons()[Action.START_PRODUCTION]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    step = action_dialog(qtbot, window, StepDialog)
    qtbot.mouseClick(step.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.ws.status.pending == 1, timeout=WAIT_MS)

    window.menus.quit.trigger()
    box = window.quit_guard.box
    assert box is not None
    qtbot.waitUntil(box.isVisible, timeout=WAIT_MS)
    assert box.text() == "1 action not sent to the portal yet."
    assert box.defaultButton().text() == "Stay"
    qtbot.mouseClick(box.defaultButton(), Qt.MouseButton.LeftButton)
    assert window.isVisible()
    window.menus.quit.trigger()
    box = window.quit_guard.box
    qtbot.waitUntil(box.isVisible, timeout=WAIT_MS)
    quit_anyway = next(b for b in box.buttons() if b.text() == "Quit anyway")
    qtbot.mouseClick(quit_anyway, Qt.MouseButton.LeftButton)
    assert not window.isVisible()


def test_help_has_a_manual_and_about_says_what_support_needs(
    qtbot: Any, portal: Any, workstation_window: Any
) -> None:
    window = signed_in(qtbot, workstation_window(portal.url), "reviewer")
    assert window.menus.shortcuts.shortcut() == QKeySequence("F1")  # F1 keeps the key list
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert [a.text() for a in help_menu.actions()] == [
        "User &manual",
        "&Keyboard shortcuts",
        "&About LabDesk",
    ]
    window.menus.manual.trigger()
    manual = window.help.dialogs["manual"]
    qtbot.waitUntil(manual.isVisible, timeout=WAIT_MS)
    text = manual.browser.toPlainText()
    for heading in ("Reviewer", "QC manager", "Shipping", "offline", "Barcodes"):
        assert heading in text
    assert "not installed" not in text
    manual.close()

    window.menus.about.trigger()
    about = window.help.dialogs["about"]
    qtbot.waitUntil(about.isVisible, timeout=WAIT_MS)
    details = dict(about.details)
    assert details["Portal"] == portal.url
    assert details["Signed in as"] == "Ravi Patel (reviewer)"
    assert details["LabDesk"] == __version__
    assert details["Qt"].startswith(QApplication.instance().applicationVersion() or "")
    assert details["Cache"].endswith(".sqlite3") or "cache" in details["Cache"]
    qtbot.mouseClick(about.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert f"Portal: {portal.url}" in copied
    assert f"LabDesk: {__version__}" in copied
    assert "Log file: " in copied
    about.close()
