"""Screenshots of the workstation for the README, taken from the real app on the demo portal.

    xvfb-run -a -s "-screen 0 1600x1000x24" env QT_QPA_PLATFORM=xcb \
        .venv/bin/python scripts/screenshots.py

(without a display the script re-runs itself that way). Writes
``docs/screenshots/{main_window_light,main_window_dark,bulk_selection,case_detail,sign_in}.png``
— the inbox as the reviewer, a tray of cases selected with the "Apply to selected" menu as the
ceramist, a QC case with its scans and the action bar as the QC manager (the demo's role
switcher). The demo runs in a throw-away LabDesk home, so the person's own settings and
caches are not touched.
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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SIZE = (1440, 900)


def rerun_under_xvfb(script: str = __file__) -> int:
    """Run ``script`` again on a virtual screen (the screenshot scripts need a real window)."""
    xvfb = shutil.which("xvfb-run")
    if xvfb is None:
        print("screenshots: no display and no xvfb-run", file=sys.stderr)
        return 1
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", LABDESK_SCREENSHOTS_CHILD="1")
    cmd = [xvfb, "-a", "-s", "-screen 0 1600x1000x24", sys.executable, script, *sys.argv[1:]]
    return subprocess.call(cmd, env=env)


def signed_in_and_synced(ws: Any, window: Any, username: str) -> Callable[[], bool]:
    """Ready once ``username`` is signed in, online, synced and the inbox shows rows."""

    def ready() -> bool:
        session, status = ws.session, ws.status
        return bool(
            session is not None
            and session.user.username == username
            and status.online
            and status.last_sync
            and not status.syncing
            and window.model.rowCount() > 0
        )

    return ready


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
    from labdesk.client.inbox_queues import Queue
    from labdesk.config import Settings
    from labdesk.domain.lifecycle import Status

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

    def save_screen(name: str) -> Callable[[], None]:
        """The window's area of the screen: with its popup menu or tooltip."""

        def shoot() -> None:
            area = window.geometry()
            screen = app.primaryScreen()
            image = screen.grabWindow(0, area.x(), area.y(), area.width(), area.height())
            image.save(str(OUT / name))
            print(f"screenshots: wrote docs/screenshots/{name}", flush=True)

        return shoot

    def synced_as(username: str) -> Callable[[], bool]:
        return signed_in_and_synced(ws, window, username)

    def switch_to(username: str) -> Callable[[], None]:
        """What the demo's "try as" switcher does."""

        def act() -> None:
            from labdesk.client.demo import DEMO_PASSWORD

            assert ws.demo is not None
            ws.sign_in(ws.demo.url, username, DEMO_PASSWORD, remember=False)

        return act

    def set_theme(theme: str) -> Callable[[], None]:
        return lambda: ws.save_settings(dataclasses.replace(ws.settings, theme=theme))

    def select_tray() -> None:
        """A tray of crowns out of finishing: four cases selected, the step's menu open."""
        window.show_queue(Queue.IN_WORK, Status.FINISHING)
        ids = [window.model.case_id_at(r) for r in range(1, min(5, window.model.rowCount()))]
        window.inbox.select_cases([i for i in ids if i is not None])
        window.inbox.table.setFocus()
        button = window.case_actions.apply_button  # as if it was clicked
        window.case_actions.apply_menu.popup(button.mapToGlobal(button.rect().bottomLeft()))

    class Finder:
        """Opens the candidates one by one until a case has scans of both jaws."""

        def __init__(self) -> None:
            self.rows: list[int] = []
            self.at = -1

        def start(self) -> None:
            rows = [r for r in window.model.all_rows() if r.status is Status.QC]
            rows.sort(key=lambda r: (r.signed_off, -len(r.items), r.number))
            self.rows = [r.case_id for r in rows]
            self.next()

        def next(self) -> None:
            self.at += 1
            window.open_case(self.rows[self.at])

        def found(self) -> bool:
            view = window.detail.view
            if window.pages.currentWidget() is not window.detail or view is None:
                return False
            if view.case.id != self.rows[self.at]:
                return False
            jaws = {f.jaw for f in view.case.files if f.kind.value == "scan" and f.jaw}
            if len(jaws) >= 2 or self.at + 1 >= len(self.rows):
                return True
            self.next()
            return False

    finder = Finder()

    def open_scans() -> None:
        view = window.detail.view
        for meta in view.case.files if view is not None else []:
            if meta.kind.value == "scan" and meta.jaw is not None:
                window.on_detail_file_open_clicked(meta)

    def scans_shown() -> bool:
        viewer = window.detail._scan_view
        return viewer is not None and not viewer.is_loading() and len(viewer.reports()) >= 2

    def show_why_not() -> None:
        """The ⓘ's tooltip: why the actions one might expect here are not offered."""
        from PySide6.QtWidgets import QToolTip

        info = window.detail.action_bar.info
        QToolTip.showText(info.mapToGlobal(info.rect().bottomRight()), info.toolTip(), info)

    def sign_in_dialog() -> None:
        dialog = window.ask_sign_in(expired=False)
        dialog.ui.usernameEdit.setText("reviewer")
        dialog.ui.passwordEdit.setText("demo")

    def pause(name: str, ticks: int = 3) -> None:
        for n in range(ticks):
            director.then(f"{name} {n + 1}", lambda: True, lambda: None)

    director.then("demo signed in and synced", synced_as("reviewer"), lambda: None)
    director.then("light theme", lambda: True, save(window, "main_window_light.png"))
    director.then("to dark", lambda: True, set_theme("dark"))
    director.then("in work", lambda: True, lambda: window.show_queue(Queue.IN_WORK, None))
    director.then("dark theme", lambda: True, save(window, "main_window_dark.png"))
    director.then("to light", lambda: True, set_theme("light"))
    director.then("as the ceramist", lambda: True, switch_to("ceramist"))
    director.then("ceramist synced", synced_as("ceramist"), select_tray)
    director.then(
        "apply menu shown", lambda: window.case_actions.apply_menu.isVisible(), lambda: None
    )
    pause("settle the menu")
    director.then("bulk selection", lambda: True, save_screen("bulk_selection.png"))
    director.then("close the menu", lambda: True, window.case_actions.apply_menu.hide)
    director.then("as the QC manager", lambda: True, switch_to("qc_manager"))
    director.then("QC manager synced", synced_as("qc_manager"), finder.start)
    director.then("a QC case with scans", finder.found, lambda: None)
    director.then("open the scans", lambda: True, open_scans)
    director.then("scans shown", scans_shown, lambda: None)
    director.then("why not", lambda: True, show_why_not)
    pause("settle the tooltip")
    director.then("case detail", lambda: True, save_screen("case_detail.png"))
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
