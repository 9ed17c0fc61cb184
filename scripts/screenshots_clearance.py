"""Screenshots of the clearance map for docs/screenshots (needs OpenGL: run under Xvfb).

    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1600x1000x24" \\
        .venv/bin/python scripts/screenshots_clearance.py

The demo's third scan pair (the one whose crown case is on 36, prepared short of the 1.0 mm
the prescription asks for), generated exactly as the demo portal seeds it.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6 import QtCore, QtWidgets

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from labdesk.gui.widgets.scan_view import ScanView  # noqa: E402
from labdesk.mesh.synthetic import generate_pair, write_binary_stl  # noqa: E402
from labdesk.server.demo_scans import PREPARED, TRIANGLES  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SIZE = (1400, 860)
DEMO_PAIR = 2  # {36: 0.6}


def settle(app: QtWidgets.QApplication, until: object = None, seconds: float = 0.4) -> None:
    deadline = time.monotonic() + 180
    while callable(until) and not until() and time.monotonic() < deadline:
        app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 50)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 20)


def main() -> None:
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv)
    assert isinstance(app, QtWidgets.QApplication)
    OUT.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="labdesk-clearance-"))
    pair = generate_pair(
        triangles=TRIANGLES[DEMO_PAIR], seed=DEMO_PAIR, prepared=PREPARED[DEMO_PAIR]
    )
    files = {}
    for jaw, scan in zip(("upper", "lower"), pair, strict=True):
        files[jaw] = folder / f"{jaw}_jaw_scan_{DEMO_PAIR + 1}.stl"
        write_binary_stl(files[jaw], scan)

    view = ScanView()
    view.setWindowTitle("LabDesk — scans: clearance")
    view.resize(*SIZE)
    view.show()
    if not view.has_opengl():
        raise SystemExit(f"no OpenGL: {view.gl_reason}")
    view.open_scan(str(files["upper"]), "upper")
    view.open_scan(str(files["lower"]), "lower")
    settle(app, lambda: not view.is_loading())
    view.clearance.set_case_context([36], 1.0, [(1, "bite_scan_1.stl"), (2, "bite_scan_2.stl")])
    ready: list[bool] = []
    view.clearance.review_ready.connect(lambda: ready.append(True))
    view.clearance.action.trigger()
    settle(app, lambda: bool(ready))
    view.set_visible("upper", False)
    view.panel.rows["upper"].check.setChecked(False)
    view.set_standard_view("occlusal")
    settle(app, seconds=1.0)
    view.grab().save(str(OUT / "scan_clearance_map.png"))
    view.clearance.box.grab().save(str(OUT / "scan_clearance_panel.png"))
    print(view.clearance.box.text())
    view.close()


if __name__ == "__main__":
    main()
