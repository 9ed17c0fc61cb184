"""The scan viewer's place in the case detail: opened from the files list (real OpenGL)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from labdesk.api.schemas import Case
from labdesk.domain.lifecycle import Status
from tests.gui.conftest import WAIT_MS, sign_in_through_dialog, wait_synced


@pytest.mark.gl
def test_opening_a_scan_shows_it_in_the_case_detail(
    qtbot: Any, portal: Any, portal_api: Any, workstation_window: Any
) -> None:
    window = workstation_window(portal.url)
    window.ask_sign_in(expired=False)
    sign_in_through_dialog(qtbot, window, "reviewer")
    wait_synced(qtbot, window)
    received = [r for r in window.model.all_rows() if r.status is Status.RECEIVED]
    case = next(
        Case.model_validate(c)
        for c in (portal_api.get("reviewer", r.case_id) for r in received)
        if any(f["kind"] == "scan" for f in c["files"])
    )
    with qtbot.waitSignal(window.case_shown, timeout=WAIT_MS):
        window.open_case(case.id)
    detail = window.detail
    assert detail.scan_area.isVisible()
    assert detail.scan_area.currentWidget() is detail.scan_placeholder
    scan = next(f for f in case.files if f.kind.value == "scan")

    def file_button() -> QPushButton:
        row = [f.id for f in case.files].index(scan.id)
        button = detail.files.table.cellWidget(row, 5).findChild(
            QPushButton, f"fileButton{scan.id}"
        )
        assert button is not None
        return button

    if file_button().text() == "Download":  # not fetched ahead yet: download, then open
        with qtbot.waitSignal(window.ws.file_ready, timeout=60_000):
            qtbot.mouseClick(file_button(), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: file_button().text() == "Open", timeout=WAIT_MS)
    assert file_button().text() == "Open"
    with qtbot.waitSignal(window.ws.file_ready, timeout=60_000):
        qtbot.mouseClick(file_button(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: detail._scan_view is not None, timeout=WAIT_MS)
    viewer = detail._scan_view
    assert detail.scan_area.currentWidget() is viewer
    qtbot.waitUntil(lambda: not viewer.is_loading() and bool(viewer.reports()), timeout=60_000)
    role = scan.jaw.value if scan.jaw else "upper"
    assert role in viewer.reports()
    assert scan.filename in viewer.info_text()
    # The scan view as it is, for a rejection's "attach the current scan view".
    assert detail.can_snapshot()
    image = detail.scan_snapshot()
    assert image is not None
    assert image.width() > 100
    assert image.height() > 100
