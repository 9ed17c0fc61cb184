"""Issue 13, point 1: a scanner's burst is taken as a whole, wherever the focus is.

The real window on the real portal (demo data), as the reviewer: in every queue, with a row
selected, a fast burst of an unknown number + Enter says so and opens nothing (the keys never
reach the table's keyboard search); a known number opens exactly that case, and the window
title names it.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from labdesk.client.inbox_queues import QUEUE_LABELS, Queue
from labdesk.gui.main_window import unknown_case_message
from tests.gui.conftest import WAIT_MS, activate, sign_in_through_dialog, wait_synced
from tests.gui.test_workstation_window import server_cases

UNKNOWN = "C-2026-77777"


@pytest.fixture
def reviewer(qtbot: Any, portal: Any, workstation_window: Any) -> Any:
    window = workstation_window(portal.url)
    window.ask_sign_in(expired=False)
    sign_in_through_dialog(qtbot, window, "reviewer")
    wait_synced(qtbot, window)
    return window


def burst(qtbot: Any, widget: Any, text: str, delay_ms: int) -> None:
    """What a handheld scanner does: the characters a few milliseconds apart, then Enter."""
    qtbot.keyClicks(widget, text, delay=delay_ms)
    qtbot.keyClick(widget, Qt.Key.Key_Return, delay=delay_ms)


@pytest.mark.parametrize("delay_ms", [0, 5])
def test_an_unknown_number_says_so_in_every_queue_and_opens_nothing(
    qtbot: Any, reviewer: Any, delay_ms: int
) -> None:
    window = reviewer
    opened: list[int] = []
    window.case_shown.connect(opened.append)
    tried = 0
    for queue in Queue:
        window.show_queue(queue, None)
        assert window.windowTitle() == f"{QUEUE_LABELS[queue]} — LabDesk"
        if window.model.rowCount() == 0:
            continue
        window.inbox.focus_table()
        window.inbox.table.selectRow(window.model.rowCount() - 1)  # not the top row
        selected = window.inbox.current_case_id()
        activate(qtbot, window)
        window.status.clearMessage()
        burst(qtbot, window.inbox.table, UNKNOWN, delay_ms)
        QApplication.processEvents()
        tried += 1
        assert window.status.currentMessage() == unknown_case_message(UNKNOWN), queue
        assert window.inbox.current_case_id() == selected, queue  # no keyboard search jump
        assert window.pages.currentWidget() is window.inbox
        assert window.barcode.buffer == ""
    assert tried >= 3
    qtbot.wait(200)  # an open would come back from the worker thread by now
    assert opened == []
    assert (
        unknown_case_message(UNKNOWN)
    ) == "No case C-2026-77777 (not in this lab, or not synced yet — Sync now)"


def test_a_case_of_another_lab_gets_the_same_message(
    qtbot: Any, reviewer: Any, portal_api: Any
) -> None:
    window = reviewer
    theirs = next(c for c in server_cases(portal_api, "lab2_admin"))
    assert window.model.find_case_number(theirs["number"]) is None
    window.show_queue(Queue.ALL, None)
    window.inbox.focus_table()
    activate(qtbot, window)
    with qtbot.assertNotEmitted(window.case_shown, wait=300):
        burst(qtbot, window.inbox.table, theirs["number"], 2)
    assert window.status.currentMessage() == unknown_case_message(theirs["number"])


def test_a_known_number_opens_exactly_that_case_from_anywhere(
    qtbot: Any, reviewer: Any, portal_api: Any
) -> None:
    window = reviewer
    cases = server_cases(portal_api, "reviewer")
    first, second = [c for c in cases if c["status"] == "production"][:2]
    window.show_queue(Queue.ALL, None)
    window.inbox.focus_table()
    window.inbox.select_case(first["id"])
    activate(qtbot, window)
    with qtbot.waitSignal(window.case_shown, timeout=WAIT_MS) as shown:
        burst(qtbot, window.inbox.table, second["number"], 3)
    assert shown.args == [second["id"]]
    assert window.windowTitle() == f"{second['number']} — LabDesk"
    # On the case page the focus is in the page, not in a text field: a scan there works too.
    focus = QApplication.focusWidget()
    assert focus is not None
    with qtbot.waitSignal(window.case_shown, timeout=WAIT_MS) as shown:
        burst(qtbot, focus, first["number"], 1)
    assert shown.args == [first["id"]]
    assert window.windowTitle() == f"{first['number']} — LabDesk"
    # An unknown number on the case page leaves the case on screen.
    with qtbot.assertNotEmitted(window.case_shown, wait=300):
        burst(qtbot, QApplication.focusWidget(), UNKNOWN, 1)
    assert window.windowTitle() == f"{first['number']} — LabDesk"
    assert window.status.currentMessage() == unknown_case_message(UNKNOWN)
    qtbot.keyClick(window.detail, Qt.Key.Key_Escape)
    assert window.windowTitle() == "All — LabDesk"


def test_a_prefixed_scan_is_taken_even_in_the_search_field(
    qtbot: Any, portal: Any, workstation_window: Any, portal_api: Any
) -> None:
    window = workstation_window(portal.url, scanner_prefix="§", scanner_suffix="#")
    window.ask_sign_in(expired=False)
    sign_in_through_dialog(qtbot, window, "reviewer")
    wait_synced(qtbot, window)
    target = next(c for c in server_cases(portal_api, "reviewer") if c["status"] == "design")
    window.inbox.focus_search()
    activate(qtbot, window)
    with qtbot.waitSignal(window.case_shown, timeout=WAIT_MS) as shown:
        qtbot.keyClicks(window.inbox.search, f"§{target['number']}#", delay=2)
    assert shown.args == [target["id"]]
    assert window.inbox.search.text() == ""  # the burst never reached the field
