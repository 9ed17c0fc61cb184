"""The sync engine on a worker thread, speaking Qt signals.

:class:`SyncWorker` lives on a ``QThread`` and runs :class:`~labdesk.client.sync.SyncEngine`
there: periodically (``interval_s``), on :meth:`SyncWorker.sync_now`, and soon after an action
is queued (:meth:`SyncService.push_soon`: several actions queued in a row go out in one
round). Actions are queued into the outbox by
:class:`~labdesk.services.case_actions.CaseActions` on the task runner, never here: the
GUI thread does not write the cache. :class:`SyncService` is what the GUI holds: it owns the
thread, forwards requests to the worker through queued signals, and re-emits the worker's
signals on the GUI thread; its public methods (sync now, push soon, set the interval, is a
sync running) are the only way to steer the worker.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from labdesk.api.schemas import CasePage
from labdesk.client.feed import ChangeFeed
from labdesk.client.sync import SyncEngine, SyncEvents, SyncState
from labdesk.errors import KnownError

log = logging.getLogger(__name__)

PUSH_DELAY_MS = 100  # an action is sent this soon after it was queued
PULL_DELAY_MS = 30  # a burst of change events makes one pull
LIVE_INTERVAL_S = 300.0  # with the change feed live, a poll is only the safety net


def interval_to_ms(interval_s: float) -> int:
    return max(1, round(interval_s * 1000))


class _SignalEvents(SyncEvents):
    def __init__(self, worker: SyncWorker) -> None:
        self._worker = worker

    def cases_changed(self, case_ids: list[int]) -> None:
        self._worker.cases_changed.emit(list(case_ids))

    def state_changed(self, state: SyncState) -> None:
        self._worker.sync_state_changed.emit(state)

    def conflict_detected(self, case_id: int) -> None:
        self._worker.conflict_detected.emit(case_id)

    def download_progress(self, file_id: int, done: int, total: int) -> None:
        self._worker.download_progress.emit(file_id, done, total)


class SyncWorker(QObject):
    """Runs the engine on its thread. Call its slots through queued signals only."""

    cases_changed = Signal(list)  # case ids
    sync_state_changed = Signal(object)  # SyncState
    conflict_detected = Signal(int)  # case id
    download_progress = Signal(int, int, int)  # file id, bytes done, bytes total
    file_ready = Signal(int, str)  # file id, local path
    file_failed = Signal(int, str)  # file id, message for a person
    syncing_changed = Signal(bool)  # a sync round started (True) or ended (False)

    def __init__(self, engine: SyncEngine, *, interval_s: float = 30.0) -> None:
        super().__init__()
        self.engine = engine
        self.interval_ms = interval_to_ms(interval_s)
        self._force_next = False  # the next timer round was asked for by a person
        engine.events = _SignalEvents(self)
        if engine.files is not None:
            engine.files.progress = engine.events.download_progress
        self._timer: QTimer | None = None
        self._prefetch_queue: list[int] = []
        self.prefetch_enabled = engine.files is not None

    @Slot()
    def start(self) -> None:
        """Runs on the worker thread once it starts: first sync, then the timer."""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.on_timer_timeout)
        self.sync_now()

    @Slot()
    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()

    @Slot()
    def on_timer_timeout(self) -> None:
        force, self._force_next = self._force_next, False
        self._run(force=force)

    @Slot()
    def sync_now(self) -> None:
        self._run(force=True)

    @Slot()
    def push_soon(self) -> None:
        """Sync shortly (even while backing off): an action was queued. Several requests in a
        row make one round."""
        self._force_next = True
        if self._timer is not None:
            self._timer.start(PUSH_DELAY_MS)

    @Slot()
    def pull_soon(self) -> None:
        """The change feed said something changed: one round shortly (a burst makes one)."""
        self._force_next = True
        if self._timer is not None and (
            not self._timer.isActive() or self._timer.remainingTime() > PULL_DELAY_MS
        ):
            self._timer.start(PULL_DELAY_MS)

    @Slot(int, object)
    def apply_page(self, since: int, page: CasePage) -> None:
        """The change feed carried the changes: store them now; pull when they do not
        continue this workstation's cursor (or there is more)."""
        try:
            done = self.engine.apply_feed_page(since, page)
        except KnownError:  # the cache could not take it: a normal round says so
            log.warning("could not store the feed's page; pulling instead", exc_info=True)
            done = False
        if not done:
            self.pull_soon()

    @Slot(int)
    def set_interval(self, interval_ms: int) -> None:
        self.interval_ms = max(1, interval_ms)
        if self._timer is not None and self._timer.isActive() and not self._force_next:
            self._timer.start(min(self._timer.remainingTime(), self.interval_ms))

    def _run(self, *, force: bool) -> None:
        self.syncing_changed.emit(True)
        try:
            state = self.engine.sync(force=force)
        except Exception:  # a bug: log it, keep the worker alive
            log.exception("sync failed")
            state = self.engine.state()
        finally:
            self.syncing_changed.emit(False)
        self._schedule(state)
        if state.online and state.error is None and self.prefetch_enabled:
            self._prefetch_queue = self.engine.inbox_case_ids()
            QTimer.singleShot(0, self, self.on_prefetch_step)

    @Slot()
    def on_prefetch_step(self) -> None:
        """Fetch one file ahead of time, then let queued work (a push, an open) run first."""
        if not self._prefetch_queue:
            return
        try:
            fetched = self.engine.prefetch(self._prefetch_queue, max_files=1)
        except Exception:
            log.exception("prefetch failed")
            fetched = []
        if fetched:
            QTimer.singleShot(0, self, self.on_prefetch_step)
        else:
            self._prefetch_queue = []

    def _schedule(self, state: SyncState) -> None:
        if self._timer is None:
            return
        delay_ms = self.interval_ms
        if state.online is False:
            delay_ms = min(delay_ms, max(PUSH_DELAY_MS, int(self.engine.next_attempt_in() * 1000)))
        self._timer.start(delay_ms)

    @Slot(int)
    def fetch_file(self, file_id: int) -> None:
        try:
            path = self.engine.open_file(file_id)
        except (KnownError, OSError) as exc:  # a person can act on it; anything else is a bug
            self.file_failed.emit(file_id, str(exc))
            return
        self.file_ready.emit(file_id, str(path))

    @Slot()
    def prefetch(self) -> None:
        self._prefetch_queue = self.engine.inbox_case_ids()
        self.on_prefetch_step()


