"""Issue 13, points 4 and 6, in the real window on the real portal with real OpenGL (Xvfb):
a measurement belongs to the scan it was made on, and the reviewer's Measure and Snapshot
stay visible at 1440×900 (the "»" of what does not fit is visible in the dark theme)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QToolButton

from labdesk.api.schemas import Case
from labdesk.domain.lifecycle import Status
from labdesk.gui.theme import apply_theme
from tests.gui.conftest import WAIT_MS, sign_in_through_dialog, wait_synced
from tests.gui.test_scan_view import _click_at, _pixels

pytestmark = pytest.mark.gl

NO_MEASUREMENT = "Click two points on the surface (M)."


def cases_with_scans(window: Any, portal_api: Any, n: int) -> list[Case]:
    received = [r for r in window.model.all_rows() if r.status is Status.RECEIVED]
    found: list[Case] = []
    for row in received:
        case = Case.model_validate(portal_api.get("reviewer", row.case_id))
        if any(f.kind.value == "scan" for f in case.files):
            found.append(case)
        if len(found) == n:
            return found
    pytest.fail("the demo has too few received cases with scans")


def open_first_scan(qtbot: Any, window: Any, case: Case) -> Any:
    """Open the case and its first scan from the files list, as a person does."""
    with qtbot.waitSignal(window.case_shown, timeout=WAIT_MS):
        window.open_case(case.id)
    detail = window.detail
    scan = next(f for f in case.files if f.kind.value == "scan")
    holder = detail.files.table.cellWidget([f.id for f in case.files].index(scan.id), 5)
    button = holder.findChild(QPushButton, f"fileButton{scan.id}")
    if button.text() == "Download":
        with qtbot.waitSignal(window.ws.file_ready, timeout=60_000):
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        holder = detail.files.table.cellWidget([f.id for f in case.files].index(scan.id), 5)
        button = holder.findChild(QPushButton, f"fileButton{scan.id}")
    with qtbot.waitSignal(window.ws.file_ready, timeout=60_000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # "Open"
    qtbot.waitUntil(lambda: detail._scan_view is not None, timeout=WAIT_MS)
    viewer = detail._scan_view
    qtbot.waitUntil(lambda: not viewer.is_loading() and bool(viewer.reports()), timeout=60_000)
    return viewer


def measure_across(qtbot: Any, viewer: Any) -> float:
    """Measure between the cusp tips on either side of the arch (seen from the occlusal view,
    where the biting surface faces the camera: up for a lower arch, down for an upper)."""
    (layer,) = [lay for lay in viewer._layers.values() if lay.scan is not None]
    viewer.set_standard_view("occlusal")
    QApplication.processEvents()
    v = layer.scan.vertices
    height = v[:, 2] * (-1 if layer.role == "upper" else 1)
    right = v[np.argmax(np.where(v[:, 0] < -12, height, -np.inf))].astype(float)
    left = v[np.argmax(np.where(v[:, 0] > 12, height, -np.inf))].astype(float)
    viewer.actions_by_name["measure"].setChecked(True)
    with qtbot.waitSignal(viewer.measured, timeout=5000) as blocker:
        _click_at(viewer, viewer.gl_view.project(right))
        _click_at(viewer, viewer.gl_view.project(left))
    return float(blocker.args[0])


@pytest.fixture
def reviewer_1440(qtbot: Any, portal: Any, workstation_window: Any) -> Any:
    window = workstation_window(portal.url)
    window.resize(1440, 900)
    window.ask_sign_in(expired=False)
    sign_in_through_dialog(qtbot, window, "reviewer")
    wait_synced(qtbot, window)
    return window


def test_a_measurement_belongs_to_its_scan(qtbot: Any, reviewer_1440: Any, portal_api: Any) -> None:
    window = reviewer_1440
    first, second = cases_with_scans(window, portal_api, 2)
    viewer = open_first_scan(qtbot, window, first)
    distance = measure_across(qtbot, viewer)
    assert f"{distance:.2f} mm" in viewer.panel.distance.text()

    viewer = open_first_scan(qtbot, window, second)  # another case: no old value
    assert viewer.measurement() is None
    assert viewer.panel.distance.text() == NO_MEASUREMENT

    viewer = open_first_scan(qtbot, window, first)  # back to the first scan: its ruler
    assert viewer.measurement() == pytest.approx(distance)
    assert f"{distance:.2f} mm" in viewer.panel.distance.text()
    px = _pixels(viewer.grab_image())
    assert ((px[..., 0] > 190) & (px[..., 1] > 150) & (px[..., 2] < 110)).sum() > 50  # drawn

    viewer.clear_measurement()  # cleared on purpose: stays cleared when coming back
    open_first_scan(qtbot, window, second)
    viewer = open_first_scan(qtbot, window, first)
    assert viewer.measurement() is None


def test_measure_and_snapshot_are_visible_at_1440_by_900(
    qtbot: Any, reviewer_1440: Any, portal_api: Any
) -> None:
    window = reviewer_1440
    assert (window.width(), window.height()) == (1440, 900)
    (case,) = cases_with_scans(window, portal_api, 1)
    viewer = open_first_scan(qtbot, window, case)
    bar = viewer.toolbar
    for name in ("measure", "snapshot"):
        button = bar.widgetForAction(viewer.actions_by_name[name])
        assert button is not None, name
        assert button.isVisible(), name
        assert bar.rect().contains(button.geometry()), name

    # Narrower, something goes behind "»"; its glyph contrasts with the theme: light on the
    # dark theme, dark on the light one.
    app = QApplication.instance()
    try:
        viewer.toolbar.setMaximumWidth(200)
        QApplication.processEvents()
        more = bar.findChild(QToolButton, "qt_toolbar_ext_button")
        assert more is not None
        qtbot.waitUntil(more.isVisible, timeout=WAIT_MS)
        apply_theme(app, "dark")
        QApplication.processEvents()
        assert min(glyph_lightness(more)) > 170
        apply_theme(app, "light")
        QApplication.processEvents()
        assert max(glyph_lightness(more)) < 100
    finally:
        viewer.toolbar.setMaximumWidth(16_777_215)
        apply_theme(app, "light")


def glyph_lightness(button: QToolButton) -> list[int]:
    glyph = button.icon().pixmap(16, 16).toImage()
    assert not glyph.isNull()
    shades = [
        glyph.pixelColor(x, y).lightness()
        for x in range(glyph.width())
        for y in range(glyph.height())
        if glyph.pixelColor(x, y).alpha() > 128
    ]
    assert shades
    return shades
