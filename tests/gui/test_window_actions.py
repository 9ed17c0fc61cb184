"""The action dialogs in the app a person uses: the real main window on the real portal.

Everything goes through the window — the detail's action bar, the inbox's selection and its
"Apply to selected" menu, the "Needs attention" queue — and is checked on the portal.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMenu

from labdesk.client.bulk import BulkResult
from labdesk.client.inbox_queues import Queue
from labdesk.client.offers import Edit
from labdesk.domain.lifecycle import Action, Status
from labdesk.gui.dialogs.bulk_dialog import BulkDialog
from labdesk.gui.dialogs.conflict_dialog import Choice, ConflictDialog
from labdesk.gui.dialogs.reject_dialog import RejectDialog
from labdesk.gui.dialogs.step_dialog import StepDialog
from labdesk.gui.dialogs.tags_memo_dialog import TagsMemoDialog
from tests.gui.conftest import (
    WAIT_MS,
    action_dialog,
    activate,
    sign_in_through_dialog,
    wait_synced,
)

# A popup menu on the offscreen platform: it cannot raise windows or grab the keyboard.
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support raise.*", "This plugin does not support grabbing.*"
)


def signed_in_window(qtbot: Any, workstation_window: Any, url: str, user: str, **kw: Any) -> Any:
    window = workstation_window(url, **kw)
    window.ask_sign_in(expired=False)
    sign_in_through_dialog(qtbot, window, user)
    wait_synced(qtbot, window)
    return window


def wait_rows(qtbot: Any, window: Any, case_ids: list[int], status: Status) -> None:
    """Until the inbox holds these cases in ``status`` (a sync brought them)."""

    def arrived() -> None:
        for case_id in case_ids:
            row = window.model.inbox_row(case_id)
            assert row is not None
            assert row.status is status

    window.ws.sync_now()
    qtbot.waitUntil(arrived, timeout=WAIT_MS)


def open_by_number(qtbot: Any, window: Any, number: str) -> None:
    """Type the case number into the inbox and press Enter, as a barcode scanner does."""
    window.inbox.focus_table()
    with qtbot.waitSignal(window.case_shown, timeout=WAIT_MS):
        qtbot.keyClicks(window.inbox.table, number)
        qtbot.keyClick(window.inbox.table, Qt.Key.Key_Return)


def wait_portal(qtbot: Any, portal_api: Any, case_id: int, status: str) -> dict[str, Any]:
    seen: list[dict[str, Any]] = []

    def reached() -> bool:
        seen.append(portal_api.get("lab_admin", case_id))
        return bool(seen[-1]["status"] == status)

    qtbot.waitUntil(reached, timeout=WAIT_MS)
    return seen[-1]


def ctrl_click_rows(qtbot: Any, window: Any, case_ids: list[int]) -> None:
    """Select cases the way a person does: a click, then Ctrl+click on each further row."""
    table = window.inbox.table
    for n, case_id in enumerate(case_ids):
        row = window.model.row_of_case(case_id)
        assert row is not None, case_id
        table.scrollTo(window.model.index(row, 0))
        center = table.visualRect(window.model.index(row, 1)).center()
        modifier = Qt.KeyboardModifier.ControlModifier if n else Qt.KeyboardModifier.NoModifier
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, center)


def open_apply_menu(qtbot: Any, window: Any) -> QMenu:
    """Ctrl+Shift+B: the steps for the selection, in a menu under the current row."""
    activate(qtbot, window)
    qtbot.keyClick(
        window.inbox.table,
        Qt.Key.Key_B,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    menu: QMenu = window.case_actions.apply_menu
    qtbot.waitUntil(menu.isVisible, timeout=WAIT_MS)
    return menu


def menu_entry(menu: QMenu, action: Action) -> Any:
    found = [a for a in menu.actions() if a.data() == action.value]
    assert found, [a.text() for a in menu.actions()]
    return found[0]


# --- one case, from the detail's action bar ---------------------------------------------------


def test_reject_from_the_action_bar_shows_pending_then_rejected(
    qtbot: Any, portal: Any, portal_api: Any, workstation_window: Any
) -> None:
    created = portal_api.new_case(patient_name="Rhea Reject")
    window = signed_in_window(qtbot, workstation_window, portal.url, "reviewer")
    wait_rows(qtbot, window, [created["id"]], Status.RECEIVED)
    open_by_number(qtbot, window, created["number"])
    detail = window.detail
    assert detail.chip.text() == "Received"
    shown: list[tuple[bool, str]] = []  # what the detail showed after each reload
    window.case_shown.connect(lambda _id: shown.append((detail.view.pending, detail.chip.text())))

    qtbot.mouseClick(detail.action_buttons()[Action.REJECT], Qt.MouseButton.LeftButton)
    dialog: RejectDialog = action_dialog(qtbot, window, RejectDialog)
    assert dialog.windowModality() is Qt.WindowModality.WindowModal  # the window goes on
    assert not dialog.ok.isEnabled()  # no reason yet
    combo = dialog.ui.reasonCombo
    combo.setCurrentIndex(combo.findData("unclear_margin"))
    qtbot.keyClicks(dialog.ui.noteEdit, "The margin on 11 is not readable.")
    assert dialog.ok.isEnabled()
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    # At once: the outcome, shown as pending; then, once the portal has it, no longer pending.
    qtbot.waitUntil(lambda: (True, "Rejected") in shown, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: shown[-1] == (False, "Rejected"), timeout=WAIT_MS)
    assert not detail.sync_badge.isVisible()
    server = wait_portal(qtbot, portal_api, created["id"], "rejected")
    last = server["history"][-1]
    assert (last["action"], last["reason_code"]) == ("reject", "unclear_margin")
    assert last["note"] == "The margin on 11 is not readable."
    assert window.case_actions.flow.outcome is not None  # the request that was queued
    # Rejected: nothing left for the reviewer to decide.
    assert Action.REJECT not in detail.action_buttons()


# --- several cases, from the inbox's selection ------------------------------------------------


def test_bulk_move_of_selected_inbox_rows(
    qtbot: Any, portal: Any, portal_api: Any, workstation_window: Any
) -> None:
    tray = [portal_api.new_case()["id"] for _ in range(3)]
    for case_id in tray:
        portal_api.advance(case_id, "finishing")
    stray = portal_api.new_case()["id"]  # still received: not the ceramist's to move
    window = signed_in_window(qtbot, workstation_window, portal.url, "ceramist")
    wait_rows(qtbot, window, tray, Status.FINISHING)
    wait_rows(qtbot, window, [stray], Status.RECEIVED)
    assert not window.case_actions.act_apply.isEnabled()  # nothing selected yet

    # A received case among the selection: the step applies to 3 of the 4, and says so.
    window.show_queue(Queue.ALL, None)
    ctrl_click_rows(qtbot, window, [*tray, stray])
    assert {r.case_id for r in window.inbox.selected_rows()} == {*tray, stray}
    assert window.case_actions.act_apply.isEnabled()
    menu = open_apply_menu(qtbot, window)
    entry = menu_entry(menu, Action.SEND_TO_QC)
    assert entry.text() == "Finishing done → QC — 3 of 4"
    assert not [a for a in menu.actions() if a.data() == Action.START_FINISHING.value]
    entry.trigger()
    menu.hide()
    dialog: BulkDialog = action_dialog(qtbot, window, BulkDialog)
    assert dialog.ok.text() == "&Apply to 3 cases"
    skipped = dialog.ui.casesTable.item(3, 3).text()
    assert skipped.startswith("Skipped:")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    flow = window.case_actions.flow
    qtbot.waitUntil(lambda: flow.ended, timeout=60_000)
    result: BulkResult = flow.outcome
    assert (result.done, result.conflicts, result.refused) == (3, 0, 1), result.rows()
    assert "3 done" in flow.result_dialog.ui.summaryLabel.text()
    for case_id in tray:
        assert portal_api.get("lab_admin", case_id)["status"] == "qc"
    assert portal_api.get("lab_admin", stray)["status"] == "received"

    def moved_in_inbox() -> None:
        for case_id in tray:
            row = window.model.inbox_row(case_id)
            assert row is not None
            assert (row.status, row.pending) == (Status.QC, 0)

    qtbot.waitUntil(moved_in_inbox, timeout=WAIT_MS)


def test_the_context_menu_offers_the_same_steps(
    qtbot: Any, portal: Any, portal_api: Any, workstation_window: Any
) -> None:
    case_id = portal_api.new_case()["id"]
    portal_api.advance(case_id, "finishing")
    window = signed_in_window(qtbot, workstation_window, portal.url, "ceramist")
    wait_rows(qtbot, window, [case_id], Status.FINISHING)
    window.show_queue(Queue.IN_WORK, Status.FINISHING)
    row = window.model.row_of_case(case_id)
    table = window.inbox.table
    table.scrollTo(window.model.index(row, 0))
    where: QPoint = table.visualRect(window.model.index(row, 1)).center()
    with qtbot.waitSignal(window.inbox.context_menu_requested, timeout=WAIT_MS):
        table.customContextMenuRequested.emit(where)  # a right click on the row
    menu = window.case_actions.apply_menu
    qtbot.waitUntil(menu.isVisible, timeout=WAIT_MS)
    assert [r.case_id for r in window.inbox.selected_rows()] == [case_id]
    assert menu_entry(menu, Action.SEND_TO_QC).text() == "Finishing done → QC — 1 case"
    menu.hide()


# --- a conflict, under "Needs attention" -----------------------------------------------------


@pytest.mark.slow
def test_a_conflict_waits_under_needs_attention_and_apply_again_resolves_it(
    qtbot: Any, portal: Any, portal_api: Any, workstation_window: Any
) -> None:
    created = portal_api.new_case()
    portal_api.advance(created["id"], "finishing")
    # No timed sync during the test: the window keeps the version it saw.
    window = signed_in_window(
        qtbot, workstation_window, portal.url, "ceramist", sync_interval_s=3600
    )
    wait_rows(qtbot, window, [created["id"]], Status.FINISHING)
    open_by_number(qtbot, window, created["number"])

    # Someone else changes the case on the portal meanwhile.
    version = portal_api.get("lab_admin", created["id"])["version"]
    response = portal_api.as_("lab_admin").patch(
        f"/cases/{created['id']}", json={"memo": "tray moved"}, headers={"If-Match": str(version)}
    )
    assert response.status_code == 200, response.text

    qtbot.mouseClick(window.detail.action_buttons()[Action.SEND_TO_QC], Qt.MouseButton.LeftButton)
    step: StepDialog = action_dialog(qtbot, window, StepDialog)
    qtbot.mouseClick(step.ok, Qt.MouseButton.LeftButton)

    # The portal refuses the stale version: the case waits for the person, not dropped.
    status = window.status
    qtbot.waitUntil(status.conflicts.isVisible, timeout=WAIT_MS)
    assert status.conflicts.text() == "⚠ 1 conflict"
    qtbot.waitUntil(lambda: window.detail.resolve_button.isVisible(), timeout=WAIT_MS)
    assert "did not go through" in window.detail.banner.text()
    qtbot.mouseClick(status.conflicts, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.inbox
    assert window.inbox.current_queue() is Queue.NEEDS_ATTENTION
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=WAIT_MS)
    assert window.model.index(0, 0).data() == created["number"]
    assert window.inbox.attention_bar.isVisible()
    assert window.inbox.queue_count_text(Queue.NEEDS_ATTENTION).endswith(" 1")

    window.inbox.select_case(created["id"])
    qtbot.mouseClick(window.inbox.resolve_button, Qt.MouseButton.LeftButton)
    conflict: ConflictDialog = action_dialog(qtbot, window, ConflictDialog)
    assert "Finishing done → QC" in conflict.ui.mineLabel.text()  # my intent …
    assert "Finishing" in conflict.ui.theirsLabel.text()  # … next to the case as it is now
    assert conflict.ui.applyAgainButton.isEnabled()
    qtbot.mouseClick(conflict.ui.applyAgainButton, Qt.MouseButton.LeftButton)

    flow = window.case_actions.flow
    qtbot.waitUntil(lambda: flow.ended, timeout=WAIT_MS)
    assert [choice for _id, choice in flow.outcome] == [Choice.APPLY_AGAIN]
    server = wait_portal(qtbot, portal_api, created["id"], "qc")
    assert [h["action"] for h in server["history"]].count("send_to_qc") == 1
    assert server["memo"] == "tray moved"  # their change stands
    qtbot.waitUntil(lambda: not status.conflicts.isVisible(), timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: window.inbox.queue_count_text(Queue.NEEDS_ATTENTION).endswith(" 0"),
        timeout=WAIT_MS,
    )
    assert not window.inbox.attention_bar.isVisible()


# --- the lab's own fields go through the outbox too --------------------------------------------


@pytest.mark.slow
def test_a_tag_added_after_someone_else_changed_the_case_is_applied_again(
    qtbot: Any, portal: Any, portal_api: Any, workstation_window: Any
) -> None:
    created = portal_api.new_case()
    portal_api.advance(created["id"], "finishing")
    window = signed_in_window(
        qtbot, workstation_window, portal.url, "ceramist", sync_interval_s=3600
    )
    wait_rows(qtbot, window, [created["id"]], Status.FINISHING)
    open_by_number(qtbot, window, created["number"])
    version = portal_api.get("lab_admin", created["id"])["version"]
    response = portal_api.as_("lab_admin").patch(
        f"/cases/{created['id']}", json={"memo": "tray moved"}, headers={"If-Match": str(version)}
    )
    assert response.status_code == 200, response.text

    detail = window.detail
    qtbot.mouseClick(detail.action_buttons()[Edit.TAGS_MEMO], Qt.MouseButton.LeftButton)
    dialog: TagsMemoDialog = action_dialog(qtbot, window, TagsMemoDialog)
    assert not dialog.ok.isEnabled()  # nothing changed yet
    qtbot.keyClicks(dialog.ui.tagsEdit, "tray 7")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    # Kept, not lost: the portal had a newer version, so it waits for the person.
    qtbot.waitUntil(lambda: detail.resolve_button.isVisible(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.ws.status.conflicts == 1, timeout=WAIT_MS)
    qtbot.mouseClick(detail.resolve_button, Qt.MouseButton.LeftButton)
    conflict: ConflictDialog = action_dialog(qtbot, window, ConflictDialog)
    assert "tags: tray 7" in conflict.ui.mineLabel.text()
    assert conflict.ui.applyAgainButton.isEnabled()
    qtbot.mouseClick(conflict.ui.applyAgainButton, Qt.MouseButton.LeftButton)

    def saved() -> None:
        case = portal_api.get("lab_admin", created["id"])
        assert case["tags"] == ["tray 7"]
        assert case["memo"] == "tray moved"  # their change stands beside mine

    qtbot.waitUntil(saved, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not detail.resolve_button.isVisible(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "tray 7" in detail.notes.tags.text(), timeout=WAIT_MS)
