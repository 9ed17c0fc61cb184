"""Screenshots of the import preview for docs/screenshots, from the real app on the demo portal.

    xvfb-run -a -s "-screen 0 1600x1000x24" env QT_QPA_PLATFORM=xcb \
        .venv/bin/python scripts/screenshots_intake.py

(without a display the script re-runs itself that way). Writes
``docs/screenshots/intake_preview.png`` (an iTero export that is ready: dentist found by
licence, both jaws in the 3D view) and ``intake_preview_problems.png`` (an export naming a
dentist the portal does not know, a missing lower jaw and an upper scan in the wrong unit).
The packages are written by ``tests/intake_fixtures.py`` (generated meshes, invented people).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import screenshots as shared  # noqa: E402
from scripts.screenshots import OUT, Director  # noqa: E402


def write_packages(folder: Path) -> tuple[Path, Path]:
    from labdesk.mesh.synthetic import generate_arch, write_binary_stl
    from tests import intake_fixtures as fx

    good = fx.zip_folder(fx.write_itero(folder / "good"), folder / "iTero_123456.zip")
    number = "204417"
    lower = f"iTero_Export_#{number}_l.stl"
    bad = fx.write_itero(folder / "problems", order=number, versions=("2.4", "5.0", "6.1"),
                         missing=(lower,))  # fmt: skip
    arch = generate_arch("upper", triangles=1_000, seed=3)
    write_binary_stl(bad / f"iTero_Export_#{number}_u.stl",
                     dataclasses.replace(arch, vertices=arch.vertices * 40))  # fmt: skip
    for manifest in bad.glob("*.xml"):
        text = manifest.read_text(encoding="utf-8-sig").replace("SE-40117", "NO-31077")
        manifest.write_text(text.replace("Dr. Emma Lindqvist", "Dr. Jonas Berg"), "utf-8")
    return good, bad


def main() -> int:
    if not os.environ.get("DISPLAY") and not os.environ.get("LABDESK_SCREENSHOTS_CHILD"):
        return shared.rerun_under_xvfb(__file__)
    home = Path(tempfile.mkdtemp(prefix="labdesk-shots-"))
    os.environ["LABDESK_HOME"] = str(home)
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

    from PySide6.QtCore import QTimer

    from labdesk.app import LabDeskApp
    from labdesk.config import Settings

    OUT.mkdir(parents=True, exist_ok=True)
    good, bad = write_packages(home / "exports")
    app = LabDeskApp(["labdesk", "--demo"], settings=Settings(theme="light"), demo=True)
    window, ws = app.window, app.workstation
    window.resize(1440, 900)
    director = Director(app)
    dialogs: list[object] = []

    def signed_in() -> bool:
        status = ws.status
        return ws.session is not None and bool(status.last_sync) and not status.syncing

    def open_preview(path: Path) -> None:
        dialog = window.intake.open_package(str(path))
        dialog.resize(1280, 860)
        dialogs.append(dialog)

    def shown() -> bool:
        dialog = dialogs[-1]
        if dialog.preview is None:  # type: ignore[attr-defined]
            return False
        viewer = dialog.viewer  # type: ignore[attr-defined]
        if viewer is None:
            return True
        return not viewer.is_loading() and bool(viewer.reports() or viewer.errors())

    def shoot(name: str) -> None:
        dialog = dialogs[-1]
        dialog.grab().save(str(OUT / name))  # type: ignore[attr-defined]
        print(f"screenshots: wrote docs/screenshots/{name}", flush=True)
        dialog.reject()  # type: ignore[attr-defined]

    director.then("signed in and synced", signed_in, lambda: open_preview(good))
    director.then("good package shown", shown, lambda: shoot("intake_preview.png"))
    director.then("next", lambda: True, lambda: open_preview(bad))
    director.then("package with problems shown", shown,
                  lambda: shoot("intake_preview_problems.png"))  # fmt: skip
    app.start()
    QTimer.singleShot(0, director.timer.start)
    code = app.exec()
    shutil.rmtree(home, ignore_errors=True)
    if director.failed:
        print(f"screenshots: {director.failed}", file=sys.stderr)
        return 1
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
