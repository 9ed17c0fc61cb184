"""Screenshots of what travels with a case and of the workload dashboard, from the real app on
the demo portal.

    xvfb-run -a -s "-screen 0 1600x1000x24" env QT_QPA_PLATFORM=xcb \
        .venv/bin/python scripts/screenshots_floor.py

(without a display the script re-runs itself that way). Writes ``docs/screenshots/``
``ticket.png`` and ``label.png`` (a rush case's work ticket and its 62 × 29 mm tray label: the
window's own print job written as PDF, rendered by pdftoppm — what the printer gets), and
``dashboard_light.png`` / ``dashboard_dark.png`` (the dashboard window as the lab admin). The
demo runs in a throw-away LabDesk home.
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
sys.path.insert(0, str(ROOT))

from scripts import screenshots as shared  # noqa: E402
from scripts.screenshots import Director  # noqa: E402


def pdf_page_png(pdf: Path, name: str, dpi: int) -> None:
    """The PDF's first page as ``docs/screenshots/<name>`` (pdftoppm: what a printer gets)."""
    prefix = pdf.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
         str(prefix)],
        check=True,
    )  # fmt: skip
    shutil.copyfile(prefix.with_suffix(".png"), OUT / name)
    print(f"screenshots: wrote docs/screenshots/{name}", flush=True)


def main() -> int:
    if not os.environ.get("DISPLAY") and not os.environ.get("LABDESK_SCREENSHOTS_CHILD"):
        return shared.rerun_under_xvfb(__file__)
    home = Path(tempfile.mkdtemp(prefix="labdesk-shots-"))
    os.environ["LABDESK_HOME"] = str(home)
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

    from PySide6.QtCore import QTimer

    from labdesk.app import LabDeskApp
    from labdesk.client.demo import DEMO_PASSWORD
    from labdesk.config import Settings

    OUT.mkdir(parents=True, exist_ok=True)
    app = LabDeskApp(["labdesk", "--demo"], settings=Settings(theme="light"), demo=True)
    window, ws = app.window, app.workstation
    window.resize(1440, 900)
    director = Director(app)
    jobs: dict[str, object] = {}

    def synced_as(username: str) -> Callable[[], bool]:
        return shared.signed_in_and_synced(ws, window, username)

    def as_lab_admin() -> None:
        assert ws.demo is not None
        ws.sign_in(ws.demo.url, "lab_admin", DEMO_PASSWORD, remember=False)

    def load_jobs() -> None:
        rows = sorted(window.model.all_rows(), key=lambda r: (not r.rush, -len(r.items)))
        case_id = rows[0].case_id
        window.printing.load_job([case_id], lambda job: jobs.__setitem__("ticket", job))
        window.printing.load_job([case_id], lambda job: jobs.__setitem__("label", job), labels=True)

    def write_pages() -> None:
        for kind, dpi in (("ticket", 110), ("label", 300)):
            pdf = home / f"{kind}.pdf"
            jobs[kind].write_pdf(pdf)  # type: ignore[attr-defined]
            pdf_page_png(pdf, f"{kind}.png", dpi)

    def open_dashboard() -> None:
        window.show_dashboard().resize(1400, 920)

    def show_dwell() -> None:
        assert window.dashboard is not None
        window.dashboard.tabs.setCurrentIndex(4)  # where work waits: what labs never had

    def dashboard_shown() -> bool:
        dashboard = window.dashboard
        return bool(dashboard is not None and dashboard.figures and dashboard.clinic.count() > 1)

    def save_dashboard(name: str) -> Callable[[], None]:
        def shoot() -> None:
            assert window.dashboard is not None
            window.dashboard.grab().save(str(OUT / name))
            print(f"screenshots: wrote docs/screenshots/{name}", flush=True)

        return shoot

    def set_theme(theme: str) -> Callable[[], None]:
        return lambda: ws.save_settings(dataclasses.replace(ws.settings, theme=theme))

    def pause(name: str, ticks: int = 3) -> None:
        for n in range(ticks):
            director.then(f"{name} {n + 1}", lambda: True, lambda: None)

    director.then("demo signed in", synced_as("reviewer"), as_lab_admin)
    director.then("lab admin synced", synced_as("lab_admin"), load_jobs)
    director.then("print jobs built", lambda: len(jobs) == 2, write_pages)
    director.then("dashboard", lambda: True, open_dashboard)
    director.then("figures shown", dashboard_shown, show_dwell)
    pause("settle")
    director.then("light", lambda: True, save_dashboard("dashboard_light.png"))
    director.then("to dark", lambda: True, set_theme("dark"))
    pause("settle dark")
    director.then("dark", lambda: True, save_dashboard("dashboard_dark.png"))
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
