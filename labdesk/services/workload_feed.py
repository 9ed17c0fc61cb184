"""The workload dashboard's figures on the GUI thread: fetched on the task runner, fresh from
the portal or the last ones kept for offline use (:mod:`labdesk.client.workload`).

The workstation *has* one (``workstation.workload``) and tells it when a sync completed; it
fetches again then only while someone watches (:attr:`watching`), so a closed dashboard costs
the portal nothing. The client core (pydantic) is imported on the first fetch, not at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from labdesk.errors import NotSignedIn, person_message
from labdesk.services.tasks import Task, TaskRunner

if TYPE_CHECKING:
    from labdesk.client.account import Account
    from labdesk.client.workload import WorkloadChoices, WorkloadFigures, WorkloadFilter


class WorkloadFeed(QObject):
    figures_loaded = Signal(object)  # WorkloadFigures
    figures_failed = Signal(str)  # why there are no figures to show (a person's words)
    choices_loaded = Signal(object)  # WorkloadChoices

    def __init__(
        self,
        tasks: TaskRunner,
        *,
        account: Callable[[], Account | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self._account = account
        self.filter: WorkloadFilter | None = None  # None: the whole lab
        self.watching = False
        self.last: WorkloadFigures | None = None
        self._running: Task[WorkloadFigures] | None = None

    def refresh(self, wanted: WorkloadFilter | None = None) -> Task[WorkloadFigures] | None:
        """Fetch the figures for ``wanted`` (default: the current filter); a fetch still
        running for an older filter is dropped."""
        if wanted is not None:
            self.filter = wanted
        account = self._account()
        if account is None:
            self.figures_failed.emit(str(NotSignedIn()))
            return None
        if self._running is not None:
            self._running.cancel()
        from labdesk.client import workload as figures_core

        asked = self.filter

        def done(fetched: WorkloadFigures) -> None:
            self._running = None
            self.last = fetched
            self.figures_loaded.emit(fetched)

        def failed(exc: BaseException) -> None:
            self._running = None
            self.figures_failed.emit(person_message(exc))

        self._running = self.tasks.run(
            lambda: figures_core.fetch_workload(account, asked),
            on_done=done,
            on_error=failed,
            name="workload",
        )
        return self._running

    def load_choices(self) -> Task[WorkloadChoices] | None:
        account = self._account()
        if account is None:
            return None
        from labdesk.client import workload as figures_core

        return self.tasks.run(
            lambda: figures_core.workload_choices(account),
            on_done=self.choices_loaded.emit,
            name="workload-choices",
        )

    def on_synced(self) -> None:
        """A sync completed: the figures may have moved."""
        if self.watching:
            self.refresh()
