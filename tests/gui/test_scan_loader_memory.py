"""The viewer's loader keeps no helper process and builds picking data only when asked."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from pytestqt.qtbot import QtBot

from labdesk.gui.widgets.scan_loader import LoadRequest, ScanLoader
from labdesk.mesh.synthetic import generate_arch, write_binary_stl


def test_decimation_helper_exits_and_picking_waits_for_measuring(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "lower.stl"
    write_binary_stl(path, generate_arch("lower", triangles=40_000, seed=5))
    loader = ScanLoader()
    pickers: list = []
    displays: list = []
    loader.signals.picker_ready.connect(lambda _job, picker: pickers.append(picker))
    loader.signals.display_ready.connect(lambda _job, display: displays.append(display))
    with qtbot.waitSignal(loader.signals.finished, timeout=60_000):
        loader.start(LoadRequest(role="lower", path=str(path), display_budget=5_000))
    assert displays
    assert displays[0].n_faces <= 5_500
    assert multiprocessing.active_children() == []  # the helper is gone after its job
    (picker,) = pickers
    assert not picker.is_prepared  # nobody measured yet
    loader.prepare_pickers([picker, None])
    qtbot.waitUntil(lambda: picker.is_prepared, timeout=30_000)
    assert loader.wait(10_000)
