"""Screenshots of the workstation for the README, taken from the real app on the demo portal.

    xvfb-run -a -s "-screen 0 1600x1000x24" env QT_QPA_PLATFORM=xcb \
        .venv/bin/python scripts/screenshots.py

(without a display the script re-runs itself that way). Writes
``docs/screenshots/{main_window_light,main_window_dark,case_detail,sign_in}.png``. The demo
runs in a throw-away LabDesk home, so the person's own settings and caches are not touched.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SIZE = (1440, 900)


def rerun_under_xvfb() -> int:
    xvfb = shutil.which("xvfb-run")
    if xvfb is None:
        print("screenshots: no display and no xvfb-run", file=sys.stderr)
        return 1
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", LABDESK_SCREENSHOTS_CHILD="1")
    cmd = [xvfb, "-a", "-s", "-screen 0 1600x1000x24", sys.executable, __file__, *sys.argv[1:]]
    return subprocess.call(cmd, env=env)


class Director:
    """Runs the steps one after another, each when its condition holds."""

    def __init__(self, app: object, timeout_s: float = 180) -> None:
        from PySide6.QtCore import QTimer

        self.app = app
        self.steps: list[tuple[str, Callable[[], bool], Callable[[], None]]] = []
        self.timer = QTimer()
        self.timer.setInterval(200)
        self.timer.timeout.connect(self.tick)
        self.left = int(timeout_s * 5)
        self.failed = ""

    def then(self, name: str, ready: Callable[[], bool], act: Callable[[], None]) -> None:
        self.steps.append((name, ready, act))

    def tick(self) -> None:
        self.left -= 1
        if self.left <= 0:
            self.failed = f"timed out waiting for: {self.steps[0][0]}"
            self.app.quit()  # type: ignore[attr-defined]
            return
        if not self.steps:
            self.timer.stop()
            self.app.quit()  # type: ignore[attr-defined]
            return
        name, ready, act = self.steps[0]
        if ready():
            self.steps.pop(0)
            print(f"screenshots: {name}", flush=True)
            act()


def main() -> int:
    if not os.environ.get("DISPLAY") and not os.environ.get("LABDESK_SCREENSHOTS_CHILD"):
        return rerun_under_xvfb()
    home = Path(tempfile.mkdtemp(prefix="labdesk-shots-"))
    os.environ["LABDESK_HOME"] = str(home)
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    sys.path.insert(0, str(ROOT))

    from PySide6.QtCore import QTimer

    from labdesk.app import LabDeskApp
    from labdesk.config import Settings
    from labdesk.domain.lifecycle import Status
    from labdesk.services.workstation_queues import Queue

    OUT.mkdir(parents=True, exist_ok=True)
    app = LabDeskApp(["labdesk", "--demo"], settings=Settings(theme="light"), demo=True)
    window, ws = app.window, app.workstation
    window.resize(*SIZE)
    director = Director(app)

    def save(widget: object, name: str) -> Callable[[], None]:
        def shoot() -> None:
            widget.grab().save(str(OUT / name))  # type: ignore[attr-defined]
            print(f"screenshots: wrote docs/screenshots/{name}", flush=True)

        return shoot

    def synced() -> bool:
        status = ws.status
        return bool(status.online and status.last_sync and window.model.rowCount() > 0)

    def set_theme(theme: str) -> Callable[[], None]:
        return lambda: ws.save_settings(dataclasses.replace(ws.settings, theme=theme))

    def pick_case() -> None:
        """A case the reviewer decides on, with several items and scans of both jaws."""
        window.show_queue(Queue.TO_REVIEW, None)
        rows = [r for r in window.model.all_rows() if r.status is Status.RECEIVED]
        rows.sort(key=lambda r: (-len(r.items), -sum(len(t) for _, t in r.items), r.number))
        repo = ws._opened.repo if ws._opened is not None else None

        def scans(case_id: int) -> int:
            cached = repo.get_case(case_id) if repo is not None else None
            return sum(f.kind.value == "scan" for f in cached.case.files) if cached else 0

        best = next((r for r in rows if scans(r.case_id) >= 2), rows[0])
        window.open_case(best.case_id)

    def open_scans() -> None:
        view = window.detail.view
        for meta in view.case.files if view is not None else []:
            if meta.kind.value == "scan" and meta.jaw is not None:
                window.on_detail_file_open_clicked(meta)

    def scans_shown() -> bool:
        viewer = window.detail._scan_view
        return viewer is not None and not viewer.is_loading() and len(viewer.reports()) >= 2

    def sign_in_dialog() -> None:
        dialog = window.ask_sign_in(expired=False)
        dialog.ui.usernameEdit.setText("reviewer")
        dialog.ui.passwordEdit.setText("demo")

    director.then("demo signed in and synced", synced, lambda: None)
    director.then("light theme", lambda: True, save(window, "main_window_light.png"))
    director.then("to dark", lambda: True, set_theme("dark"))
    director.then("in work", lambda: True, lambda: window.show_queue(Queue.IN_WORK, None))
    director.then("dark theme", lambda: True, save(window, "main_window_dark.png"))
    director.then("to light", lambda: True, set_theme("light"))
    director.then("open a QC case", lambda: True, pick_case)
    director.then(
        "case shown",
        lambda: window.pages.currentWidget() is window.detail,
        lambda: None,
    )
    director.then("open the scans", lambda: True, open_scans)
    director.then("scans shown", scans_shown, lambda: None)
    director.then("settle", lambda: True, lambda: None)
    director.then("case detail", lambda: True, save(window, "case_detail.png"))
    director.then("back", lambda: True, window.on_back_triggered)
    director.then("sign-in dialog", lambda: True, sign_in_dialog)
    director.then(
        "sign-in shown",
        lambda: window.sign_in_dialog is not None and window.sign_in_dialog.isVisible(),
        lambda: None,
    )
    director.then(
        "sign in",
        lambda: True,
        lambda: save(window.sign_in_dialog, "sign_in.png")(),
    )
    app.start()
    QTimer.singleShot(0, director.timer.start)
    code = app.exec()
    shutil.rmtree(home, ignore_errors=True)
    if director.failed:
        print(f"screenshots: {director.failed}", file=sys.stderr)
        return 1
    return int(code)


if __name__ == "__main__":
    raise SystemExit(main())
