"""Sessions in the real window: a sign-in that expires mid-shift, the demo role switcher."""

from __future__ import annotations

from typing import Any

import httpx
from PySide6.QtCore import Qt

from labdesk.client.inbox_queues import Queue
from labdesk.domain.lifecycle import Action, Status
from labdesk.gui.dialogs.step_dialog import StepDialog
from tests.gui.conftest import (
    WAIT_MS,
    action_dialog,
    activate,
    sign_in_through_dialog,
    wait_synced,
)


def test_expired_sign_in_asks_again_and_keeps_the_open_case_and_pending_work(
    qtbot: Any, portal: Any, portal_api: Any, workstation_window: Any
) -> None:
    window = workstation_window(portal.url)
    window.ask_sign_in(expired=False)
    sign_in_through_dialog(qtbot, window, "production_tech")
    wait_synced(qtbot, window)
    assert window.model.filter.stage is Status.PRODUCTION  # lands on its stage
    row = window.model.index(0, 0).data(window.model.RowRole)
    window.open_case(row.case_id)
    qtbot.waitUntil(lambda: window.detail.case_id == row.case_id, timeout=WAIT_MS)

    # The portal forgets the token (it expired, or an admin revoked it).
    opened = window.ws.account
    token = opened.client.token_store.get(portal.url, "production_tech")
    httpx.post(
        f"{portal.url}/api/v1/auth/logout", headers={"Authorization": f"Bearer {token}"}
    ).raise_for_status()

    # The next action (by its keyboard shortcut) is kept in the outbox; the push meets the
    # expired sign-in.
    assert Action.START_FINISHING in window.detail.action_buttons()
    activate(qtbot, window)
    window.detail.setFocus()
    qtbot.keyClick(
        window.detail,
        Qt.Key.Key_N,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    step = action_dialog(qtbot, window, StepDialog)
    qtbot.keyClick(step, Qt.Key.Key_Return)  # OK is the default button
    qtbot.waitUntil(lambda: window.sign_in_dialog is not None, timeout=WAIT_MS)
    dialog = window.sign_in_dialog
    assert dialog.ui.titleLabel.text() == "Your sign-in has expired"
    assert dialog.ui.usernameEdit.isReadOnly()
    assert window.status.pending.text() == "1 pending"
    assert window.detail.case_id == row.case_id  # the case stays open behind the dialog
    assert window.pages.currentWidget() is window.detail

    sign_in_through_dialog(qtbot, window, "production_tech")
    qtbot.waitUntil(lambda: window.ws.status.pending == 0, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.status.pending.isVisible(), timeout=WAIT_MS)
    assert window.detail.case_id == row.case_id
    assert portal_api.get("lab_admin", row.case_id)["status"] == "finishing"


def test_demo_role_switcher_signs_in_as_another_demo_user(
    qtbot: Any, portal: Any, labdesk_home: Any
) -> None:
    from labdesk.client.demo import DEMO_ROLES, DemoPortal
    from labdesk.config import Settings
    from labdesk.gui.main_window import MainWindow
    from labdesk.services.workstation import Workstation

    ws = Workstation(Settings(server_url=portal.url, theme="light"))
    # The session's portal stands in for the one ``labdesk --demo`` starts in-process.
    ws.demo = DemoPortal(running=portal, folder=labdesk_home / "demo")
    ws.settings = ws.demo.settings_for(ws.settings)
    window = MainWindow(ws, demo_users=DEMO_ROLES)
    qtbot.addWidget(window)
    window.show()
    try:
        combo = window.role_combo
        assert combo is not None
        with qtbot.waitSignal(ws.signed_in, timeout=WAIT_MS):
            ws.sign_in(portal.url, "reviewer", "demo", remember=False)
        wait_synced(qtbot, window)
        assert window.inbox.current_queue() is Queue.TO_REVIEW
        assert combo.currentData() == "reviewer"

        with qtbot.waitSignal(ws.signed_in, timeout=WAIT_MS):
            combo.setCurrentIndex(combo.findData("ceramist"))
            combo.activated.emit(combo.currentIndex())
        wait_synced(qtbot, window)
        assert window.ws.session.user.username == "ceramist"
        assert window.inbox.current_queue() is Queue.IN_WORK
        assert window.model.filter.stage is Status.FINISHING  # a ceramist lands on finishing
        assert "[demo]" in window.windowTitle()
        # Each person's chosen queue is remembered: the reviewer picks "On hold", the
        # ceramist lands on finishing, the reviewer comes back to "On hold".
        with qtbot.waitSignal(ws.signed_in, timeout=WAIT_MS):
            combo.setCurrentIndex(combo.findData("reviewer"))
            combo.activated.emit(combo.currentIndex())
        wait_synced(qtbot, window)
        assert window.inbox.current_queue() is Queue.TO_REVIEW
        window.show_queue(Queue.ON_HOLD, None)
        with qtbot.waitSignal(ws.signed_in, timeout=WAIT_MS):
            combo.setCurrentIndex(combo.findData("ceramist"))
            combo.activated.emit(combo.currentIndex())
        wait_synced(qtbot, window)
        assert window.model.filter.stage is Status.FINISHING
        with qtbot.waitSignal(ws.signed_in, timeout=WAIT_MS):
            combo.setCurrentIndex(combo.findData("reviewer"))
            combo.activated.emit(combo.currentIndex())
        wait_synced(qtbot, window)
        assert window.inbox.current_queue() is Queue.ON_HOLD
        # The demo's portal and cache never become the person's remembered settings.
        saved = Settings.load()
        assert saved.server_url != portal.url or saved.last_username != "ceramist"
    finally:
        window.close()
        ws.demo = None  # the session's portal is not ours to stop
        ws.shutdown()
