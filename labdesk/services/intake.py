"""Intake on the workstation: read a scanner export, create its case, watch a folder.

Qt glue only (``ws.intake``): the reading, matching and planning are in
:mod:`labdesk.client.intake` and :mod:`labdesk.client.intake_preview`, the folder's arrival
rule in :mod:`labdesk.client.intake_watch`. Everything that touches the disk or the portal runs
on the workstation's task runner and answers on the GUI thread. The client core (numpy, the
scan loader, httpx, pydantic) is imported on the runner when first used, never at start-up.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from labdesk.client.intake_watch import Arrivals, Snapshot, snapshot
from labdesk.errors import NotSignedIn
from labdesk.services.tasks import ErrorCallback, ProgressCallback, Task, TaskRunner

if TYPE_CHECKING:
    from labdesk.api.schemas import Case
    from labdesk.client.account import Account
    from labdesk.client.intake import ImportPlan
    from labdesk.client.intake_preview import IntakePreview
    from labdesk.intake import IntakeOrder

log = logging.getLogger(__name__)

#: How often a watched folder is looked at while an export is still being written.
SETTLE_MS = 1500


class IntakeService(QObject):
    """Reads packages and creates cases for the GUI; owns the folder watcher."""

    case_created = Signal(object)  # Case (the inbox shows it after the next sync)
    package_arrived = Signal(str)  # path of a new export in the watched folder

    def __init__(
        self,
        tasks: TaskRunner,
        *,
        account: Callable[[], Account | None],
        sync_now: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self._account = account
        self._sync_now = sync_now
        self.watcher = IntakeWatcher(tasks, parent=self)
        self.watcher.package_arrived.connect(self.package_arrived)

    def read(
        self,
        path: str,
        *,
        on_done: Callable[[IntakePreview], None],
        on_error: ErrorCallback,
        on_progress: ProgressCallback | None = None,
    ) -> Task[IntakePreview]:
        """Read ``path`` (zip or folder) with its scan checks and the portal's dentist match."""
        account = self._account()
        client = account.client if account is not None else None

        def work(task: Task[IntakePreview]) -> IntakePreview:
            from labdesk.client.intake_preview import read_preview

            return read_preview(client, path, task.report)

        return self.tasks.run_reporting(
            work,
            on_done=on_done,
            on_error=on_error,
            on_progress=on_progress,
            name="intake-read",
        )

    def create(
        self,
        preview: IntakePreview,
        plan: ImportPlan,
        *,
        on_done: Callable[[Case], None],
        on_error: ErrorCallback,
        on_progress: ProgressCallback | None = None,
    ) -> Task[Case] | None:
        """Create the case of a ready plan on the portal (one operation, files included)."""
        account = self._account()
        if account is None:
            on_error(NotSignedIn())
            return None
        client, order = account.client, preview.order

        def work(task: Task[Case]) -> Case:
            from labdesk.client.intake import create_case

            task.report(0, 0, f"Sending the case and {len(plan.uploads)} scans to the portal")
            return create_case(client, order, plan)

        def done(case: Case) -> None:
            self.case_created.emit(case)
            self._sync_now()
            on_done(case)

        return self.tasks.run_reporting(
            work, on_done=done, on_error=on_error, on_progress=on_progress, name="intake-create"
        )

    def local_scans(
        self, order: IntakeOrder, on_done: Callable[[LocalScans], None]
    ) -> Task[LocalScans]:
        """The viewable scans as files on disk (a zip's are copied out; :meth:`LocalScans.release`
        removes the copies)."""

        def work() -> LocalScans:
            from labdesk.client.intake_preview import extract_scans

            folder = Path(tempfile.mkdtemp(prefix="labdesk-intake-view-"))
            try:
                return LocalScans(folder, extract_scans(order, folder))
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                raise

        return self.tasks.run(work, on_done=on_done, name="intake-scans")

    def release(self, scans: LocalScans) -> None:
        self.tasks.run(scans.remove, name="intake-scans-release")

    def watch(self, folder: str) -> None:
        self.watcher.watch(folder)

    def stop(self) -> None:
        self.watcher.watch("")


class LocalScans:
    """Scans copied out of a package for the viewer, removed when the preview closes."""

    def __init__(self, folder: Path, paths: dict[str, Path]) -> None:
        self.folder = folder
        self.paths = paths

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


class IntakeWatcher(QObject):
    """Announces each new export in one folder once it has finished arriving.

    The ``QFileSystemWatcher`` (an inotify socket notifier) exists only while a folder is
    watched and is deleted at once, on this thread, when watching stops: left to Python's
    garbage collector it could be destroyed on a worker thread, which Qt refuses (and which
    disturbed other sockets of the process)."""

    package_arrived = Signal(str)

    def __init__(self, tasks: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.folder = ""
        self._arrivals: Arrivals | None = None
        self._generation = 0  # a look started for an older folder is ignored
        self._looking = False
        self._fs: QFileSystemWatcher | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self._look)

    def watch(self, folder: str) -> None:
        """Watch ``folder`` ("" stops); what is already there is not announced."""
        if folder == self.folder:
            return
        if self._fs is not None:
            shiboken6.delete(self._fs)
            self._fs = None
        self._timer.stop()
        self._generation += 1
        self.folder, self._arrivals = folder, None
        if not folder:
            return
        generation = self._generation

        def started(baseline: Snapshot) -> None:
            if generation != self._generation:
                return
            self._arrivals = Arrivals(baseline)
            self._fs = QFileSystemWatcher(self)
            self._fs.directoryChanged.connect(self.on_fs_directory_changed)
            if not self._fs.addPath(folder):
                log.warning("the intake folder %s cannot be watched; looking every few s", folder)
                self._timer.start()

        self.tasks.run(lambda: snapshot(Path(folder)), on_done=started, name="intake-watch")

    @property
    def watching(self) -> bool:
        return self._arrivals is not None

    def on_fs_directory_changed(self, _path: str) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def _look(self) -> None:
        if self._arrivals is None or self._looking:
            return
        self._looking = True
        generation, folder = self._generation, self.folder

        def looked(current: Snapshot) -> None:
            self._looking = False
            arrivals = self._arrivals
            if generation != self._generation or arrivals is None:
                return
            for path in arrivals.settle(current):
                self.package_arrived.emit(path)
            if arrivals.waiting() or self._fs is None or not self._fs.directories():
                self._timer.start()

        def failed(_exc: BaseException) -> None:
            self._looking = False

        self.tasks.run(
            lambda: snapshot(Path(folder)), on_done=looked, on_error=failed, name="intake-look"
        )
