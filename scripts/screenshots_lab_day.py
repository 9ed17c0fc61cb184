"""Screenshots of the lab-day fixes (issue 13), from the real app on the demo portal.

    xvfb-run -a -s "-screen 0 1600x1000x24" env QT_QPA_PLATFORM=xcb \
        .venv/bin/python scripts/screenshots_lab_day.py

(without a display the script re-runs itself that way). Writes ``docs/screenshots/lab_day_*``:
an unknown scanned number in the inbox (1), a case page with its QC record, shipment and a
step synced later (2, 3), a scan measured at 1440×900 and the scan toolbar in the dark theme
(4, 6), the demo switcher as the finishing tech and the quit question (7), the user manual
and About (8). The demo runs in a throw-away LabDesk home.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SIZE = (1440, 900)
UNKNOWN = "C-2026-77777"
TRACKING = "1Z999AA10123456784"

sys.path.insert(0, str(ROOT / "scripts"))
import screenshots as shared  # noqa: E402  (the same helpers as the README's shots)
from screenshots import Director  # noqa: E402


def portal_act(url: str, username: str, case_id: int, body: dict[str, object]) -> None:
    """An action on the portal as ``username`` would take it from another workstation."""
    import httpx

    with httpx.Client(base_url=f"{url}/api/v1", timeout=30) as client:
        login = client.post("/auth/login", json={"username": username, "password": "demo"})
        client.headers["Authorization"] = f"Bearer {login.json()['token']}"
        version = client.get(f"/cases/{case_id}").json()["version"]
        answer = client.post(
            f"/cases/{case_id}/actions",
            json=body,
            headers={"If-Match": str(version), "Idempotency-Key": str(uuid.uuid4())},
        )
        answer.raise_for_status()


def main() -> int:
    if not os.environ.get("DISPLAY") and not os.environ.get("LABDESK_SCREENSHOTS_CHILD"):
        return shared.rerun_under_xvfb(__file__)
    home = Path(tempfile.mkdtemp(prefix="labdesk-shots-"))
    os.environ["LABDESK_HOME"] = str(home)
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    sys.path.insert(0, str(ROOT))

    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest

    from labdesk.app import LabDeskApp
    from labdesk.client.demo import DEMO_PASSWORD
    from labdesk.client.inbox_queues import Queue
    from labdesk.config import Settings
    from labdesk.domain.lifecycle import Status
    from labdesk.domain.qc import CHECKLIST
    from labdesk.gui.quit_guard import QuitGuard

    OUT.mkdir(parents=True, exist_ok=True)
    app = LabDeskApp(["labdesk", "--demo"], settings=Settings(theme="light"), demo=True)
    window, ws = app.window, app.workstation
    window.resize(*SIZE)
    director = Director(app, timeout_s=300)
    state: dict[str, object] = {}

    def write(image: object, name: str) -> None:
        image.save(str(OUT / name))  # type: ignore[attr-defined]
        print(f"screenshots: wrote docs/screenshots/{name}", flush=True)

    def save(widget: Callable[[], object], name: str) -> Callable[[], None]:
        return lambda: write(widget().grab(), name)  # type: ignore[attr-defined]

    def save_screen(name: str, widget: Callable[[], object] | None = None) -> Callable[[], None]:
        """That area of the screen (OpenGL and popups included): the window by default."""

        def shoot() -> None:
            target = widget() if widget is not None else window
            top_left = target.mapToGlobal(target.rect().topLeft())  # type: ignore[attr-defined]
            size = target.size()  # type: ignore[attr-defined]
            screen = app.primaryScreen()
            write(
                screen.grabWindow(0, top_left.x(), top_left.y(), size.width(), size.height()), name
            )

        return shoot

    def synced_as(username: str) -> Callable[[], bool]:
        return shared.signed_in_and_synced(ws, window, username)

    def switch_to(username: str) -> Callable[[], None]:
        def act() -> None:
            assert ws.demo is not None
            combo = window.role_combo
            if combo is not None:
                combo.show_user(username)
            ws.sign_in(ws.demo.url, username, DEMO_PASSWORD, remember=False)

        return act

    def pause(name: str, ticks: int = 3) -> None:
        for n in range(ticks):
            director.then(f"{name} {n + 1}", lambda: True, lambda: None)

    # 1. an unknown number scanned in the inbox, a row selected
    def scan_unknown() -> None:
        window.show_queue(Queue.ALL, None)
        window.inbox.focus_table()
        window.inbox.table.selectRow(3)
        QTest.keyClicks(window.inbox.table, UNKNOWN, Qt.KeyboardModifier.NoModifier, 2)
        QTest.keyClick(window.inbox.table, Qt.Key.Key_Return)

    # 2 and 3: a QC case signed off on a workstation that was offline 3 minutes, then shipped
    def sign_off_and_ship() -> None:
        url = ws.demo.url  # type: ignore[union-attr]
        row = next(r for r in window.model.all_rows() if r.status is Status.QC and not r.signed_off)
        taken = datetime.now(UTC) - timedelta(minutes=3)
        points = [{"point": p, "passed": True, "note": ""} for p, _ in CHECKLIST]
        points[3]["note"] = "A2 matched under daylight lamp"
        portal_act(
            url,
            "qc_manager",
            row.case_id,
            {"action": "qc_pass", "checklist": points, "occurred_at": taken.isoformat()},
        )
        portal_act(
            url,
            "shipping",
            row.case_id,
            {"action": "ship", "carrier": "UPS", "tracking_number": TRACKING},
        )
        state["shipped"] = row.case_id
        ws.sync_now()

    def shipped_in_inbox() -> bool:
        row = window.model.inbox_row(int(state.get("shipped", 0)))  # type: ignore[arg-type]
        return row is not None and row.status is Status.SHIPPED

    def shipped_page_shown() -> bool:
        view = window.detail.view if window.pages.currentIndex() == 1 else None
        return view is not None and view.case.id == state.get("shipped")

    def scroll_to_records() -> None:
        """The column with the QC record, the shipment and the timeline, scrolled to them."""
        from PySide6.QtWidgets import QScrollArea

        detail = window.detail
        parent = detail.timeline.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(detail.qc_title, 0, 0)
            parent.ensureWidgetVisible(detail.timeline, 0, 20)

    # 4 and 6: a scan measured at 1440×900; the scan toolbar in the dark theme
    def open_scan_case() -> None:
        rows = [r for r in window.model.all_rows() if r.status is Status.RECEIVED]
        state["scan_rows"] = [r.case_id for r in rows]
        window.open_case(rows[0].case_id)

    def scan_case_shown() -> bool:
        view = window.detail.view if window.pages.currentIndex() == 1 else None
        if view is None:
            return False
        if any(f.kind.value == "scan" for f in view.case.files):
            return True
        ids: list[int] = state["scan_rows"]  # type: ignore[assignment]
        ids.remove(view.case.id)
        window.open_case(ids[0])
        return False

    def open_scan() -> None:
        view = window.detail.view
        assert view is not None
        meta = next(f for f in view.case.files if f.kind.value == "scan")
        window.on_detail_file_open_clicked(meta)

    def scan_shown() -> bool:
        viewer = window.detail._scan_view
        return viewer is not None and not viewer.is_loading() and bool(viewer.reports())

    def measure() -> None:
        import numpy as np

        viewer = window.detail._scan_view
        (layer,) = [lay for lay in viewer._layers.values() if lay.scan is not None]
        viewer.set_standard_view("occlusal")
        v = layer.scan.vertices
        height = v[:, 2] * (-1 if layer.role == "upper" else 1)
        ends = [
            v[np.argmax(np.where(v[:, 0] < -12, height, -np.inf))].astype(float),
            v[np.argmax(np.where(v[:, 0] > 12, height, -np.inf))].astype(float),
        ]
        viewer.actions_by_name["measure"].setChecked(True)
        for end in ends:
            viewer._on_view_clicked(viewer.gl_view.project(end))

    def dark_narrow_toolbar() -> None:
        ws.save_settings(dataclasses.replace(ws.settings, theme="dark"))
        window.detail._scan_view.toolbar.setMaximumWidth(260)

    # 7 and 8
    def quit_question() -> None:
        guard = QuitGuard(window, lambda: 2, lambda: None)
        state["quit"] = guard.ask()

    director.then("demo signed in and synced", synced_as("reviewer"), scan_unknown)
    pause("the message shows")
    director.then("unknown number", lambda: True, save(lambda: window, "lab_day_unknown_case.png"))
    director.then("scan case", lambda: True, open_scan_case)
    director.then("a case with scans", scan_case_shown, open_scan)
    director.then("scan shown", scan_shown, measure)
    pause("the ruler is drawn")
    director.then("measured", lambda: True, save_screen("lab_day_scan_measure_1440.png"))
    director.then("dark", lambda: True, dark_narrow_toolbar)
    pause("the theme applies")
    director.then(
        "toolbar dark",
        lambda: True,
        save_screen("lab_day_scan_toolbar_dark.png", lambda: window.detail._scan_view),
    )
    director.then(
        "light again",
        lambda: True,
        lambda: ws.save_settings(dataclasses.replace(ws.settings, theme="light")),
    )
    director.then("back", lambda: True, window.on_back_triggered)
    director.then("as the lab admin", lambda: True, switch_to("lab_admin"))
    director.then("lab admin synced", synced_as("lab_admin"), sign_off_and_ship)
    director.then(
        "shipped arrives",
        shipped_in_inbox,
        lambda: window.open_case(int(state["shipped"])),  # type: ignore[arg-type]
    )
    director.then("shipped page", shipped_page_shown, lambda: None)
    director.then("to the records", lambda: True, scroll_to_records)
    pause("the page settles")
    director.then("case page", lambda: True, save(lambda: window, "lab_day_qc_shipment.png"))
    director.then("back again", lambda: True, window.on_back_triggered)
    director.then("as the finishing tech", lambda: True, switch_to("finishing_tech"))
    director.then("finishing synced", synced_as("finishing_tech"), lambda: None)
    pause("the queue settles")
    director.then("switcher", lambda: True, save(lambda: window, "lab_day_finishing_tech.png"))
    director.then("quit question", lambda: True, quit_question)
    pause("the question shows")
    director.then("quit", lambda: True, save(lambda: state["quit"], "lab_day_quit_pending.png"))
    director.then("close it", lambda: True, lambda: state["quit"].reject())  # type: ignore[attr-defined]
    director.then("manual", lambda: True, window.help.manual)
    pause("the manual shows")
    director.then(
        "manual shown",
        lambda: True,
        save(lambda: window.help.dialogs["manual"], "lab_day_manual.png"),
    )
    director.then("about", lambda: True, window.help.about)
    pause("about shows")
    director.then(
        "about shown", lambda: True, save(lambda: window.help.dialogs["about"], "lab_day_about.png")
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
