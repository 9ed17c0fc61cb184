"""Screenshot of the status bar when the portal goes away (issue 13, point 5): "Reconnecting…
(n pending)" shown within seconds, the work kept. Offscreen (no OpenGL needed):

    .venv/bin/python scripts/screenshots_feed.py

Writes ``docs/screenshots/status_reconnecting.png``. Runs a demo portal in a throw-away home.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots" / "status_reconnecting.png"


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = Path(tempfile.mkdtemp(prefix="labdesk-shot-"))
    os.environ["LABDESK_HOME"] = str(home / "home")
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from labdesk.api.schemas import CasePatch
    from labdesk.config import Settings
    from labdesk.gui.main_window import MainWindow
    from labdesk.gui.theme import apply_theme
    from labdesk.gui.window_state import WindowState
    from labdesk.server.demo import seed_demo
    from labdesk.server.embedded import start_portal
    from labdesk.server.settings import ServerSettings
    from labdesk.services.workstation import Workstation

    app = QApplication(sys.argv)
    apply_theme(app, "light")
    settings = ServerSettings(data_dir=home / "portal", demo=True)
    seed_demo(settings, scans=False)
    portal = start_portal(settings)
    ws = Workstation(Settings(server_url=portal.url, theme="light"), save_settings=False)
    window = MainWindow(ws, state=WindowState())
    window.resize(1440, 900)
    window.show()

    def wait(predicate: object, seconds: float = 60.0) -> None:
        deadline = time.monotonic() + seconds
        while not predicate():  # type: ignore[operator]
            if time.monotonic() > deadline:
                raise SystemExit("screenshots: timed out")
            QCoreApplication.processEvents()
            time.sleep(0.02)

    ws.sign_in(portal.url, "reviewer", "demo", remember=False)
    wait(lambda: ws.status.online is True and ws.feed_state == "live")
    portal.stop()
    row = next(iter(ws.account.repo.load_inbox_rows()))
    ws.actions.queue_patch(row.case_id, CasePatch(tags=["waiting-for-portal"]))
    wait(lambda: window.status.connection.text().startswith("● Reconnecting… (1"))
    for _ in range(20):
        QCoreApplication.processEvents()
        time.sleep(0.02)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(OUT))
    print(f"screenshots: {OUT.relative_to(ROOT)} ({window.status.connection.text()})")
    window.close()
    ws.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