class _FeedBridge(QObject):
    """The change feed's thread reports here; the signals cross to the threads that act."""

    changed = Signal(int)
    page = Signal(int, object)  # since, CasePage
    alive = Signal()
    lost = Signal(str)
    unsupported = Signal()

    def __init__(self, engine: SyncEngine) -> None:
        super().__init__()
        self._engine = engine

    # FeedListener, called on the feed's thread
    def on_changed(self, seq: int) -> None:
        self.changed.emit(seq)

    def on_page(self, since: int, page: CasePage) -> None:
        self.page.emit(since, page)

    def on_alive(self) -> None:
        self.alive.emit()

    def on_lost(self, message: str) -> None:
        self._engine.report_unreachable(f"Reconnecting… the portal stopped answering ({message})")
        self.lost.emit(message)

    def on_unsupported(self) -> None:
        self.unsupported.emit()


class _Listener:
    def __init__(self, bridge: _FeedBridge) -> None:
        self.changed = bridge.on_changed
        self.page = bridge.on_page
        self.alive = bridge.on_alive
        self.lost = bridge.on_lost
        self.unsupported = bridge.on_unsupported


class SyncService(QObject):
    """The GUI's handle on syncing: owns the worker thread; all methods return at once."""

    cases_changed = Signal(list)
    sync_state_changed = Signal(object)
    conflict_detected = Signal(int)
    download_progress = Signal(int, int, int)
    file_ready = Signal(int, str)
    file_failed = Signal(int, str)
    syncing_changed = Signal(bool)  # a sync round started (True) or ended (False)

    _sync_requested = Signal()
    _push_requested = Signal()
    _interval_requested = Signal(int)
    _file_requested = Signal(int)
    _prefetch_requested = Signal()
    _stop_requested = Signal()
    _pull_requested = Signal()
    feed_state_changed = Signal(str)  # "live", "lost", "polling"

    def __init__(
        self,
        engine: SyncEngine,
        *,
        interval_s: float = 30.0,
        use_feed: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.engine = engine
        self._syncing = False
        self._thread = QThread()
        self._thread.setObjectName("labdesk-sync")
        self.worker = SyncWorker(engine, interval_s=interval_s)
        self.worker.moveToThread(self._thread)
        self._thread.started.connect(self.worker.start)
        self._thread.finished.connect(self.worker.deleteLater)
        for name in (
            "cases_changed",
            "sync_state_changed",
            "conflict_detected",
            "download_progress",
            "file_ready",
            "file_failed",
        ):
            getattr(self.worker, name).connect(getattr(self, name))
        self.worker.syncing_changed.connect(self.on_worker_syncing_changed)
        self._sync_requested.connect(self.worker.sync_now)
        self._push_requested.connect(self.worker.push_soon)
        self._interval_requested.connect(self.worker.set_interval)
        self._file_requested.connect(self.worker.fetch_file)
        self._prefetch_requested.connect(self.worker.prefetch)
        self._stop_requested.connect(self.worker.stop)
        self._pull_requested.connect(self.worker.pull_soon)
        self._interval_s = interval_s
        self.feed_state = "polling"
        self._bridge = _FeedBridge(engine)
        self._bridge.changed.connect(self.on_feed_changed)
        # Straight from the feed's thread to the worker's (queued): a busy GUI does not hold
        # the changes up.
        self._bridge.page.connect(self.worker.apply_page)
        self._bridge.alive.connect(self.on_feed_alive)
        self._bridge.lost.connect(self.on_feed_lost)
        self._bridge.unsupported.connect(self.on_feed_unsupported)
        self._feed: ChangeFeed | None = None
        self.use_feed = use_feed

    def start(self) -> None:
        self._thread.start()
        if self.use_feed:
            self._feed = ChangeFeed(
                self.engine.client, lambda: self.engine.repo.sync_status().last_seq,
                _Listener(self._bridge),
            )  # fmt: skip
            self._feed.start()
        self.watch_network()

    def watch_network(self) -> None:
        """Probe at once when the computer's network comes back (where Qt can tell)."""
        from PySide6.QtNetwork import QNetworkInformation

        if not QNetworkInformation.loadDefaultBackend():
            return
        info = QNetworkInformation.instance()
        if info is not None:
            info.reachabilityChanged.connect(self.on_network_reachability_changed)

    def on_network_reachability_changed(self, reachability: object) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        if reachability == QNetworkInformation.Reachability.Online:
            self.sync_now()

    def on_feed_changed(self, _seq: int) -> None:
        self._pull_requested.emit()

    def on_feed_alive(self) -> None:
        was = self.feed_state
        self._set_feed_state("live")
        self._interval_requested.emit(interval_to_ms(max(self._interval_s, LIVE_INTERVAL_S)))
        if was != "live":
            self._sync_requested.emit()  # pull what committed while we were not listening

    def on_feed_lost(self, _message: str) -> None:
        self._set_feed_state("lost")
        self._interval_requested.emit(interval_to_ms(self._interval_s))

    def on_feed_unsupported(self) -> None:
        self._set_feed_state("polling")
        self._interval_requested.emit(interval_to_ms(self._interval_s))

    def _set_feed_state(self, state: str) -> None:
        if state != self.feed_state:
            self.feed_state = state
            self.feed_state_changed.emit(state)

    def stop(self) -> None:
        """Finish the sync in progress, stop the thread, and wait for it."""
        if self._feed is not None:
            self._feed.stop()
            self._feed = None
        if not self._thread.isRunning():
            return
        self._stop_requested.emit()
        self._thread.quit()
        self._thread.wait()

    def sync_now(self) -> None:
        """A full round now (push, then pull), even while backing off after failures; a lost
        change feed tries to reconnect at once too."""
        self._sync_requested.emit()
        if self._feed is not None:
            self._feed.reconnect_now()

    def push_soon(self) -> None:
        """Send the outbox shortly: call it after queuing actions; a burst makes one round."""
        self._push_requested.emit()

    def set_interval(self, interval_s: float) -> None:
        """Sync every ``interval_s`` seconds from now on (a safety net while the feed is live)."""
        self._interval_s = interval_s
        live = self.feed_state == "live"
        self._interval_requested.emit(
            interval_to_ms(max(interval_s, LIVE_INTERVAL_S) if live else interval_s)
        )

    @property
    def syncing(self) -> bool:
        """Whether a sync round is running (as last reported by the worker)."""
        return self._syncing

    def on_worker_syncing_changed(self, syncing: bool) -> None:
        self._syncing = syncing
        self.syncing_changed.emit(syncing)

    def fetch_file(self, file_id: int) -> None:
        """``file_ready`` (with the local path) or ``file_failed`` answers."""
        self._file_requested.emit(file_id)

    def prefetch(self) -> None:
        self._prefetch_requested.emit()

    def pin_case(self, case_id: int) -> None:
        if self.engine.files is not None:
            self.engine.files.pin_case(case_id)

    def unpin_case(self, case_id: int) -> None:
        if self.engine.files is not None:
            self.engine.files.unpin_case(case_id)
