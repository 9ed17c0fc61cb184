"""Screenshots of the scan viewer for docs/screenshots (needs OpenGL: run under Xvfb).

    cd /work/main && QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1600x1000x24" \\
        .venv/bin/python scripts/screenshots_scan_view.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PySide6 import QtCore, QtWidgets

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from labdesk.gui.widgets.scan_view import ScanView  # noqa: E402
from labdesk.mesh import Scan  # noqa: E402
from labdesk.mesh.synthetic import generate_arch, write_binary_stl, write_ply  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SIZE = (1400, 860)


def settle(app: QtWidgets.QApplication, view: ScanView, seconds: float = 0.3) -> None:
    deadline = time.monotonic() + 120
    while view.is_loading() and time.monotonic() < deadline:
        app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 50)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 20)


def new_view() -> ScanView:
    view = ScanView()
    view.setWindowTitle("LabDesk — scans")
    view.resize(*SIZE)
    view.show()
    if not view.has_opengl():
        raise SystemExit(f"no OpenGL: {view.gl_reason}")
    return view


def main() -> None:
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv)
    assert isinstance(app, QtWidgets.QApplication)
    OUT.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="labdesk-shots-"))
    files = {}
    for jaw in ("upper", "lower"):
        files[jaw] = folder / f"{jaw}_jaw.ply"
        write_ply(files[jaw], generate_arch(jaw, triangles=300_000, seed=7, with_colors=True))
    metres = generate_arch("lower", triangles=150_000, seed=8)
    files["metres"] = folder / "lower_in_metres.stl"
    write_binary_stl(files["metres"], Scan(metres.vertices / 1000.0, metres.faces))

    # 1. Upper and lower arch in a closed bite, seen from the front and a little below.
    view = new_view()
    view.open_scan(str(files["upper"]), "upper")
    view.open_scan(str(files["lower"]), "lower")
    settle(app, view)
    view.reset_view()
    settle(app, view)
    view.grab().save(str(OUT / "scan_view_arches.png"))
    view.close()

    # 2. Measuring the distance between the mesial cusps of the first molars.
    view = new_view()
    view.open_scan(str(files["lower"]), "lower")
    settle(app, view)
    view.set_standard_view("occlusal")
    settle(app, view)
    gl = view.gl_view
    assert gl is not None
    lower = view._layers["lower"].scan
    assert lower is not None
    v = lower.vertices.astype(float)
    right = v[np.argmax(np.where((v[:, 0] < -15) & (v[:, 1] > 10), v[:, 2], -np.inf))]
    left = v[np.argmax(np.where((v[:, 0] > 15) & (v[:, 1] > 10), v[:, 2], -np.inf))]
    view.actions_by_name["measure"].trigger()
    view._on_view_clicked(gl.project(right))
    view._on_view_clicked(gl.project(left))
    settle(app, view)
    view.grab().save(str(OUT / "scan_view_measure.png"))
    print(f"measured {view.measurement():.2f} mm")
    view.close()

    # 3. A scan saved in metres: the check warns about the units.
    view = new_view()
    view.open_scan(str(files["metres"]), "lower")
    settle(app, view)
    view.set_standard_view("frontal")
    settle(app, view)
    view.grab().save(str(OUT / "scan_view_warning.png"))
    print(view.info_text())
    view.close()


if __name__ == "__main__":
    main()
