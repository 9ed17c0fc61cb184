"""The real window against the real portal (demo data): sign in, queues, search, barcode."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from labdesk.client.inbox_queues import IN_WORK_STAGES, Queue
from labdesk.domain.lifecycle import Status
from tests.gui.conftest import WAIT_MS, sign_in_through_dialog, wait_synced


def server_cases(portal_api: Any, username: str) -> list[dict[str, Any]]:
    """Every case ``username`` sees on the portal, straight from the sync endpoint."""
    client = portal_api.as_(username)
    cases: list[dict[str, Any]] = []
    since = 0
    while True:
        page = client.get("/cases", params={"since": since, "limit": 500}).json()
        cases.extend(page["cases"])
        if not page["has_more"]:
            return cases
        since = page["next_since"]


def expected_counts(cases: list[dict[str, Any]]) -> dict[Queue | Status, int]:
    by = Counter((c["status"], c["signed_off"]) for c in cases)
    counts: dict[Queue | Status, int] = {
        Queue.TO_REVIEW: by[("received", False)],
        Queue.QC: by[("qc", False)],
        Queue.READY_TO_SHIP: by[("qc", True)],
        Queue.ON_HOLD: sum(n for (s, _), n in by.items() if s == "on_hold"),
        Queue.NEEDS_ATTENTION: 0,
        Queue.ALL: len(cases),
    }
    for stage in IN_WORK_STAGES:
        counts[stage] = sum(n for (s, _), n in by.items() if s == stage.value)
    counts[Queue.IN_WORK] = sum(counts[s] for s in IN_WORK_STAGES)
    return counts


@pytest.fixture
def reviewer_window(qtbot, portal, workstation_window):
    window = workstation_window(portal.url)
    QApplication.processEvents()
    assert window.sign_in_dialog is None  # nobody signed in yet: the app asks when it starts
    window.ask_sign_in(expired=False)
    sign_in_through_dialog(qtbot, window, "reviewer")
    wait_synced(qtbot, window)
    return window


def test_sign_in_through_the_dialog_shows_the_lab_inbox(qtbot, portal, workstation_window):
    window = workstation_window(portal.url)
    dialog = window.ask_sign_in(expired=False)
    assert dialog.ui.serverEdit.text() == portal.url
    qtbot.keyClicks(dialog.ui.usernameEdit, "reviewer")
    qtbot.keyClicks(dialog.ui.passwordEdit, "wrong password")
    ok = dialog.ui.buttonBox.button(dialog.ui.buttonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.ui.messageLabel.isVisible(), timeout=WAIT_MS)
    assert "Wrong username or password" in dialog.ui.messageLabel.text()
    assert dialog.isVisible()
    assert window.ws.session is None

    dialog.ui.passwordEdit.clear()
    sign_in_through_dialog(qtbot, window, "reviewer")
    assert window.sign_in_dialog is None  # accepted and gone
    wait_synced(qtbot, window)
    assert "Ravi" in window.user_label.text() or "reviewer" in window.user_label.text()
    # A reviewer lands on the received cases.
    assert window.inbox.current_queue() is Queue.TO_REVIEW
    assert window.status.connection.text() == "● Online"


def test_queue_counts_match_the_portal(qtbot, reviewer_window, portal_api):
    window = reviewer_window
    window.ws.sync_now()
    expected = expected_counts(server_cases(portal_api, "reviewer"))

    def counts_match() -> None:
        assert window.model.counts() == expected

    qtbot.waitUntil(counts_match, timeout=WAIT_MS)
    for queue in Queue:
        label = window.inbox.queue_count_text(queue)
        assert label.endswith(f" {expected[queue]}"), (queue, label)
        window.show_queue(queue, None)
        assert window.model.rowCount() == expected[queue]
    window.show_queue(Queue.IN_WORK, Status.FINISHING)
    assert window.model.rowCount() == expected[Status.FINISHING]
    assert window.inbox.stage.currentText().endswith(f"({expected[Status.FINISHING]})")


def test_search_and_filters_narrow_the_inbox(qtbot, reviewer_window, portal_api):
    window = reviewer_window
    inbox = window.inbox
    cases = server_cases(portal_api, "reviewer")
    window.show_queue(Queue.ALL, None)
    target = cases[len(cases) // 2]

    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert inbox.search.hasFocus()
    qtbot.keyClicks(inbox.search, target["number"])
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=WAIT_MS)
    assert window.model.index(0, 0).data() == target["number"]

    inbox.search.clear()
    clinic = target["clinic_name"]
    qtbot.keyClicks(inbox.search, clinic.split()[0].lower())
    qtbot.waitUntil(lambda: 0 < window.model.rowCount() < len(cases), timeout=WAIT_MS)
    shown = {
        window.model.index(r, window.model.COL_CLINIC).data()
        for r in range(window.model.rowCount())
    }
    assert clinic in shown
    inbox.search.clear()
    qtbot.waitUntil(lambda: window.model.rowCount() == len(cases), timeout=WAIT_MS)

    inbox.clinic.setCurrentIndex(inbox.clinic.findData(clinic))
    expected = sum(1 for c in cases if c["clinic_name"] == clinic)
    assert window.model.rowCount() == expected
    inbox.status.setCurrentIndex(inbox.status.findData("design"))
    expected = sum(1 for c in cases if c["clinic_name"] == clinic and c["status"] == "design")
    assert window.model.rowCount() == expected
    inbox.rush.setChecked(True)
    rush = sum(
        1 for c in cases if c["clinic_name"] == clinic and c["status"] == "design" and c["rush"]
    )
    assert window.model.rowCount() == rush
    qtbot.mouseClick(inbox.clear_filters, Qt.MouseButton.LeftButton)
    assert window.model.rowCount() == len(cases)

    window.model.sort(window.model.COL_PATIENT, Qt.SortOrder.AscendingOrder)
    names = [window.model.index(r, 1).data(window.model.SortRole) for r in range(20)]
    assert names == sorted(names)


def test_typing_a_case_number_and_enter_opens_the_case(qtbot, reviewer_window, portal_api):
    window = reviewer_window
    cases = server_cases(portal_api, "reviewer")
    target = next(c for c in cases if c["status"] == "production")  # not in the reviewer's queue
    window.inbox.focus_table()
    assert window.inbox.current_queue() is Queue.TO_REVIEW
    with qtbot.waitSignal(window.case_shown, timeout=WAIT_MS) as shown:
        qtbot.keyClicks(window.inbox.table, target["number"])
        qtbot.keyClick(window.inbox.table, Qt.Key.Key_Return)
    assert shown.args == [target["id"]]
    detail = window.detail
    assert window.pages.currentWidget() is detail
    assert detail.title.text() == target["number"]
    assert detail.chip.text() == "Production"
    # A reviewer may not move production on: the action bar offers nothing but what is allowed
    # (the lab's own fields).
    assert list(detail.action_buttons()) == ["expected_date", "assign", "tags_memo"]
    assert target["clinic_name"] in detail.facts["clinic"].text()
    assert detail.timeline.tree.topLevelItemCount() == len(target["history"])

    # Esc goes back to the inbox, with the case still selected.
    qtbot.keyClick(detail, Qt.Key.Key_Escape)
    assert window.pages.currentWidget() is window.inbox

    received = next(c for c in cases if c["status"] == "received")
    with qtbot.waitSignal(window.case_shown, timeout=WAIT_MS):
        qtbot.keyClicks(window.inbox.table, received["number"].lower())
        qtbot.keyClick(window.inbox.table, Qt.Key.Key_Enter)
    # The reviewer's decision, then the lab's own fields.
    assert list(window.detail.action_buttons()) == [
        "accept",
        "reject",
        "expected_date",
        "assign",
        "tags_memo",
    ]


def test_new_cases_from_the_portal_are_highlighted_and_announced(
    qtbot, reviewer_window, portal_api
):
    window = reviewer_window
    case = portal_api.new_case(patient_name="Nina Newcase")
    with qtbot.waitSignal(window.model.new_cases_arrived, timeout=WAIT_MS) as arrived:
        window.ws.sync_now()
    assert case["id"] in [r.case_id for r in arrived.args[0]]
    assert case["number"] in window.status.currentMessage()
    assert window.model.is_new(case["id"])
    row = window.model.row_of_case(case["id"])
    assert row is not None  # a reviewer's "To review" shows it
    assert window.model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    window.open_case(case["id"])
    assert not window.model.is_new(case["id"])  # opened: no longer new


def test_notation_and_theme_from_the_settings_apply_at_once(qtbot, reviewer_window):
    import dataclasses

    window = reviewer_window
    model = window.model
    row = next(r for r in model.all_rows() if any(11 in teeth for _name, teeth in r.items))
    window.show_queue(Queue.ALL, None)
    at = model.row_of_case(row.case_id)
    assert "11" in model.index(at, model.COL_ITEMS).data()
    settings = dataclasses.replace(window.ws.settings, tooth_notation="universal", theme="dark")
    window.ws.save_settings(settings)
    from labdesk.gui.inbox_model import items_text

    assert model.index(at, model.COL_ITEMS).data() == items_text(row, "universal")
    assert items_text(row, "universal") != items_text(row, "fdi")  # FDI 11 is Universal 8
    assert QApplication.instance().palette().window().color().lightness() < 80
    window.ws.save_settings(dataclasses.replace(settings, theme="light"))


def test_window_state_persists_across_runs(qtbot, portal, workstation_window):
    first = workstation_window(portal.url)
    header = first.inbox.table.horizontalHeader()
    header.resizeSection(first.model.COL_PATIENT, 222)
    header.setSortIndicator(first.model.COL_CLINIC, Qt.SortOrder.DescendingOrder)
    first.resize(1111, 777)
    first.close()

    second = workstation_window(portal.url)
    header = second.inbox.table.horizontalHeader()
    assert header.sectionSize(second.model.COL_PATIENT) == 222
    assert header.sortIndicatorSection() == second.model.COL_CLINIC
    assert second.model.sort_column == second.model.COL_CLINIC
    assert second.model.sort_order == Qt.SortOrder.DescendingOrder
