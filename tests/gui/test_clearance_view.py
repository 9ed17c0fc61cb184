"""The clearance map and bite check in the scan viewer, driven like a reviewer drives them.

Tests marked ``gl`` need real OpenGL (Xvfb, QT_QPA_PLATFORM=xcb); the others run offscreen with
OpenGL reported unavailable: the scan check panel still measures and says what it found.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from labdesk.domain.reasons import rejection_reason
from labdesk.gui.widgets.clearance_view import KIND
from labdesk.gui.widgets.scan_view import ScanView
from labdesk.mesh.synthetic import generate_pair, write_binary_stl

RED = np.array([214, 48, 39])


@pytest.fixture(scope="module")
def pair_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A demo pair in occlusion: 16 prepared with room to spare, 36 short of 1.0 mm."""
    folder = tmp_path_factory.mktemp("pair")
    upper, lower = generate_pair(triangles=80_000, prepared={16: 1.8, 36: 0.6})
    files = {"upper": folder / "upper.stl", "lower": folder / "lower.stl"}
    write_binary_stl(files["upper"], upper)
    write_binary_stl(files["lower"], lower)
    apart = lower.vertices.copy()
    apart[:, 2] -= 10.0
    files["apart"] = folder / "lower_apart.stl"
    from labdesk.mesh import Scan

    write_binary_stl(files["apart"], Scan(apart, lower.faces))
    return files


def _open_pair(qtbot: QtBot, view: ScanView, files: dict[str, Path], lower: str = "lower") -> None:
    view.open_scan(str(files["upper"]), "upper")
    view.open_scan(str(files[lower]), "lower")
    qtbot.waitUntil(lambda: not view.is_loading(), timeout=60_000)
    view.clearance.set_case_context([16, 36], 1.0, [(7, "bite_left.stl"), (8, "bite_right.stl")])


def _switch_on(qtbot: QtBot, view: ScanView) -> None:
    with qtbot.waitSignal(view.clearance.review_ready, timeout=60_000):
        view.clearance.set_active(True)


def _figure(text: str, tooth: int) -> float:
    found = re.search(rf"^{tooth}: (\d+\.\d) mm \(needs 1\.0 mm\)", text, re.MULTILINE)
    assert found, text
    return float(found.group(1))


# ---------------------------------------------------------------- offscreen (no OpenGL)


@pytest.fixture
def blind_view(qtbot: QtBot) -> ScanView:
    view = ScanView(opengl=(False, "forced off by the test"))
    qtbot.addWidget(view)
    return view


def test_the_panel_gives_each_prepared_tooth_its_clearance_and_the_bite(
    qtbot: QtBot, blind_view: ScanView, pair_files: dict[str, Path]
) -> None:
    _open_pair(qtbot, blind_view, pair_files)
    box = blind_view.clearance.box
    # Without switching the map on: the figures come once both jaws are in.
    qtbot.waitUntil(lambda: "36: " in box.text(), timeout=60_000)
    assert not blind_view.clearance.active
    text = box.text()
    assert 0.0 < _figure(text, 36) < 1.0
    assert "mm short" in text.split("36: ")[1].splitlines()[0]
    assert _figure(text, 16) >= 1.0
    assert "enough room" in text.split("16: ")[1].splitlines()[0]
    assert "In occlusion" in text
    assert blind_view.clearance.box.bites.count() == 2


def test_a_short_tooth_offers_the_insufficient_clearance_rejection(
    qtbot: QtBot, blind_view: ScanView, pair_files: dict[str, Path]
) -> None:
    _open_pair(qtbot, blind_view, pair_files)
    _switch_on(qtbot, blind_view)
    button = blind_view.clearance.box.reject_button
    assert button.isVisibleTo(blind_view)
    assert button.text() == "Reject: insufficient clearance…"
    with qtbot.waitSignal(blind_view.clearance.reject_requested) as asked:
        button.click()
    code, note = asked.args
    assert rejection_reason(code).label == "Insufficient occlusal clearance"
    measured = _figure(blind_view.clearance.box.text(), 36)
    assert f"36: {measured:.1f} mm (needs 1.0 mm)" in note
    assert "16:" not in note


def test_jaws_ten_millimetres_apart_are_not_in_occlusion(
    qtbot: QtBot, blind_view: ScanView, pair_files: dict[str, Path]
) -> None:
    _open_pair(qtbot, blind_view, pair_files, lower="apart")
    _switch_on(qtbot, blind_view)
    text = blind_view.clearance.box.text()
    assert "not in occlusion" in text
    assert not blind_view.clearance.box.reject_button.isVisibleTo(blind_view)


def test_choosing_a_bite_registration_asks_for_that_file(
    qtbot: QtBot, blind_view: ScanView, pair_files: dict[str, Path]
) -> None:
    _open_pair(qtbot, blind_view, pair_files)
    box = blind_view.clearance.box
    with qtbot.waitSignal(box.bite_chosen) as chosen:
        box.bites.activated.emit(1)
    assert chosen.args == [8]


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


def _pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    w, h = image.width(), image.height()
    data = np.frombuffer(image.constBits(), dtype=np.uint8)
    return data.reshape(h, image.bytesPerLine() // 4, 4)[:, :w, :3].astype(int)


@pytest.mark.gl
def test_the_clearance_map_colours_the_short_preparation_red(
    qtbot: QtBot, view: ScanView, pair_files: dict[str, Path]
) -> None:
    _open_pair(qtbot, view, pair_files)
    action = view.clearance.action
    assert action.isEnabled()
    assert action.shortcut().toString() == "Shift+C"
    with qtbot.waitSignal(view.clearance.review_ready, timeout=60_000):
        action.trigger()
    lower = view.layer("lower")
    assert lower is not None
    item = lower.items[KIND]
    assert item.visible()
    assert not lower.items["full"].visible()
    colours = np.asarray(item.colors)[:, :3].astype(int)
    assert (np.abs(colours - RED).sum(axis=1) == 0).any()  # the short preparation
    text = view.clearance.box.text()
    assert 0.0 < _figure(text, 36) < 1.0
    assert "In occlusion" in text
    assert view.clearance.legend.isVisible()
    assert "under 1.0 mm" in view.clearance.legend.text()

    view.set_standard_view("occlusal")
    view.set_visible("upper", False)
    qtbot.wait(200)
    image = view.grab_image()
    pixels = _pixels(image)
    assert (np.abs(pixels - RED).sum(axis=2) < 90).sum() > 20  # red on screen

    # Hovering a red spot says its distance, under the requirement (and the tooth, when the
    # arch is recognised: the short preparation is 36).
    rows, cols = np.nonzero(np.abs(pixels - RED).sum(axis=2) < 90)
    pick = len(rows) // 2
    hovered = view.clearance.hover_at(QPointF(float(cols[pick]), float(rows[pick])))
    found = re.match(r"(\d+\.\d\d) mm", hovered)
    assert found, hovered
    assert float(found.group(1)) < 1.0, hovered
    assert hovered.endswith("tooth 36"), hovered

    action.trigger()  # off: the normal look is back
    assert not item.visible()
    assert lower.items["full"].visible()
    assert not view.clearance.legend.isVisible()
