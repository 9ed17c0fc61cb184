"""An action taken while the portal is down shows as pending, and clears once it is back.

The portal is stopped and started again on the same port with the same database, as a lab's
portal comes back after a restart; the window, its open case and the outbox stay as they are.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt

from labdesk.client.inbox_queues import Queue
from labdesk.domain.lifecycle import Action, Status
from labdesk.gui.dialogs.step_dialog import StepDialog
from tests.gui.conftest import WAIT_MS, action_dialog, sign_in_through_dialog, wait_synced


@pytest.fixture
def restartable_portal(portal_factory: Any) -> Any:
    """The test's own demo portal (no scan files, for speed), free to stop and restart."""
    from labdesk.server.demo import seed_demo

    running = portal_factory(demo=True)
    seed_demo(running.settings, scans=False)
    return running


def portal_case(url: str, username: str, case_id: int) -> dict[str, Any]:
    with httpx.Client(base_url=f"{url}/api/v1", timeout=30) as client:
        login = client.post("/auth/login", json={"username": username, "password": "demo"})
        client.headers["Authorization"] = f"Bearer {login.json()['token']}"
        case: dict[str, Any] = client.get(f"/cases/{case_id}").json()
        history = client.get(f"/cases/{case_id}/history").json()
    case["history"] = history
    return case


def test_pending_badge_while_the_portal_is_down_clears_when_it_returns(
    qtbot: Any, restartable_portal: Any, workstation_window: Any
) -> None:
    from labdesk.server.embedded import start_portal

    portal = restartable_portal
    window = workstation_window(portal.url)
    window.ask_sign_in(expired=False)
    sign_in_through_dialog(qtbot, window, "designer")
    wait_synced(qtbot, window)
    # A designer lands on the design stage of "In work".
    assert window.inbox.current_queue() is Queue.IN_WORK
    assert window.model.filter.stage is Status.DESIGN
    row = window.model.index(0, 0).data(window.model.RowRole)
    assert row.status is Status.DESIGN

    with qtbot.waitSignal(window.case_shown, timeout=WAIT_MS):
        window.inbox.focus_table()
        qtbot.keyClicks(window.inbox.table, row.number)
        qtbot.keyClick(window.inbox.table, Qt.Key.Key_Return)
    button = window.detail.action_buttons()[Action.START_PRODUCTION]

    port, settings = portal.port, portal.settings
    portal.stop()
    restarted = None
    try:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        step = action_dialog(qtbot, window, StepDialog)  # "move on", with an optional note
        qtbot.mouseClick(step.ok, Qt.MouseButton.LeftButton)
        # Shown at once as pending: status bar, inbox flags, the case's own badge.
        qtbot.waitUntil(lambda: window.ws.status.pending == 1, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: window.ws.status.online is False, timeout=WAIT_MS)
        assert window.status.connection.text() == "● Reconnecting… (1 pending)"
        qtbot.waitUntil(lambda: window.detail.sync_badge.isVisible(), timeout=WAIT_MS)
        assert "Pending" in window.detail.sync_badge.text()
        assert window.detail.chip.text() == "Production"  # the predicted outcome

        def row_pending() -> None:
            shown = window.model.inbox_row(row.case_id)
            assert shown is not None
            assert shown.pending

        qtbot.waitUntil(row_pending, timeout=WAIT_MS)

        restarted = start_portal(settings, port=port)
        qtbot.mouseClick(window.status.sync_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.ws.status.online is True, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: not window.status.pending.isVisible(), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: not window.detail.sync_badge.isVisible(), timeout=WAIT_MS)

        def row_cleared() -> None:
            cleared = window.model.inbox_row(row.case_id)
            assert cleared is not None
            assert not cleared.pending
            assert cleared.status is Status.PRODUCTION

        qtbot.waitUntil(row_cleared, timeout=WAIT_MS)
        assert window.status.connection.text() == "● Online"

        on_portal = portal_case(restarted.url, "designer", row.case_id)
        assert on_portal["status"] == "production"
        steps = [h for h in on_portal["history"] if h["action"] == "start_production"]
        assert len(steps) == 1  # applied exactly once
    finally:
        if restarted is not None:
            window.ws.shutdown()
            restarted.stop()


def test_an_expected_date_changed_offline_is_saved_once_the_portal_returns(
    qtbot: Any, restartable_portal: Any, workstation_window: Any
) -> None:
    from datetime import date, timedelta

    from labdesk.client.offers import Edit
    from labdesk.gui.dialogs.expected_date_dialog import ExpectedDateDialog
    from labdesk.server.embedded import start_portal

    portal = restartable_portal
    window = workstation_window(portal.url)
    window.ask_sign_in(expired=False)
    sign_in_through_dialog(qtbot, window, "reviewer")  # sets expected dates
    wait_synced(qtbot, window)
    row = window.model.index(0, 0).data(window.model.RowRole)
    with qtbot.waitSignal(window.case_shown, timeout=WAIT_MS):
        window.open_case(row.case_id)
    button = window.detail.action_buttons()[Edit.EXPECTED_DATE]
    later = max(row.due_date or date.today(), date.today()) + timedelta(days=3)

    port, settings = portal.port, portal.settings
    portal.stop()
    restarted = None
    try:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        dialog = action_dialog(qtbot, window, ExpectedDateDialog)
        dialog.set_date(later)
        qtbot.keyClicks(dialog.ui.noteEdit, "The shade guide arrives on Monday.")
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.status.pending.text() == "1 pending", timeout=WAIT_MS)
        qtbot.waitUntil(lambda: window.detail.sync_badge.isVisible(), timeout=WAIT_MS)
        assert later.strftime("%d %b %Y") in window.detail.facts["expected"].text()

        restarted = start_portal(settings, port=port)
        window.ws.sync_now()
        qtbot.waitUntil(lambda: window.ws.status.pending == 0, timeout=WAIT_MS)
        on_portal = portal_case(restarted.url, "designer", row.case_id)
        assert on_portal["expected_date"] == later.isoformat()
        assert on_portal["expected_note"] == "The shade guide arrives on Monday."
        qtbot.waitUntil(lambda: not window.detail.sync_badge.isVisible(), timeout=WAIT_MS)
    finally:
        if restarted is not None:
            window.ws.shutdown()
            restarted.stop()
