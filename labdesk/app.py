"""The LabDesk application: wires the workstation facade, the theme and the main window.

Start-up order keeps the first screen fast: the window appears, the last account's cache is
opened in the background and the inbox fills from it; only then do the client, the keyring
and the sync worker load. In demo mode the reference portal starts first (in this process)
and the app signs in as the reviewer.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication, QMessageBox

from labdesk import __version__
from labdesk.config import Settings
from labdesk.gui.assets import icon
from labdesk.gui.main_window import MainWindow
from labdesk.gui.theme import apply_theme
from labdesk.services.workstation import Workstation
from labdesk.smoke import SmokeRun

log = logging.getLogger(__name__)


class LabDeskApp(QApplication):
    def __init__(
        self,
        argv: Sequence[str],
        *,
        settings: Settings | None = None,
        demo: bool = False,
        server_url: str | None = None,
        quit_when_ready: bool = False,
        smoke_scan: bool = False,
        started_at: float | None = None,
    ) -> None:
        super().__init__(list(argv))
        self.setApplicationName("LabDesk")
        self.setOrganizationName("LabDesk")
        self.setApplicationVersion(__version__)
        self.setDesktopFileName("org.labdesk.LabDesk")
        self.setWindowIcon(icon("labdesk"))
        self.started_at = started_at or time.perf_counter()
        self.demo = demo
        self.quit_when_ready = quit_when_ready
        settings = settings if settings is not None else Settings.load()
        if server_url:
            settings = dataclasses.replace(settings, server_url=server_url)
        apply_theme(self, settings.theme)
        self.workstation = Workstation(settings, parent=self)
        demo_users: tuple[tuple[str, str], ...] = ()
        if demo:
            from labdesk.client.demo import DEMO_ROLES

            demo_users = DEMO_ROLES
        self.window = MainWindow(self.workstation, demo_users=demo_users)
        self.aboutToQuit.connect(self.on_about_to_quit)
        self.smoke: SmokeRun | None = None
        if quit_when_ready or smoke_scan:
            self.smoke = SmokeRun(
                self,
                self.window,
                started_at=self.started_at,
                wait_for_sync=demo,
                open_scan=smoke_scan,
                quit_app=self.exit,
            )

    def start(self) -> None:
        self.window.show()
        if self.demo:
            self.window.status.showMessage(
                "Starting the demo portal (first time: generating scans)…"
            )
            self.workstation.start_demo(self.on_demo_started, self.on_demo_failed)
        else:
            self.workstation.resume(self.on_resumed)

    # --- demo ---------------------------------------------------------------------------------

    def on_demo_started(self, portal: object) -> None:
        from labdesk.client.demo import DEMO_FIRST_USER, DEMO_PASSWORD

        url = self.workstation.settings.server_url
        self.window.status.showMessage(f"Demo portal at {url}; signing in as {DEMO_FIRST_USER}…")
        self.workstation.sign_in(
            url,
            DEMO_FIRST_USER,
            DEMO_PASSWORD,
            remember=False,
            on_done=lambda _user: self.window.status.clearMessage(),
            on_error=self.on_demo_failed,
        )

    def on_demo_failed(self, exc: BaseException) -> None:
        log.error("demo start failed: %s", exc, exc_info=exc)
        if self.smoke is not None:
            self.smoke.fail(f"the demo could not start: {exc}")
            return
        QMessageBox.critical(self.window, "LabDesk demo", f"The demo could not start: {exc}")

    # --- normal start -------------------------------------------------------------------------

    def on_resumed(self, session: object) -> None:
        if session is None:
            self.window.ask_sign_in(expired=False)

    def on_about_to_quit(self) -> None:
        self.workstation.shutdown()
