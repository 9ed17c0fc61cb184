"""The status bar: online or offline, last sync, pending actions, conflicts, sync now, progress.

Everything shown comes from a :class:`WorkstationStatus` the facade sends; the bar never asks
for anything itself.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QToolButton, QWidget

from labdesk.client.state import WorkstationStatus
from labdesk.gui.theme import current_palette


def ago(moment: datetime | None, now: datetime | None = None) -> str:
    if moment is None:
        return "never"
    now = now or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 45:
        return "just now"
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} min ago"
    local = moment.astimezone()
    if local.date() == now.astimezone().date():
        return f"at {local:%H:%M}"
    return f"on {local:%d %b %H:%M}"


class SyncStatusBar(QStatusBar):
    sync_now_clicked = Signal()
    conflicts_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatusBar")
        self.state = WorkstationStatus()
        self.connection = QLabel()
        self.connection.setObjectName("connectionLabel")
        self.last_sync = QLabel()
        self.last_sync.setObjectName("lastSyncLabel")
        self.pending = QLabel()
        self.pending.setObjectName("pendingBadge")
        self.pending.setProperty("role", "badge")
        self.conflicts = QToolButton()
        self.conflicts.setObjectName("conflictsButton")
        self.conflicts.setAutoRaise(True)
        self.conflicts.clicked.connect(self.conflicts_clicked)
        self.progress = QProgressBar()
        self.progress.setObjectName("syncProgress")
        self.progress.setMaximumWidth(160)
        self.progress.setMaximumHeight(16)
        self.progress.setTextVisible(False)
        self.sync_button = QToolButton()
        self.sync_button.setObjectName("syncNowButton")
        self.sync_button.setText("⟳ Sync now")
        self.sync_button.setToolTip("Fetch changes and send pending actions now (F5)")
        self.sync_button.setAutoRaise(True)
        self.sync_button.clicked.connect(self.sync_now_clicked)
        for widget in (self.progress, self.pending, self.conflicts, self.last_sync):
            self.addPermanentWidget(widget)
        self.addPermanentWidget(self.connection)
        self.addPermanentWidget(self.sync_button)
        self._ticker = QTimer(self)
        self._ticker.setInterval(30_000)
        self._ticker.timeout.connect(self.on_ticker_timeout)
        self._ticker.start()
        self.show_state(self.state)

    def show_state(self, state: WorkstationStatus) -> None:
        self.state = state
        palette = current_palette()
        if not state.signed_in and state.online is not False:
            text, colour, tip = "● Not signed in", palette.muted, "Sign in to sync with the portal."
        elif state.online is None:
            text, colour, tip = "● Connecting…", palette.muted, ""
        elif state.online:
            text, colour, tip = "● Online", palette.online, "Connected to the portal."
        else:
            # still trying (the change feed every few seconds): say so, with what waits
            waiting = f" ({state.pending} pending)" if state.pending else ""
            text, colour = f"● Reconnecting…{waiting}", palette.offline
            tip = state.message or "The portal cannot be reached; your work is kept and sent later."
        self.connection.setText(text)
        self.connection.setStyleSheet(f"color: {colour.name()}; font-weight: 600;")
        self.connection.setToolTip(tip)
        self.last_sync.setText(f"Last sync {ago(state.last_sync)}")
        self.pending.setText(f"{state.pending} pending")
        self.pending.setToolTip("Actions waiting to be sent to the portal")
        self.pending.setVisible(state.pending > 0 and state.online is not False)
        self.conflicts.setText(f"⚠ {state.conflicts} conflict{'s' if state.conflicts != 1 else ''}")
        self.conflicts.setToolTip("Show the cases that need your attention")
        self.conflicts.setStyleSheet(f"color: {palette.due_overdue_name()};")
        self.conflicts.setVisible(state.conflicts > 0)
        self.sync_button.setEnabled(state.signed_in and not state.syncing)
        if state.progress is not None:
            done, total = state.progress
            self.progress.setRange(0, max(total, 0))
            self.progress.setValue(done)
            self.progress.show()
        elif state.syncing:
            self.progress.setRange(0, 0)
            self.progress.show()
        else:
            self.progress.hide()

    def on_ticker_timeout(self) -> None:
        self.last_sync.setText(f"Last sync {ago(self.state.last_sync)}")
