"""``labdesk --quit-when-ready [--smoke-scan]``: start, prove the parts work, exit.

Used by the start-up benchmark, the wheel test and the frozen app's smoke test. It waits until
the inbox shows cases — with ``--demo`` also until a sync with the portal has finished, so a
fresh cache proves the whole path (portal, client, cache, window); the benchmark, measuring the
cached inbox, does not wait for the network — prints ``inbox populated: …`` and quits with 0.

With ``--smoke-scan`` it goes on to prove what a bundle may silently lack: every Designer form
builds, the keyring backends of this platform are importable, fast-simplification runs in its
spawned helper process, and a case's scan opens in the OpenGL viewer. Anything missing exits
non-zero with a line on stderr saying what; a watchdog ends a run that hangs.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from labdesk.client.state import WorkstationStatus
from labdesk.gui.main_window import MainWindow

log = logging.getLogger(__name__)
WATCHDOG_S = 180
KEYRING_BACKENDS = {
    "linux": "keyring.backends.SecretService",
    "win32": "keyring.backends.Windows",
    "darwin": "keyring.backends.macOS",
}


def say(line: str) -> None:
    """To stdout for the caller, and to the log (a windowed Windows program has no stdout)."""
    print(line, flush=True)
    log.info("%s", line)


class SmokeRun(QObject):
    """Drives one smoke run of the started application; ``exit_code`` is what main returns."""

    def __init__(
        self,
        app: QApplication,
        window: MainWindow,
        *,
        started_at: float,
        wait_for_sync: bool,
        open_scan: bool,
        quit_app: Callable[[int], None],
    ) -> None:
        super().__init__(window)
        self.app, self.window = app, window
        self.started_at = started_at
        self.open_scan = open_scan
        self.quit_app = quit_app
        self.synced = not wait_for_sync
        self.done = False
        self._tried: list[int] = []
        window.model.modelReset.connect(self.on_progress)
        window.ws.status_changed.connect(self.on_workstation_status_changed)
        QTimer.singleShot(WATCHDOG_S * 1000, lambda: self.fail(f"not ready in {WATCHDOG_S} s"))

    # --- stage 1: the inbox after a sync --------------------------------------------------

    def on_workstation_status_changed(self, status: WorkstationStatus) -> None:
        if status.last_sync is not None and not status.syncing:
            self.synced = True
            self.on_progress()

    def on_progress(self) -> None:
        rows = self.window.model.all_rows()
        if self.done or not self.synced or not rows or self._tried:
            return
        # Measured once the rows are painted, not when the model has them.
        self.window.inbox.table.viewport().repaint()
        elapsed = time.perf_counter() - self.started_at
        say(
            f"inbox populated: {len(rows)} cases in {elapsed:.3f} s "
            f"(cpu {time.process_time():.3f} s)"
        )
        if not self.open_scan:
            self.finish()
            return
        try:
            self.check_forms()
            self.check_keyring()
            self.check_decimation_helper()
        except Exception as exc:  # a bundle that lacks a part: say which, exit non-zero
            self.fail(f"{type(exc).__name__}: {exc}")
            return
        self.window.case_shown.connect(self.on_window_case_shown)
        try:
            self.open_next_case()
        except Exception as exc:
            self.fail(f"{type(exc).__name__}: {exc}")

    # --- stage 2: the parts a bundle may lack ---------------------------------------------

    def check_forms(self) -> None:
        forms = importlib.import_module("labdesk.gui.forms")
        built = 0
        for info in pkgutil.iter_modules(forms.__path__):
            if not info.name.startswith("ui_"):
                continue
            module = importlib.import_module(f"labdesk.gui.forms.{info.name}")
            for name in dir(module):
                if name.startswith("Ui_"):
                    host = QWidget()
                    getattr(module, name)().setupUi(host)
                    host.deleteLater()
                    built += 1
        if not built:
            raise RuntimeError("no Designer forms in the bundle")
        say(f"smoke: {built} Designer forms built")

    def check_keyring(self) -> None:
        import keyring

        wanted = KEYRING_BACKENDS.get(sys.platform)
        if wanted:
            importlib.import_module(wanted)
        backend = type(keyring.get_keyring())
        say(f"smoke: keyring backend {backend.__module__}.{backend.__name__}")

    def check_decimation_helper(self) -> None:
        import trimesh

        from labdesk.mesh import Scan
        from labdesk.mesh.decimate import decimate_for_display, decimate_in_helper

        sphere = trimesh.creation.icosphere(subdivisions=4)
        scan = Scan(sphere.vertices, sphere.faces, None, "smoke sphere")
        smaller = decimate_in_helper(scan, 1000)
        say(f"smoke: decimated {scan.n_faces} -> {smaller.n_faces} faces in the helper process")
        shown = decimate_for_display(scan, 1000)
        say(f"smoke: display mesh {scan.n_faces} -> {shown.n_faces} faces (grid clustering)")

    # --- stage 3: a scan in the viewer -----------------------------------------------------

    def open_next_case(self) -> None:
        for row in self.window.model.all_rows():
            if row.case_id not in self._tried:
                self._tried.append(row.case_id)
                self.window.open_case(row.case_id)
                return
        self.fail("no case with a scan")

    def on_window_case_shown(self, case_id: int) -> None:
        try:
            self._show_scan_of_shown_case()
        except Exception as exc:  # a smoke run reports and exits; it never waits on a dialog
            self.fail(f"{type(exc).__name__}: {exc}")

    def _show_scan_of_shown_case(self) -> None:
        view = self.window.detail.view
        scans = [f for f in view.case.files if self.window.detail.is_scan(f)] if view else []
        if not scans or len(self._tried) > 50:
            self.open_next_case() if len(self._tried) <= 50 else self.fail("no scan found")
            return
        from labdesk.gui.widgets.scan_view import ScanView

        self.window.on_detail_file_open_clicked(scans[0])
        self.window.case_shown.disconnect(self.on_window_case_shown)
        self._wait_for_viewer(ScanView, scans[0].filename)

    def _wait_for_viewer(self, kind: type, filename: str) -> None:
        viewer = self.window.findChild(kind)
        if viewer is None:  # created when the file has been fetched
            QTimer.singleShot(100, lambda: self._wait_for_viewer(kind, filename))
            return
        viewer.scan_loaded.connect(lambda role: self.on_scan_loaded(filename, role))
        viewer.scan_failed.connect(lambda role, message: self.fail(f"scan failed: {message}"))
        # A small scan may be in before this poll found the viewer: its signal has gone.
        for role in ("upper", "lower", "bite"):
            layer = viewer.layer(role)
            if layer is not None and layer.scan is not None:
                self.on_scan_loaded(filename, role)
                return

    def on_scan_loaded(self, filename: str, role: str) -> None:
        say(f"smoke: scan {filename} ({role}) shown in the 3D view")
        self.finish()

    # --- the end ----------------------------------------------------------------------------

    def finish(self) -> None:
        if not self.done:
            self.done = True
            QTimer.singleShot(0, lambda: self.quit_app(0))

    def fail(self, message: str) -> None:
        if not self.done:
            self.done = True
            print(f"smoke failed: {message}", file=sys.stderr, flush=True)
            log.error("smoke failed: %s", message)
            QTimer.singleShot(0, lambda: self.quit_app(1))
