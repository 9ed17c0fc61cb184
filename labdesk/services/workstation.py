"""The workstation facade: the one object the GUI talks to.

Signing in and out, the per-user cache, the sync worker, inbox rows, opening a case,
actions through the outbox (one or many, their outcomes, conflicts), attachments, the
portal's reference lists, files, settings and the embedded demo portal all go through here.
Every method returns at once: work that touches the network or the disk runs on the task
runner (the account-level work itself is in :mod:`labdesk.client.casework`) and
answers through a callback or a signal on the GUI thread. The GUI never imports the server,
the cache or httpx; this module imports them lazily, so a start from the cache does not pay
for what it does not use yet.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from labdesk.client import casework as acc
from labdesk.client.inbox_index import InboxIndex
from labdesk.client.state import (
    CaseView,
    Person,
    Session,
    WorkstationStatus,
)
from labdesk.config import Settings
from labdesk.errors import NotSignedIn
from labdesk.services.case_actions import CaseActions
from labdesk.services.intake import IntakeService
from labdesk.services.tasks import ErrorCallback, Task, TaskRunner
from labdesk.services.workload_feed import WorkloadFeed

if TYPE_CHECKING:
    from labdesk.api.schemas import Case, User
    from labdesk.cache.repository import CacheRepository
    from labdesk.client.account import Account
    from labdesk.client.demo import DemoPortal
    from labdesk.client.sync import SyncState
    from labdesk.services.sync_worker import SyncService

log = logging.getLogger(__name__)

RELOAD_DELAY_MS = 60  # cases changed by a sync page or the live feed: reload the inbox once, soon

#: What a resume reads from the cache off the GUI thread: the opened cache (None when the quick
#: read answered), the person and the inbox (None when there is nothing to show).
#: ``(bytes, files)`` in the cache folder, or why it could not be measured.
CacheSize = tuple[int, int] | BaseException

_Resumed = tuple["CacheRepository | None", Person | None, InboxIndex | None]


class Workstation(QObject):
    """The GUI's one handle on the lab: it *has* the open :attr:`account` (client, cache, files,
    sync engine), its sync worker and its case :attr:`actions`."""

    signed_in = Signal(object)  # Session
    signed_out = Signal()
    session_expired = Signal(str)  # message for a person
    inbox_loaded = Signal(object)  # InboxIndex, built off the GUI thread
    status_changed = Signal(object)  # WorkstationStatus
    conflict_detected = Signal(int)  # case id
    file_progressed = Signal(int, int, int)  # file id, done, total
    file_ready = Signal(int, str)  # file id, local path
    file_failed = Signal(int, str)  # file id, message
    settings_changed = Signal(object)  # Settings
    case_changed = Signal(int)  # the open case's cached copy changed (sync or an action)
    action_queued = Signal(int)  # case id (relayed from ``actions``)
    action_failed = Signal(int, str)  # case id, message (relayed from ``actions``)

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        tasks: TaskRunner | None = None,
        save_settings: bool = True,
        live_feed: bool = True,
        parent: QObject | None = None,
    ) -> None:
        """``live_feed``: hold the portal's change feed (False: hear of other workstations'
        changes only at each sync, as a workstation behind a proxy that cuts streams does)."""
        super().__init__(parent)
        self.settings = settings if settings is not None else Settings.load()
        self.tasks = tasks if tasks is not None else TaskRunner(parent=self)
        self._save = save_settings
        self._live_feed = live_feed
        self.session: Session | None = None
        self._account: Account | None = None
        self._service: SyncService | None = None
        self._status = WorkstationStatus()
        self._expired_notified = False
        self._open_case: int | None = None
        self._reload = QTimer(self)
        self._reload.setSingleShot(True)
        self._reload.setInterval(RELOAD_DELAY_MS)
        self._reload.timeout.connect(self.reload_inbox)
        self.demo: DemoPortal | None = None
        self._token_notice: str | None = None
        self._closing = False
        self.actions = CaseActions(
            self.tasks,
            account=lambda: self._account,
            sync=lambda: self._service,
            open_case=lambda: self._open_case,
            reload_inbox_soon=self._reload.start,
            parent=self,
        )
        self.actions.case_changed.connect(self.case_changed)
        self.actions.action_queued.connect(self.action_queued)
        self.actions.action_failed.connect(self.action_failed)
        self.workload = WorkloadFeed(self.tasks, account=lambda: self._account, parent=self)
        self.intake = IntakeService(
            self.tasks, account=lambda: self._account, sync_now=self.sync_now, parent=self
        )
        if self.settings.intake_watch_dir:
            self.intake.watch(self.settings.intake_watch_dir)

    # --- who is signed in -------------------------------------------------------------------

    @property
    def account(self) -> Account | None:
        """The open account (its client, cache, files and sync engine), or None."""
        return self._account

    @property
    def roles(self) -> frozenset[str]:
        return self.session.roles if self.session is not None else frozenset()

    @property
    def status(self) -> WorkstationStatus:
        return self._status

    @property
    def token_notice(self) -> str:
        """Said in the sign-in dialog when the sign-in cannot be remembered."""
        if self.demo is not None:
            return ""
        if self._token_notice is None:
            self._token_notice = acc.token_store(True).notice
        return self._token_notice

    def resume(
        self, on_done: Callable[[Session | None], None] | None = None
    ) -> Task[_Resumed] | None:
        """Show the last account's inbox from its cache, without the network, at once.

        ``on_done(session or None)``; the inbox arrives by :attr:`inbox_loaded`. Then the
        account opens fully in the background and the sync worker starts (it asks for a
        sign-in when none is remembered).
        """
        url, username, settings = (
            self.settings.server_url,
            self.settings.last_username,
            self.settings,
        )
        if not username:
            if on_done is not None:
                on_done(None)
            return None

        def work() -> _Resumed:
            peeked = acc.peek(url, username)
            if peeked is not None:
                return None, peeked[0], peeked[1]
            if not acc.cache_file(settings, url, username).exists():
                return None, None, None
            repo = acc.open_cache(settings, url, username)
            try:
                user = repo.load_user()
                person = Person.from_user(user) if user is not None else None
                return repo, person, acc.load_index(repo)
            except BaseException:
                repo.close()
                raise

        def done(result: _Resumed) -> None:
            repo, person, index = result
            if person is None or index is None:
                if repo is not None:
                    self.tasks.run(repo.close, name="close-cache")
                if on_done is not None:
                    on_done(None)
                return
            self.session = Session(url, person, token=False)
            self.signed_in.emit(self.session)
            self.inbox_loaded.emit(index)
            if on_done is not None:
                on_done(self.session)
            # The inbox is on screen: now the client, the keyring and the sync worker.
            QTimer.singleShot(0, lambda: self._connect(repo, username))

        def failed(exc: BaseException) -> None:
            log.warning("the cache of %s could not be opened: %s", username, exc)
            if on_done is not None:
                on_done(None)

        return self.tasks.run(work, on_done=done, on_error=failed, name="resume")

    def _connect(self, first_repo: CacheRepository | None, username: str) -> None:
        """Open a resumed account fully, with its remembered token if there is one."""
        if self._closing:
            return
        settings, url = self.settings, self.settings.server_url

        def work() -> Account:
            if first_repo is not None:
                first_repo.close()
            return acc.open_account(settings, url, username, acc.token_store(True))

        self.tasks.run(work, on_done=self._start_account, name="connect")

    def sign_in(
        self,
        server_url: str,
        username: str,
        password: str,
        *,
        remember: bool = True,
        on_done: Callable[[User], None] | None = None,
        on_error: ErrorCallback | None = None,
    ) -> Task[Account]:
        """Sign in on the portal and open this person's cache; answers with a ``User``.

        Signing in again as the person already open (an expired sign-in) keeps the account,
        its outbox and the sync worker exactly as they are: only the token is renewed.
        """
        settings = self.settings
        current = self._account
        if current is not None and (current.server_url, current.username) == (
            server_url,
            username,
        ):
            again = current

            def renew() -> Account:
                return acc.sign_in(again, password)

            def renewed(account: Account) -> None:
                self._expired_notified = False
                self._start_account(account)
                self.sync_now()
                if on_done is not None and account.user is not None:
                    on_done(account.user)

            return self.tasks.run(renew, on_done=renewed, on_error=on_error, name="sign-in")

        def work() -> Account:
            store = acc.token_store(remember and self.demo is None)
            account = acc.open_account(settings, server_url, username, store)
            try:
                acc.sign_in(account, password)
            except BaseException:
                account.close()
                raise
            if self.demo is None:
                acc.remember_session(server_url, username, account.repo.path)
            return account

        def done(account: Account) -> None:
            self._start_account(account)
            if self.demo is None:
                self.settings = dataclasses.replace(
                    self.settings, server_url=server_url, last_username=username
                )
                self._persist()
            if on_done is not None and account.user is not None:
                on_done(account.user)

        return self.tasks.run(work, on_done=done, on_error=on_error, name="sign-in")

    def _start_account(self, account: Account) -> None:
        """Make ``account`` the account on screen and (re)start the sync worker for it."""
        user = account.user
        if user is None:  # a cache that never saw a sign-in: nothing to show offline
            self.tasks.run(account.close, name="close-account")
            self.session_expired.emit("Sign in to start working.")
            return
        if self._closing:
            self.tasks.run(account.close, name="close-account")
            return
        old, old_service = self._account, self._service
        self.session = Session(
            account.server_url,
            Person.from_user(user),
            demo=self.demo is not None,
            token=account.client.signed_in,
        )
        self._expired_notified = False
        if old is account:
            self.signed_in.emit(self.session)
            return
        self._account, self._service = account, None
        self.signed_in.emit(self.session)
        self.reload_inbox()
        # The old engine must be stopped before a new one syncs.
        self._stop_old(old, old_service, then=self._start_service)

    def _start_service(self) -> None:
        account = self._account
        if account is None or self._service is not None:
            return
        from labdesk.services.sync_worker import SyncService

        service = SyncService(
            account.engine,
            interval_s=self.settings.sync_interval_s,
            use_feed=self._live_feed,
            parent=self,
        )
        service.cases_changed.connect(self.on_service_cases_changed)
        service.sync_state_changed.connect(self.on_service_state_changed)
        service.conflict_detected.connect(self.conflict_detected)
        service.download_progress.connect(self.file_progressed)
        service.file_ready.connect(self.file_ready)
        service.file_failed.connect(self.file_failed)
        service.syncing_changed.connect(self.on_service_syncing_changed)
        self._service = service
        if self._open_case is not None:
            service.pin_case(self._open_case)
        self._show_syncing()
        service.start()

    def _show_syncing(self) -> None:
        """A sync was asked for: show it under way until the worker reports back."""
        signed_in = self.session is not None and self.session.token
        self._status = dataclasses.replace(self._status, syncing=True, signed_in=signed_in)
        self.status_changed.emit(self._status)

    @staticmethod
    def _close_account(account: Account | None, service: SyncService | None) -> None:
        """Stop ``service`` and close ``account`` (blocking: call it from a task)."""
        if service is not None:
            service.stop()  # waits for a sync in progress
        if account is not None:
            account.close()

    def _stop_old(
        self, account: Account | None, service: SyncService | None, *, then: Callable[[], None]
    ) -> None:
        if account is None and service is None:
            then()
            return

        def done(_: object) -> None:
            if service is not None:
                service.deleteLater()
            then()

        self.tasks.run(
            lambda: self._close_account(account, service),
            on_done=done,
            on_error=done,
            name="stop-account",
        )

    def sign_out(self, on_done: Callable[[None], None] | None = None) -> None:
        account, service = self._account, self._service
        self._account, self._service, self.session = None, None, None

        def work() -> None:
            if service is not None:
                service.stop()
            if account is not None:
                account.client.logout()
                account.close()

        def done(_: object) -> None:
            if service is not None:
                service.deleteLater()
            self._status = WorkstationStatus()
            self.status_changed.emit(self._status)
            self.signed_out.emit()
            if on_done is not None:
                on_done(None)

        self.tasks.run(work, on_done=done, on_error=done, name="sign-out")

    # --- the sync worker's news -------------------------------------------------------------

    def on_service_cases_changed(self, case_ids: list[int]) -> None:
        self._reload.start()
        for case_id in case_ids:
            if case_id == self._open_case:
                self.case_changed.emit(case_id)

    @property
    def feed_state(self) -> str:
        """The change feed: "live", "lost", or "polling" (none, or not started yet)."""
        return self._service.feed_state if self._service is not None else "polling"

    def on_service_state_changed(self, state: SyncState) -> None:
        synced = state.last_sync_at is not None and state.last_sync_at != self._status.last_sync
        self._status = WorkstationStatus(
            online=state.online,
            last_sync=state.last_sync_at,
            pending=state.pending,
            conflicts=state.conflicts,
            syncing=state.syncing,
            message=state.error or "",
            signed_in=state.signed_in,
        )
        if self.session is not None and self.session.token != state.signed_in:
            self.session = dataclasses.replace(self.session, token=state.signed_in)
        self.status_changed.emit(self._status)
        if synced:
            self.workload.on_synced()
        if not state.signed_in and not self._expired_notified:
            self._expired_notified = True
            self.session_expired.emit(state.error or "Your sign-in has expired.")

    def on_service_syncing_changed(self, syncing: bool) -> None:
        if syncing != self._status.syncing:
            self._status = dataclasses.replace(self._status, syncing=syncing)
            self.status_changed.emit(self._status)

    # --- inbox and cases --------------------------------------------------------------------

    def reload_inbox(self) -> None:
        account = self._account
        if account is None:
            return

        def done(index: InboxIndex) -> None:
            if self._account is account:
                self.inbox_loaded.emit(index)

        self.tasks.run(lambda: acc.load_index(account.repo), on_done=done, name="inbox")

    def open_case(
        self,
        case_id: int,
        on_done: Callable[[CaseView], None],
        on_error: ErrorCallback | None = None,
    ) -> Task[CaseView] | None:
        """The case as shown (pending actions applied) with its local state; from the cache,
        or from the portal when it is not cached yet."""
        account = self._account
        if account is None:
            if on_error is not None:
                on_error(NotSignedIn())
            return None
        previous, self._open_case = self._open_case, case_id
        if self._service is not None and previous != case_id:
            if previous is not None:
                self._service.unpin_case(previous)
            self._service.pin_case(case_id)
        return self.tasks.run(
            lambda: acc.case_view(account, case_id), on_done=on_done, on_error=on_error, name="case"
        )

    def cases_for_print(
        self,
        case_ids: list[int],
        on_done: Callable[[list[Case]], None],
        on_error: ErrorCallback | None = None,
    ) -> Task[list[Case]] | None:
        """The cases as shown, in the order given, read from the cache off the GUI thread."""
        account = self._account
        if account is None:
            if on_error is not None:
                on_error(NotSignedIn())
            return None
        from labdesk.client.tickets import cases_for_print

        return self.tasks.run(
            lambda: cases_for_print(account, case_ids),
            on_done=on_done,
            on_error=on_error,
            name="cases-for-print",
        )

    @property
    def lab_name(self) -> str:
        """What heads a ticket: the signed-in person's organization."""
        from labdesk.client.tickets import lab_name

        return lab_name(self._account.user if self._account is not None else None)

    def close_case(self) -> None:
        if self._service is not None and self._open_case is not None:
            self._service.unpin_case(self._open_case)
        self._open_case = None

    def sync_now(self) -> None:
        if self._service is not None:
            self._show_syncing()
            self._service.sync_now()

    def fetch_file(self, file_id: int) -> None:
        if self._service is None:
            self.file_failed.emit(file_id, str(NotSignedIn()))
            return
        self._service.fetch_file(file_id)

    # --- settings ---------------------------------------------------------------------------

    def save_settings(self, settings: Settings) -> None:
        interval_changed = settings.sync_interval_s != self.settings.sync_interval_s
        if self.demo is not None:  # the demo's portal and cache are not the person's
            settings = dataclasses.replace(
                settings,
                server_url=self.settings.server_url,
                cache_dir=self.settings.cache_dir,
            )
        self.settings = settings
        self._persist()
        if interval_changed and self._service is not None:
            self._service.set_interval(settings.sync_interval_s)
        self.intake.watch(settings.intake_watch_dir)
        self.settings_changed.emit(settings)

    def _persist(self) -> None:
        if not self._save:
            return
        to_save = self.settings
        if self.demo is not None:
            to_save = dataclasses.replace(to_save, **self.demo.saved_fields)
        try:
            to_save.save()
        except OSError as exc:
            log.warning("settings could not be saved: %s", exc)

    def measure_cache(self, on_done: Callable[[CacheSize], None]) -> Task[tuple[int, int]]:
        """``on_done((bytes, files))``, or the error when the folder could not be measured."""
        root = self.settings.resolved_cache_dir()
        return self.tasks.run(
            lambda: acc.directory_size(root), on_done=on_done, on_error=on_done, name="du"
        )

    def default_cache_dir(self) -> str:
        return str(dataclasses.replace(self.settings, cache_dir="").resolved_cache_dir())

    # --- the demo portal --------------------------------------------------------------------

    def start_demo(
        self, on_done: Callable[[DemoPortal], None], on_error: ErrorCallback
    ) -> Task[DemoPortal]:
        """Start the reference portal in this process with demo data (``labdesk --demo``)."""
        from labdesk.client import demo as demo

        def done(portal: DemoPortal) -> None:
            self.demo = portal
            self.settings = portal.settings_for(self.settings)
            on_done(portal)

        return self.tasks.run(demo.start, on_done=done, on_error=on_error, name="demo-portal")

    # --- the end ----------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Stop syncing and the demo portal; waits for the threads (only when quitting)."""
        self._closing = True
        self._reload.stop()
        self.intake.stop()
        service, account = self._service, self._account
        self._service, self._account = None, None
        if service is not None:
            service.stop()
        self.tasks.close(15_000)
        if account is not None:
            account.close()
        if self.demo is not None:
            self.demo.stop()
            self.demo = None
