"""The scan viewer's place in the case detail: opened from the files list (real OpenGL)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from labdesk.domain.lifecycle import Status
from tests.gui.conftest import WAIT_MS, sign_in_through_dialog, wait_synced


@pytest.mark.gl
def test_opening_a_scan_shows_it_in_the_case_detail(
    qtbot: Any, portal: Any, workstation_window: Any
) -> None:
    window = workstation_window(portal.url)
    window.ask_sign_in(expired=False)
    sign_in_through_dialog(qtbot, window, "reviewer")
    wait_synced(qtbot, window)
    received = [r for r in window.model.all_rows() if r.status is Status.RECEIVED]
    repo = window.ws._opened.repo
    case = next(
        c.case
        for c in (repo.get_case(r.case_id) for r in received)
        if c is not None and any(f.kind.value == "scan" for f in c.case.files)
    )
    with qtbot.waitSignal(window.case_shown, timeout=WAIT_MS):
        window.open_case(case.id)
    detail = window.detail
    assert detail.scan_area.isVisible()
    assert detail.scan_area.currentWidget() is detail.scan_placeholder
    scan = next(f for f in case.files if f.kind.value == "scan")
    holder = detail.files.table.cellWidget([f.id for f in case.files].index(scan.id), 5)
    button = holder.findChild(QPushButton, f"fileButton{scan.id}")
    assert button.text() in ("Open", "Download")
    with qtbot.waitSignal(window.ws.file_ready, timeout=60_000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: detail._scan_view is not None, timeout=WAIT_MS)
    viewer = detail._scan_view
    assert detail.scan_area.currentWidget() is viewer
    qtbot.waitUntil(lambda: not viewer.is_loading() and bool(viewer.reports()), timeout=60_000)
    role = scan.jaw.value if scan.jaw else "upper"
    assert role in viewer.reports()
    assert scan.filename in viewer.info_text()
