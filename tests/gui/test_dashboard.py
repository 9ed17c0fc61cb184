"""The workload dashboard in the real window on the real portal: the figures on screen are the
portal's answer, a bar opens the inbox on those cases, the filters narrow, the export writes
what is shown."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from labdesk.api.schemas import Workload
from labdesk.client.workload_tables import all_tables
from tests.gui.conftest import WAIT_MS, sign_in_through_dialog, wait_synced

# The dashboard is raised when opened; the offscreen platform cannot raise a window.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise")


@pytest.fixture
def admin_window(qtbot: Any, portal: Any, workstation_window: Any) -> Any:
    window = workstation_window(portal.url)
    window.ask_sign_in(expired=False)
    sign_in_through_dialog(qtbot, window, "lab_admin")
    wait_synced(qtbot, window)
    return window


def _portal_figures(portal_api: Any, **params: Any) -> Workload:
    answer = portal_api.as_("lab_admin").get("/workload", params=params).json()
    return Workload.model_validate(answer)


def _open_dashboard(qtbot: Any, window: Any) -> Any:
    with qtbot.waitSignal(window.ws.workload.figures_loaded, timeout=WAIT_MS):
        qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    dashboard = window.dashboard
    qtbot.waitUntil(lambda: dashboard.figures is not None, timeout=WAIT_MS)
    return dashboard


def _assert_shows(dashboard: Any, expected: Workload) -> None:
    shown = dashboard.figures.figures
    assert dashboard.status_chart.shown == {e.status: e.count for e in expected.by_status}
    assert dashboard.due_chart.shown["overdue"] == sum(expected.overdue.values())
    for status, heights in dashboard.due_chart.shown["stacks"].items():
        assert heights == [day.counts.get(status, 0) for day in expected.due]
    assert dashboard.due_chart.shown["rush"] == [day.rush for day in expected.due]
    assert dashboard.shipped_chart.shown == {d.day: d.shipped for d in expected.shipped}
    assert dashboard.on_time_chart.shown == {
        w.week_start: (w.on_time, w.shipped) for w in expected.on_time
    }
    names = dashboard._item_names
    assert [m.table for m in dashboard.models.values()] == all_tables(expected, names)
    assert shown.model_dump(exclude={"as_of"}) == expected.model_dump(exclude={"as_of"})


def test_figures_match_the_portal_and_a_bar_filters_the_inbox(
    qtbot: Any, admin_window: Any, portal_api: Any, tmp_path: Path
) -> None:
    window = admin_window
    dashboard = _open_dashboard(qtbot, window)
    qtbot.waitUntil(lambda: dashboard.clinic.count() > 1, timeout=WAIT_MS)
    _assert_shows(dashboard, _portal_figures(portal_api))
    assert dashboard.state.text().startswith("As of")

    status = max(dashboard.status_chart.shown, key=dashboard.status_chart.shown.get)
    chart = dashboard.status_chart
    at = chart.bar_center(status).toPoint()
    qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=at)
    qtbot.waitUntil(lambda: window.inbox.current_filter().status is status, timeout=WAIT_MS)
    model = window.model
    rows = [model.inbox_row(model.case_id_at(r)) for r in range(model.rowCount())]
    assert {row.status for row in rows} == {status}
    assert len(rows) == chart.shown[status]  # the bar's cases, every one of them

    clinic_id = dashboard.clinic.itemData(1)
    with qtbot.waitSignal(dashboard.figures_shown, timeout=WAIT_MS):
        dashboard.clinic.setCurrentIndex(1)
    assert dashboard.figures.figures.clinic_id == clinic_id
    _assert_shows(dashboard, _portal_figures(portal_api, clinic_id=clinic_id))

    written = dashboard.export_csv(tmp_path / "csv")
    assert len(written) == 7
    with (tmp_path / "csv" / "cases_per_status.csv").open() as handle:
        rows_csv = list(csv.reader(handle))
    assert rows_csv[0] == ["Status", "Cases", "Overdue"]
    assert sum(int(r[1]) for r in rows_csv[1:]) == sum(dashboard.status_chart.shown.values())
    pngs = dashboard.export_png(tmp_path / "png")
    assert [p.name for p in pngs] == [
        "cases_per_status.png",
        "due_next_14_days.png",
        "shipped_per_day.png",
        "on_time_per_week.png",
    ]
    assert all(not QImage(str(p)).isNull() for p in pngs)


def test_the_dashboard_refreshes_after_a_sync(qtbot: Any, admin_window: Any) -> None:
    window = admin_window
    dashboard = _open_dashboard(qtbot, window)
    first = dashboard.figures.fetched_at
    with qtbot.waitSignal(dashboard.figures_shown, timeout=WAIT_MS):
        window.ws.sync_now()
    assert dashboard.figures.fetched_at > first
    dashboard.close()
    assert not window.ws.workload.watching
