"""The main window: queues and inbox, the case detail, the status bar, menus and shortcuts.

It holds no state of its own beyond what is on screen: cases, sync and settings come from
the :class:`Workstation` facade handed in, and every long step goes through it. Actions on
cases — one from the detail's action bar, a step for the inbox's selection, the conflicts
under "Needs attention" — open the action dialogs through :class:`WindowActions`, which is
handed what it needs (never the window). The menus and shortcuts are laid out in
:mod:`labdesk.gui.window_menus`.

A case that cannot be opened for a reason the person can act on (offline, …: a
:class:`~labdesk.errors.KnownError`) is said in the status bar; anything else is a bug and goes
to the error dialog with its details, not into a status line that looks like their mistake.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QSystemTrayIcon,
    QWidget,
)

from labdesk.client.inbox_index import InboxIndex
from labdesk.client.inbox_queues import QUEUE_LABELS, Queue, default_queue
from labdesk.client.inbox_rows import InboxRow
from labdesk.client.state import (
    CaseView,
    FileStatus,
    Person,
    Session,
    WorkstationStatus,
)
from labdesk.domain.lifecycle import Status
from labdesk.errors import is_known
from labdesk.gui.assets import icon
from labdesk.gui.barcode import BarcodeListener
from labdesk.gui.demo_users import DemoUserCombo
from labdesk.gui.error_dialog import show_bug
from labdesk.gui.help_dialogs import HelpWindows
from labdesk.gui.inbox_model import InboxModel
from labdesk.gui.inbox_view import InboxView
from labdesk.gui.intake_flow import IntakeFlow
from labdesk.gui.quit_guard import QuitGuard
from labdesk.gui.sign_in_dialog import SignInDialog
from labdesk.gui.status_bar import SyncStatusBar
from labdesk.gui.theme import apply_theme
from labdesk.gui.ticket_printing import TicketPrinting
from labdesk.gui.window_actions import WindowActions
from labdesk.gui.window_menus import WindowMenus
from labdesk.gui.window_state import WindowState
from labdesk.services.workstation import Workstation

if TYPE_CHECKING:
    from labdesk.api.schemas import FileMeta
    from labdesk.gui.case_detail import CaseDetail
    from labdesk.gui.dashboard import DashboardWindow
    from labdesk.gui.dialogs.run_action import SnapshotProvider

log = logging.getLogger(__name__)

INBOX_PAGE, CASE_PAGE = 0, 1
APP_TITLE = "LabDesk"


def unknown_case_message(number: str) -> str:
    return f"No case {number} (not in this lab, or not synced yet — Sync now)"


class MainWindow(QMainWindow):
    case_shown = Signal(int)  # a case is on screen (tests and tools wait on it)

    def __init__(
        self,
        workstation: Workstation,
        *,
        demo_users: tuple[tuple[str, str], ...] = (),
        state: WindowState | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ws = workstation
        self.state = state or WindowState()
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_TITLE)
        self.setWindowIcon(icon("labdesk"))
        self.model = InboxModel(self)
        self.model.set_notation(workstation.settings.tooth_notation)
        self.inbox = InboxView(self.model)
        self._detail: CaseDetail | None = None  # built when the first case is opened
        self.pages = QStackedWidget()
        self.pages.addWidget(self.inbox)
        self.setCentralWidget(self.pages)
        self.status = SyncStatusBar()
        self.setStatusBar(self.status)
        self.sign_in_dialog: SignInDialog | None = None
        self._user: Person | None = None
        self._had_sign_in = False  # signed in during this run (so a lost sign-in "expired")
        self._opening: int | None = None
        self._open_wanted: dict[int, bool] = {}  # file id -> is a scan
        self.tray: QSystemTrayIcon | None = None
        self.help = HelpWindows(workstation, self)  # shortcuts, the manual, About
        self.quit_guard = QuitGuard(self, lambda: self.ws.status.pending, self.close)
        self.case_actions = WindowActions(
            workstation,
            dialog_parent=self,
            selected_rows=self.inbox.selected_rows,
            selection_usable=self._selection_usable,
            current_queue=self.inbox.current_queue,
            menu_position=self.inbox.menu_position,
            shown_case=lambda: self._detail.view if self._detail is not None else None,
            scan_snapshot=self._scan_snapshot,
        )
        self.role_combo: DemoUserCombo | None = None
        if demo_users:
            self.role_combo = DemoUserCombo(workstation, demo_users, self.status)
        self.printing = TicketPrinting(
            workstation, dialog_parent=self, target_case_ids=self._print_targets
        )
        self.printing.reported.connect(lambda text: self.status.showMessage(text, 15_000))
        self.dashboard: DashboardWindow | None = None  # built when first opened
        self.menus = WindowMenus(self, self.case_actions, self.role_combo, self.printing)
        self.intake = IntakeFlow(
            workstation, dialog_parent=self, open_case=self.open_case, announce=self.announce
        )
        self.setAcceptDrops(True)  # a scanner export dropped anywhere opens its preview
        self.user_label = self.menus.user_label
        self.act_back = self.menus.back
        self._connect()
        settings = workstation.settings
        self.barcode = BarcodeListener(
            window=self,
            prefix=settings.scanner_prefix,
            suffix=settings.scanner_suffix,
            parent=self,
        )
        self.barcode.number_scanned.connect(self.on_barcode_number_scanned)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.barcode)
        self.inbox.restore_state(self.state.inbox())
        geometry = self.state.geometry()
        if geometry:
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 860)
        if self.state.window_state():
            self.restoreState(self.state.window_state() or b"")

    # --- building ---------------------------------------------------------------------------

    def _connect(self) -> None:
        ws, menus, actions = self.ws, self.menus, self.case_actions
        menus.settings.triggered.connect(self.on_settings_triggered)
        menus.import_package.triggered.connect(self.intake.on_import_triggered)
        menus.sign_out.triggered.connect(self.on_sign_out_triggered)
        menus.quit.triggered.connect(self.on_quit_triggered)
        menus.search.triggered.connect(self.on_search_triggered)
        menus.back.triggered.connect(self.on_back_triggered)
        menus.sync.triggered.connect(ws.sync_now)
        menus.shortcuts.triggered.connect(self.help.shortcuts)
        menus.about.triggered.connect(self.help.about)
        menus.manual.triggered.connect(self.help.manual)
        menus.dashboard.triggered.connect(self.show_dashboard)
        for queue, act in menus.queues.items():
            act.triggered.connect(lambda _=False, q=queue: self.on_queue_shortcut(q))
        ws.signed_in.connect(self.on_workstation_signed_in)
        ws.signed_out.connect(self.on_workstation_signed_out)
        ws.session_expired.connect(self.on_workstation_session_expired)
        ws.inbox_loaded.connect(self.on_workstation_inbox_loaded)
        ws.status_changed.connect(self.on_workstation_status_changed)
        ws.case_changed.connect(self.on_workstation_case_changed)
        ws.action_queued.connect(self.on_workstation_action_queued)
        ws.action_failed.connect(self.on_workstation_action_failed)
        ws.tasks.bug.connect(self.on_tasks_bug)
        ws.conflict_detected.connect(self.on_workstation_conflict_detected)
        ws.file_progressed.connect(self.on_workstation_file_progressed)
        ws.file_ready.connect(self.on_workstation_file_ready)
        ws.file_failed.connect(self.on_workstation_file_failed)
        ws.settings_changed.connect(self.on_workstation_settings_changed)
        self.model.new_cases_arrived.connect(self.on_model_new_cases_arrived)
        self.inbox.case_activated.connect(self.open_case)
        self.inbox.queue_changed.connect(self.on_inbox_queue_changed)
        self.inbox.selection_changed.connect(actions.update_enabled)
        self.inbox.context_menu_requested.connect(actions.apply_menu.popup)
        self.inbox.resolve_clicked.connect(actions.on_resolve_triggered)
        self.pages.currentChanged.connect(actions.update_enabled)
        self.status.sync_now_clicked.connect(ws.sync_now)
        self.status.conflicts_clicked.connect(lambda: self.show_queue(Queue.NEEDS_ATTENTION, None))

    @property
    def detail(self) -> CaseDetail:
        """The case page; built on first use (its modules stay out of the start-up)."""
        if self._detail is None:
            from labdesk.gui.case_detail import CaseDetail

            detail = CaseDetail()
            detail.back_clicked.connect(self.on_back_triggered)
            detail.action_clicked.connect(self.case_actions.on_detail_action_clicked)
            detail.conflicts_resolve_clicked.connect(self.case_actions.resolve)
            detail.case_link_clicked.connect(self.open_case)
            detail.file_download_clicked.connect(self.on_detail_file_download_clicked)
            detail.file_open_clicked.connect(self.on_detail_file_open_clicked)
            detail.reject_prefilled.connect(self.case_actions.on_detail_reject_prefilled)
            self.pages.addWidget(detail)
            self._detail = detail
        return self._detail

    def _selection_usable(self) -> bool:
        """ "Apply to selected" means something: the inbox is on screen with cases selected."""
        on_inbox = self.pages.currentWidget() is self.inbox
        return on_inbox and self.inbox.table.selectionModel().hasSelection()

    def _scan_snapshot(self) -> SnapshotProvider | None:
        """How to grab the scan on show, when one is shown in a working 3D view."""
        detail = self._detail
        return detail.scan_snapshot if detail is not None and detail.can_snapshot() else None

    def _print_targets(self) -> list[int]:
        """What "Print" prints: the case on show, else the inbox's selection."""
        detail = self._detail
        if self.pages.currentIndex() == CASE_PAGE and detail is not None and detail.case_id:
            return [detail.case_id]
        return [row.case_id for row in self.inbox.selected_rows()]

    def show_dashboard(self) -> DashboardWindow:
        """The workload dashboard (its own window; pyqtgraph loads on first use)."""
        if self.dashboard is None:
            from labdesk.gui.dashboard import DashboardWindow

            lab = self.ws.lab_name
            self.dashboard = DashboardWindow(self.ws.workload, lab_name=lab, parent=self)
            self.dashboard.status_clicked.connect(self.show_status)
        self.dashboard.show()
        self.dashboard.raise_()
        self.dashboard.activateWindow()
        return self.dashboard

    def show_status(self, status: Status) -> None:
        """Every case in ``status``, in the inbox (from a dashboard bar)."""
        if self.pages.currentIndex() == CASE_PAGE:
            self.on_back_triggered()
        self.inbox.show_status(status)
        self.activateWindow()

    # --- session ----------------------------------------------------------------------------

    def on_workstation_signed_in(self, session: Session) -> None:
        user = session.user
        switched = self._user is None or self._user.username != user.username
        self._user = user
        self._had_sign_in = session.token or (self._had_sign_in and not switched)
        roles = ", ".join(r.value.replace("_", " ") for r in user.roles)
        self.user_label.setText(f"{user.display_name} · {roles}")
        self.inbox.set_me(user.username)
        if self.role_combo is not None:
            self.role_combo.show_user(user.username)
        if switched:
            self.model.clear()
            if self.pages.currentIndex() == CASE_PAGE:
                self.on_back_triggered()
            self._choose_queue(user)
        self.update_title()
        self.status.show_state(self.ws.status)

    def _choose_queue(self, user: Person) -> None:
        saved = self.state.queue(user.username)
        if saved is not None:
            try:
                self.inbox.set_queue(Queue(saved[0]), Status(saved[1]) if saved[1] else None)
                return
            except ValueError:
                pass
        queue, stage = default_queue(user.roles)
        self.inbox.set_queue(queue, stage)

    def show_queue(self, queue: Queue, stage: Status | None) -> None:
        if self.pages.currentIndex() == CASE_PAGE:
            self.on_back_triggered()
        self.inbox.set_queue(queue, stage)

    def on_queue_shortcut(self, queue: Queue) -> None:
        self.show_queue(queue, None)

    def on_inbox_queue_changed(self, queue: Queue, stage: Status | None) -> None:
        self.update_title()
        if self._user is not None:
            self.state.save_queue(self._user.username, queue.value, stage.value if stage else "")

    def on_workstation_signed_out(self) -> None:
        self._user = None
        self.update_title()
        self.model.clear()
        self.user_label.setText("Not signed in")
        self.ask_sign_in(expired=False)

    def on_workstation_session_expired(self, message: str) -> None:
        self.status.showMessage(message, 10_000)
        self.ask_sign_in(expired=self._had_sign_in)

    def ask_sign_in(self, *, expired: bool) -> SignInDialog:
        """Show the sign-in dialog without blocking the window (work goes on behind it)."""
        if self.sign_in_dialog is not None and self.sign_in_dialog.isVisible():
            return self.sign_in_dialog
        session = self.ws.session
        dialog = SignInDialog(
            self.ws,
            server_url=session.server_url if session else self.ws.settings.server_url,
            username=session.user.username if session else self.ws.settings.last_username,
            expired=expired and session is not None and session.token is False,
            parent=self,
        )
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(self.on_sign_in_dialog_finished)
        self.sign_in_dialog = dialog
        dialog.open()
        return dialog

    def on_sign_in_dialog_finished(self, _result: int) -> None:
        dialog, self.sign_in_dialog = self.sign_in_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def on_sign_out_triggered(self) -> None:
        self.ws.sign_out()

    # --- inbox ------------------------------------------------------------------------------

    def on_workstation_inbox_loaded(self, index: InboxIndex) -> None:
        # Until a first sync has completed, arriving cases are the backlog, not news.
        self.model.set_index(index, announce=self.ws.status.last_sync is not None)

    def on_model_new_cases_arrived(self, rows: list[InboxRow]) -> None:
        if len(rows) == 1:
            text = f"New case {rows[0].number} from {rows[0].clinic}"
        else:
            text = f"{len(rows)} new cases: " + ", ".join(r.number for r in rows[:5])
            text += "…" if len(rows) > 5 else ""
        self.announce("New cases", text)

    def announce(self, title: str, text: str) -> None:
        """A tray message where the desktop has a notification area, else the status bar."""
        if QSystemTrayIcon.isSystemTrayAvailable():
            if self.tray is None:
                self.tray = QSystemTrayIcon(self.windowIcon(), self)
                self.tray.setToolTip("LabDesk")
                self.tray.messageClicked.connect(self.on_tray_message_clicked)
                self.tray.show()
            self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 8000)
        self.status.showMessage(text, 15_000)

    def on_tray_message_clicked(self) -> None:
        self.showNormal()
        self.activateWindow()

    def on_search_triggered(self) -> None:
        if self.pages.currentIndex() == CASE_PAGE:
            self.on_back_triggered()
        self.inbox.focus_search()

    def on_barcode_number_scanned(self, text: str) -> None:
        """A scanned or typed number opens exactly that case, or says it is not here: the
        inbox holds every case this person may see, so "not here" covers another lab's case
        and one not synced yet alike, and nothing else happens."""
        case_id = self.model.find_case_number(text)
        if case_id is None:
            QApplication.beep()
            self.status.showMessage(unknown_case_message(text), 20_000)
            return
        self.open_case(case_id)

    def update_title(self) -> None:
        """The title names what is on screen: the open case, else the queue (and the demo
        portal says so, so nobody mistakes it for the lab's)."""
        view = self._detail.view if self._detail is not None else None
        session = self.ws.session
        demo = " [demo]" if session is not None and session.demo else ""
        if self.pages.currentIndex() == CASE_PAGE and view is not None:
            self.setWindowTitle(f"{view.case.number} — {APP_TITLE}{demo}")
        elif self._user is not None:
            queue = QUEUE_LABELS[self.inbox.current_queue()]
            self.setWindowTitle(f"{queue} — {APP_TITLE}{demo}")
        else:
            self.setWindowTitle(APP_TITLE)

    # --- case detail ------------------------------------------------------------------------

    def open_case(self, case_id: int) -> None:
        self._opening = case_id
        self.model.mark_seen([case_id])
        self.inbox.select_case(case_id)
        self.status.showMessage("Opening the case…")
        self.ws.open_case(
            case_id,
            on_done=lambda view: self.on_case_loaded(case_id, view),
            on_error=lambda exc: self.on_case_failed(case_id, exc),
        )

    def on_case_loaded(self, case_id: int, view: CaseView) -> None:
        if self._opening != case_id:
            return  # the person opened another case meanwhile
        self.status.clearMessage()
        self.detail.show_case(view, self.ws.roles, self.ws.settings.tooth_notation)
        if self.pages.currentIndex() != CASE_PAGE:
            self.pages.setCurrentIndex(CASE_PAGE)
            self.detail.setFocus()
        self.act_back.setEnabled(True)
        self.update_title()
        self.case_shown.emit(case_id)

    def on_tasks_bug(self, name: str, exc: BaseException) -> None:
        """Background work hit a bug: the runner logged it with its traceback; show it."""
        del name
        show_bug(exc, self)

    def on_case_failed(self, case_id: int, exc: BaseException) -> None:
        # a bug reaches the person through on_tasks_bug; here only what the status bar says
        if self._opening != case_id:
            return  # the person opened another case meanwhile
        self._opening = None
        why = f": {exc}" if is_known(exc) else "."
        self.status.showMessage(f"The case could not be opened{why}", 10_000)

    def on_back_triggered(self) -> None:
        if self.pages.currentIndex() != CASE_PAGE:
            return
        self.pages.setCurrentIndex(INBOX_PAGE)
        self.act_back.setEnabled(False)
        self._opening = None
        self.ws.close_case()
        shown = self._detail.case_id if self._detail is not None else None
        if shown is not None and self.model.row_of_case(shown) is not None:
            self.inbox.select_case(shown)
        # else the case left the queue (accepted, say): the inbox already chose the next one
        self.inbox.focus_table()
        self.update_title()

    def on_workstation_case_changed(self, case_id: int) -> None:
        if self.pages.currentIndex() == CASE_PAGE and self.detail.case_id == case_id:
            self._opening = case_id
            self.ws.open_case(
                case_id,
                on_done=lambda view: self.on_case_loaded(case_id, view),
                on_error=lambda exc: self.on_case_failed(case_id, exc),
            )

    def on_workstation_action_queued(self, case_id: int) -> None:
        row = self.model.inbox_row(case_id)
        number = row.number if row else str(case_id)
        self.status.showMessage(
            f"{number}: action saved; it is sent when the portal answers.", 8000
        )

    def on_workstation_action_failed(self, case_id: int, message: str) -> None:
        self.status.showMessage(f"Not queued: {message}", 15_000)
        if self._detail is not None and self._detail.case_id == case_id:
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                "Action not queued",
                message,
                QMessageBox.StandardButton.Ok,
                self,
            )
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()  # not exec(): the window and the sync go on behind it

    def on_workstation_conflict_detected(self, case_id: int) -> None:
        row = self.model.inbox_row(case_id)
        number = row.number if row else str(case_id)
        self.announce(
            "Conflict", f"{number}: your action met a change on the portal; see Needs attention."
        )

    def on_detail_file_download_clicked(self, meta: FileMeta) -> None:
        self.detail.set_file_state(FileStatus(meta.id, downloading=True))
        self.ws.fetch_file(meta.id)

    def on_detail_file_open_clicked(self, meta: FileMeta) -> None:
        self._open_wanted[meta.id] = self.detail.is_scan(meta)
        self.ws.fetch_file(meta.id)  # verified again, from the store when it is there

    def on_workstation_file_ready(self, file_id: int, path: str) -> None:
        self.detail.set_file_state(FileStatus(file_id, stored=True, path=path))
        wanted = self._open_wanted.pop(file_id, None)
        view = self.detail.view
        if wanted is not None and view is not None:
            self.case_actions.note_file_opened(view.case.id, file_id)
        if wanted is None or view is None:
            self.status.showMessage("File downloaded and verified.", 5000)
        elif wanted:
            metas = [f for f in view.case.files if f.id == file_id]
            self.detail.show_scans([path], metas)
        else:
            self.open_file_externally(path)

    def on_workstation_file_progressed(self, file_id: int, done: int, total: int) -> None:
        if self._detail is not None:
            self._detail.set_file_progress(file_id, done, total)

    def on_workstation_file_failed(self, file_id: int, message: str) -> None:
        self._open_wanted.pop(file_id, None)
        self.detail.set_file_state(FileStatus(file_id, error=message))
        self.status.showMessage(message, 10_000)

    def open_file_externally(self, path: str) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(path))

    # --- status, settings, help -------------------------------------------------------------

    def on_workstation_status_changed(self, state: WorkstationStatus) -> None:
        self.status.show_state(state)

    def on_settings_triggered(self) -> None:
        from labdesk.gui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(
            self.ws.settings,
            measure_cache=self.ws.measure_cache,
            default_cache_dir=self.ws.default_cache_dir(),
            parent=self,
        )
        if dialog.exec() == SettingsDialog.DialogCode.Accepted:
            before = self.ws.settings
            after = dialog.result_settings
            self.ws.save_settings(after)
            if (after.cache_dir, after.server_url) != (before.cache_dir, before.server_url):
                self.status.showMessage(
                    "The new portal address and cache folder are used from the next sign-in.",
                    15_000,
                )

    def on_workstation_settings_changed(self, settings: Any) -> None:
        self.barcode.set_framing(settings.scanner_prefix, settings.scanner_suffix)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            self.model.set_palette(apply_theme(app, settings.theme))
        self.model.set_notation(settings.tooth_notation)
        self.status.show_state(self.ws.status)
        if self._detail is not None and self._detail.view is not None:
            self._detail.show_case(self._detail.view, self.ws.roles, settings.tooth_notation)

    # --- the end ----------------------------------------------------------------------------

    def save_state(self) -> None:
        self.state.save_window(bytes(self.saveGeometry().data()), bytes(self.saveState().data()))
        self.state.save_inbox(self.inbox.save_state())
        self.state.sync()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.intake.accepts(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        if self.intake.accepts(event.mimeData()):
            event.acceptProposedAction()
            self.intake.drop(event.mimeData())
        else:
            super().dropEvent(event)

    def on_quit_triggered(self) -> None:
        if self.quit_guard.needs_asking():
            self.quit_guard.ask()
        else:
            self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        # The person closing the window (not a program's close()) asks like Quit does.
        if event.spontaneous() and self.quit_guard.needs_asking():
            event.ignore()
            self.quit_guard.ask()
            return
        self.save_state()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.barcode)
        if self.tray is not None:
            self.tray.hide()
        super().closeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange and self._detail is not None:
            QTimer.singleShot(0, self._detail.refresh_theme)
        super().changeEvent(event)
