"""The scan viewer driven like a reviewer drives it.

Tests marked ``gl`` need real OpenGL (run under Xvfb with QT_QPA_PLATFORM=xcb); the others run
offscreen with OpenGL reported unavailable and never create a GL widget.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QImage, QMouseEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from labdesk.gui.widgets.scan_loader import LoadRequest, ScanLoader
from labdesk.gui.widgets.scan_view import STANDARD_VIEWS, ScanView
from labdesk.mesh import Scan, load_scan
from labdesk.mesh.synthetic import generate_arch, write_binary_stl, write_ply

BACKGROUND = np.array([38, 42, 48])


@pytest.fixture(scope="module")
def arch_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("arches")
    files = {}
    for jaw in ("upper", "lower"):
        files[jaw] = folder / f"{jaw}.stl"
        write_binary_stl(files[jaw], generate_arch(jaw, triangles=60_000, seed=3))
    files["colour"] = folder / "lower_colour.ply"
    write_ply(files["colour"], generate_arch("lower", triangles=60_000, seed=3, with_colors=True))
    metres = generate_arch("lower", triangles=20_000)
    files["metres"] = folder / "metres.stl"
    write_binary_stl(files["metres"], Scan(metres.vertices / 1000.0, metres.faces))
    files["truncated"] = folder / "truncated.stl"
    files["truncated"].write_bytes(files["lower"].read_bytes()[:20_000])
    return files


def _load(qtbot: QtBot, view: ScanView, path: Path, role: str) -> None:
    view.open_scan(str(path), role)
    qtbot.waitUntil(lambda: not view.is_loading(), timeout=30_000)


def _pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    w, h = image.width(), image.height()
    data = np.frombuffer(image.constBits(), dtype=np.uint8)
    return data.reshape(h, image.bytesPerLine() // 4, 4)[:, :w, :3].astype(int)


def _object_mask(image: QImage) -> np.ndarray:
    pixels = _pixels(image)
    return np.abs(pixels - BACKGROUND).sum(axis=2) > 40


# ---------------------------------------------------------------- without OpenGL (offscreen)


@pytest.fixture
def blind_view(qtbot: QtBot) -> ScanView:
    view = ScanView(opengl=(False, "forced off by the test"))
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    return view


def test_without_opengl_the_viewer_says_so_plainly(blind_view: ScanView) -> None:
    assert not blind_view.has_opengl()
    assert blind_view.gl_view is None
    assert blind_view.message.isVisible()
    assert blind_view.message.text().startswith(
        "3D view unavailable: this computer has no working OpenGL (forced off by the test)"
    )
    assert not blind_view.actions_by_name["occlusal"].isEnabled()
    blind_view.set_standard_view("frontal")  # harmless without a view
    blind_view.reset_view()
    assert blind_view.grab_image().width() > 0


def test_without_opengl_the_scan_check_still_runs(
    qtbot: QtBot, blind_view: ScanView, arch_files: dict[str, Path]
) -> None:
    with qtbot.waitSignal(blind_view.report_ready, timeout=30_000):
        blind_view.open_scan(str(arch_files["metres"]), "lower", name="Lower jaw.stl")
    qtbot.waitUntil(lambda: not blind_view.is_loading(), timeout=30_000)
    text = blind_view.info_text()
    assert "Lower — Lower jaw.stl" in text
    assert "probably saved in metres" in text


def test_a_bad_file_gets_a_message_not_a_crash(
    qtbot: QtBot, blind_view: ScanView, arch_files: dict[str, Path]
) -> None:
    with qtbot.waitSignal(blind_view.scan_failed, timeout=30_000) as blocker:
        blind_view.open_scan(str(arch_files["truncated"]), "upper")
    role, message = blocker.args
    assert role == "upper"
    assert re.fullmatch(r"the file ends after 398 of 59,946 triangles \(it is truncated\)", message)
    assert "Could not open this file: the file ends after 398" in blind_view.info_text()
    qtbot.waitUntil(lambda: not blind_view.is_loading())
    assert not blind_view.progress.isVisible()


def test_loading_can_be_cancelled(
    qtbot: QtBot,
    blind_view: ScanView,
    arch_files: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import labdesk.gui.widgets.scan_loader as scan_loader

    cluster = scan_loader.decimate_for_display
    released = threading.Event()

    def slow_cluster(scan: Scan, budget: int) -> Scan:
        released.wait(20)  # the display mesh takes ~0.1 s now: hold the job until cancelled
        return cluster(scan, budget)

    monkeypatch.setattr(scan_loader, "decimate_for_display", slow_cluster)
    big = generate_arch("lower", triangles=600_000)
    blind_view.show_scan(big, "lower")
    assert blind_view.is_loading()
    assert not blind_view.cancel_button.isVisible()  # not for the first few hundred ms
    qtbot.waitUntil(blind_view.cancel_button.isVisible, timeout=5000)
    blind_view.cancel_button.click()
    released.set()
    qtbot.waitUntil(lambda: not blind_view.is_loading(), timeout=30_000)
    assert not blind_view.cancel_button.isVisible()
    # What was complete when cancelled stays; nothing half-done does.
    layer = blind_view._layers.get("lower")
    assert layer is None or layer.scan is not None


def test_a_cancelled_job_delivers_nothing_more(
    qtbot: QtBot, arch_files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import labdesk.gui.widgets.scan_loader as scan_loader

    # Only a soup of millions of triangles gets a flat preview the weld waits for: pretend.
    monkeypatch.setattr(scan_loader, "preview_worth_drawing", lambda _raw: True)
    loader = ScanLoader()
    seen: list[str] = []
    sig = loader.signals
    sig.preview_ready.connect(lambda *_: seen.append("preview"))
    sig.scan_ready.connect(lambda *_: seen.append("scan"))
    sig.cancelled.connect(lambda *_: seen.append("cancelled"))
    never = threading.Event()  # the view never reports its first frame: the job waits
    request = LoadRequest(
        role="lower", path=str(arch_files["lower"]), first_frame_drawn=never, first_frame_wait=30
    )
    job = loader.start(request)
    qtbot.waitUntil(lambda: "preview" in seen, timeout=10_000)
    loader.cancel(job)
    never.set()
    qtbot.waitUntil(lambda: "cancelled" in seen, timeout=10_000)
    assert seen == ["preview", "cancelled"]
    assert not loader.is_running(job)
    assert loader.wait(5000)


def test_the_viewer_module_does_not_import_pyqtgraph_opengl() -> None:
    code = (
        "import sys, labdesk.gui.widgets.scan_view; "
        "assert 'pyqtgraph.opengl' not in sys.modules, 'pyqtgraph.opengl imported'; "
        "assert 'OpenGL' not in sys.modules, 'PyOpenGL imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


# ---------------------------------------------------------------- with OpenGL (Xvfb)


@pytest.fixture
def view(qtbot: QtBot) -> ScanView:
    widget = ScanView()
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitExposed(widget)
    if not widget.has_opengl():
        pytest.fail(f"no OpenGL under this display: {widget.gl_reason}")
    return widget


@pytest.mark.gl
@pytest.mark.parametrize("name", list(STANDARD_VIEWS))
def test_each_standard_view_shows_the_arches(
    qtbot: QtBot, view: ScanView, arch_files: dict[str, Path], name: str
) -> None:
    _load(qtbot, view, arch_files["upper"], "upper")
    _load(qtbot, view, arch_files["lower"], "lower")
    view.set_standard_view(name)
    image = view.grab_image()
    mask = _object_mask(image)
    share = mask.mean()
    assert 0.05 < share < 0.9, f"{name}: object covers {share:.0%} of the view"
    rows, cols = np.nonzero(mask)
    h, w = mask.shape
    # In view: the object's middle is near the middle of the image and it is not cut off.
    assert abs(cols.mean() / w - 0.5) < 0.2
    assert abs(rows.mean() / h - 0.5) < 0.2
    assert rows.min() > 0
    assert rows.max() < h - 1
    assert cols.min() > 0
    assert cols.max() < w - 1
    # Lit, not flat: the object's pixels span a real range of brightness.
    brightness = _pixels(image)[mask].sum(axis=1)
    assert np.percentile(brightness, 95) - np.percentile(brightness, 5) > 60
    assert np.percentile(brightness, 50) > 300  # the surface facing us is bright


@pytest.mark.gl
def test_standard_views_differ(qtbot: QtBot, view: ScanView, arch_files: dict[str, Path]) -> None:
    _load(qtbot, view, arch_files["lower"], "lower")
    masks = {}
    for name in STANDARD_VIEWS:
        view.set_standard_view(name)
        masks[name] = _object_mask(view.grab_image())
    assert not np.array_equal(masks["left"], masks["right"])
    assert masks["occlusal"].mean() > masks["frontal"].mean()


def _mouse(view: ScanView, kind: QEvent.Type, pos: QPointF, buttons: Qt.MouseButton) -> None:
    """A mouse event at an exact (sub-pixel) position, as the mouse would send it."""
    target = view.gl_view
    assert target is not None
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
    event = QMouseEvent(
        kind, pos, target.mapToGlobal(pos), button, buttons, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(target, event)


def _click_at(view: ScanView, pos: QPointF) -> None:
    _mouse(view, QEvent.Type.MouseButtonPress, pos, Qt.MouseButton.LeftButton)
    _mouse(view, QEvent.Type.MouseButtonRelease, pos, Qt.MouseButton.NoButton)


@pytest.mark.gl
def test_measuring_between_two_known_points(
    qtbot: QtBot, view: ScanView, arch_files: dict[str, Path]
) -> None:
    _load(qtbot, view, arch_files["lower"], "lower")
    scan = load_scan(arch_files["lower"])
    view.set_standard_view("occlusal")
    v = scan.vertices
    # The tips of the highest cusps on the patient's right and left: visible from above.
    right = v[np.argmax(np.where(v[:, 0] < -12, v[:, 2], -np.inf))].astype(float)
    left = v[np.argmax(np.where(v[:, 0] > 12, v[:, 2], -np.inf))].astype(float)
    expected = float(np.linalg.norm(left - right))
    assert view.gl_view is not None
    view.actions_by_name["measure"].trigger()
    with qtbot.waitSignal(view.measured, timeout=2000) as blocker:
        _click_at(view, view.gl_view.project(right))
        _click_at(view, view.gl_view.project(left))
    assert blocker.args[0] == pytest.approx(expected, abs=0.05)
    assert view.measurement() == pytest.approx(expected, abs=0.05)
    assert f"{view.measurement():.2f} mm" in view.panel.distance.text()
    # The measurement is drawn into the snapshot.
    image = view.grab_image()
    px = _pixels(image)
    yellow = (px[..., 0] > 190) & (px[..., 1] > 150) & (px[..., 2] < 110)
    assert yellow.sum() > 50


@pytest.mark.gl
def test_a_click_beside_the_scan_measures_nothing(
    qtbot: QtBot, view: ScanView, arch_files: dict[str, Path]
) -> None:
    _load(qtbot, view, arch_files["lower"], "lower")
    view.set_standard_view("occlusal")
    view.set_measuring(True)
    _click_at(view, QPointF(5.0, 5.0))
    assert view.measurement() is None


@pytest.mark.gl
def test_wireframe_colour_visibility_and_opacity_change_the_picture(
    qtbot: QtBot, view: ScanView, arch_files: dict[str, Path]
) -> None:
    _load(qtbot, view, arch_files["colour"], "lower")
    view.set_standard_view("frontal")
    coloured = _pixels(view.grab_image())
    view.actions_by_name["colors"].trigger()  # off
    plain = _pixels(view.grab_image())
    assert np.abs(coloured - plain).sum(axis=2).mean() > 5
    # Colour on shows pink gums: red clearly above blue somewhere.
    assert ((coloured[..., 0] - coloured[..., 2]) > 60).mean() > 0.02
    view.set_wireframe(True)
    wire = _pixels(view.grab_image())
    assert np.abs(wire - plain).sum(axis=2).mean() > 3
    view.set_wireframe(False)
    view.panel.rows["lower"].slider.setValue(30)
    faint = _pixels(view.grab_image())
    assert np.abs(faint - plain).sum(axis=2).mean() > 5
    view.panel.rows["lower"].check.setChecked(False)
    assert _object_mask(view.grab_image()).mean() < 0.001


@pytest.mark.gl
def test_large_scan_draws_the_display_mesh_while_moving(
    qtbot: QtBot, arch_files: dict[str, Path]
) -> None:
    view = ScanView(display_budget=10_000)
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    _load(qtbot, view, arch_files["lower"], "lower")
    assert view.gl_view is not None
    layer_items = view._layers["lower"].items
    assert layer_items["display"].n_faces <= 10_500
    assert layer_items["full"].visible()
    assert not layer_items["display"].visible()
    # Drag to orbit: while the button is down the light mesh is drawn.
    centre = QPointF(view.gl_view.width() / 2, view.gl_view.height() / 2)
    azimuth = view.gl_view.opts["azimuth"]
    _mouse(view, QEvent.Type.MouseButtonPress, centre, Qt.MouseButton.LeftButton)
    _mouse(view, QEvent.Type.MouseMove, centre + QPointF(60, 0), Qt.MouseButton.LeftButton)
    assert view.gl_view.opts["azimuth"] != azimuth
    assert layer_items["display"].visible()
    assert not layer_items["full"].visible()
    assert _object_mask(view.grab_image()).mean() > 0.05
    _mouse(view, QEvent.Type.MouseButtonRelease, centre + QPointF(60, 0), Qt.MouseButton.NoButton)
    assert layer_items["full"].visible()
    assert not layer_items["display"].visible()
    assert view.measurement() is None


@pytest.mark.gl
def test_snapshot_writes_a_png(
    qtbot: QtBot, view: ScanView, arch_files: dict[str, Path], tmp_path: Path
) -> None:
    _load(qtbot, view, arch_files["upper"], "upper")
    target = tmp_path / "snap.png"
    assert view.snapshot(str(target))
    image = QImage(str(target))
    assert image.width() == view.gl_view.width() if view.gl_view else False
    assert _object_mask(image).mean() > 0.05


@pytest.mark.gl
def test_a_bad_file_next_to_a_good_one(
    qtbot: QtBot, view: ScanView, arch_files: dict[str, Path]
) -> None:
    _load(qtbot, view, arch_files["lower"], "lower")
    _load(qtbot, view, arch_files["truncated"], "upper")
    assert "upper" in view.errors()
    assert "the file ends after" in view.info_text()
    view.set_standard_view("frontal")
    assert _object_mask(view.grab_image()).mean() > 0.05
