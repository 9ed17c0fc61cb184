"""``WindowActions`` on its own: no main window, only what it is handed (a real workstation
signed in to the real portal, a parent widget, and callables for the selection, the queue,
the case on show and the scan snapshot). The window is one user of it, not a requirement."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QWidget

from labdesk.client.inbox_index import InboxIndex
from labdesk.client.inbox_queues import Queue
from labdesk.client.inbox_rows import InboxRow
from labdesk.domain.lifecycle import Action, Status
from labdesk.gui.dialogs.bulk_dialog import BulkDialog
from labdesk.gui.window_actions import WindowActions
from tests.gui.conftest import WAIT_MS


@pytest.fixture
def ceramist(qtbot: Any, portal: Any, labdesk_home: Any) -> Iterator[tuple[Any, list[InboxIndex]]]:
    """A real workstation signed in as a ceramist, with every inbox it has loaded."""
    from labdesk.config import Settings
    from labdesk.services.workstation import Workstation

    ws = Workstation(Settings(server_url=portal.url, theme="light"))
    loaded: list[InboxIndex] = []
    ws.inbox_loaded.connect(loaded.append)
    with qtbot.waitSignal(ws.signed_in, timeout=WAIT_MS):
        ws.sign_in(portal.url, "ceramist", "demo", remember=False)
    yield ws, loaded
    ws.shutdown()


def build(qtbot: Any, ws: Any, selection: list[InboxRow], **overrides: Any) -> WindowActions:
    parent = QWidget()
    qtbot.addWidget(parent)
    handed: dict[str, Any] = {
        "selected_rows": lambda: list(selection),
        "selection_usable": lambda: bool(selection),
        "current_queue": lambda: Queue.ALL,
        "menu_position": lambda: QPoint(0, 0),
        "shown_case": lambda: None,
        "scan_snapshot": lambda: None,
    }
    handed.update(overrides)
    return WindowActions(ws, dialog_parent=parent, **handed)


def test_the_apply_menu_follows_the_selection_it_is_handed(
    qtbot: Any, portal_api: Any, ceramist: tuple[Any, list[InboxIndex]]
) -> None:
    ws, loaded = ceramist
    selection: list[InboxRow] = []
    actions = build(qtbot, ws, selection)
    assert not actions.act_apply.isEnabled()
    assert not actions.apply_button.isEnabled()
    actions.apply_menu.aboutToShow.emit()
    assert [a.text() for a in actions.apply_menu.actions()] == ["Select cases in the inbox first"]

    ids = {portal_api.new_case()["id"] for _ in range(2)}
    for case_id in ids:
        portal_api.advance(case_id, "finishing")

    def arrived() -> None:
        ws.sync_now()
        rows = [r for r in (loaded[-1].rows if loaded else []) if r.case_id in ids]
        assert len(rows) == 2
        assert all(r.status is Status.FINISHING for r in rows)
        selection[:] = rows

    qtbot.waitUntil(arrived, timeout=WAIT_MS)
    actions.update_enabled()
    assert actions.act_apply.isEnabled()
    actions.apply_menu.aboutToShow.emit()
    offered = {a.data(): a.text() for a in actions.apply_menu.actions()}
    assert offered.get(Action.SEND_TO_QC.value) == "Finishing done → QC — 2 cases", offered

    # A step for the selection opens its dialog over the parent it was handed.
    started: list[Any] = []
    actions.flow_started.connect(started.append)
    flow = actions.apply_to_selected(Action.SEND_TO_QC)
    assert flow is not None
    assert started == [flow]
    assert actions.flow is flow
    assert isinstance(flow.dialog, BulkDialog)
    assert flow.dialog.parent() is actions.dialog_parent
    flow.dialog.reject()
    qtbot.waitUntil(lambda: flow.ended, timeout=WAIT_MS)


def test_an_action_for_a_case_no_longer_on_show_opens_nothing(
    qtbot: Any, ceramist: tuple[Any, list[InboxIndex]]
) -> None:
    ws, _loaded = ceramist
    actions = build(qtbot, ws, [])
    started: list[Any] = []
    actions.flow_started.connect(started.append)
    actions.on_detail_action_clicked(1, Action.SEND_TO_QC)  # the detail shows nothing now
    assert started == []
    assert actions.flow is None
