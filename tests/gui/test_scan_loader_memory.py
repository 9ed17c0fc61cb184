"""The viewer's loader starts no helper process, builds picking data only when asked, and
waits for the view's frames only where a frame is drawn."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from pytestqt.qtbot import QtBot

from labdesk.gui.widgets.scan_loader import LoadRequest, ScanLoader
from labdesk.mesh.synthetic import generate_arch, write_binary_stl


def test_display_mesh_without_a_helper_and_picking_waits_for_measuring(
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
    assert multiprocessing.active_children() == []  # clustered in the loader's thread
    (picker,) = pickers
    assert not picker.is_prepared  # nobody measured yet
    loader.prepare_pickers([picker, None])
    qtbot.waitUntil(lambda: picker.is_prepared, timeout=30_000)
    assert loader.wait(10_000)


def test_frame_gates_open_on_the_frame_after_the_delivery_or_when_nothing_is_drawn() -> None:
    import numpy as np

    from labdesk.gui.widgets.scan_frames import (
        PREVIEW_MIN_TRIANGLES,
        FrameGates,
        preview_worth_drawing,
    )
    from labdesk.mesh import RawMesh

    gates = FrameGates()
    first, second, third = gates.new(), gates.new(), gates.new()
    gates.frame_painted(5)
    assert not first.is_set()  # nothing delivered yet: a frame does not open it
    gates.arm(first, 5)
    gates.frame_painted(5)  # the frame already in flight does not count
    assert not first.is_set()
    gates.frame_painted(6)
    assert first.is_set()
    assert not second.is_set()
    gates.open(second)  # nothing will be drawn for it
    assert second.is_set()
    gates.open_all()  # cancelled
    assert third.is_set()

    soup = RawMesh(np.zeros((3 * 1_000, 3), np.float32), None, None, "small.stl", "stl")
    assert not preview_worth_drawing(soup)  # welded before a preview would be on screen
    corners = np.zeros((3 * PREVIEW_MIN_TRIANGLES, 3), np.float32)
    assert preview_worth_drawing(RawMesh(corners, None, None, "big.stl", "stl"))
    indexed = RawMesh(corners[:3], np.zeros((1, 3), np.int32), None, "a.ply", "ply")
    assert not preview_worth_drawing(indexed)  # needs only its normals


def test_a_small_soup_does_not_wait_for_a_preview_and_the_check_waits_for_the_smooth_frame(
    qtbot: QtBot, tmp_path: Path
) -> None:
    import threading

    path = tmp_path / "small.stl"
    write_binary_stl(path, generate_arch("lower", triangles=20_000, seed=2))
    loader = ScanLoader()
    seen: list[str] = []
    loader.signals.scan_ready.connect(lambda *_: seen.append("scan"))
    loader.signals.report_ready.connect(lambda *_: seen.append("report"))
    never, smooth = threading.Event(), threading.Event()
    request = LoadRequest(
        role="lower",
        path=str(path),
        first_frame_drawn=never,  # nothing is drawn before the weld of a small soup
        smooth_frame_drawn=smooth,
        first_frame_wait=30,
        smooth_frame_wait=30,
    )
    loader.start(request)
    qtbot.waitUntil(lambda: "scan" in seen, timeout=10_000)
    qtbot.wait(300)
    assert seen == ["scan"]  # the check waits for the smooth frame
    smooth.set()
    qtbot.waitUntil(lambda: "report" in seen, timeout=10_000)
    assert loader.wait(10_000)
