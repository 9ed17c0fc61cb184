"""Scan loading off the GUI thread: parse, weld, normals, check, decimate, picking data.

Each stage's result is delivered by signal (queued onto the GUI thread) as soon as it exists,
so the view can draw a flat-shaded soup first and refine it. A job can be cancelled between
stages; a cancelled job's later results are dropped. Each job is a task on a
:class:`~labdesk.services.tasks.TaskRunner` (the one way LabDesk runs background work): its
stage and percent go through the task's progress, its cancellation is the task's, and a failure
that is not a :class:`~labdesk.mesh.ScanError` is routed as a bug (logged with its traceback)
while the viewer still hears that the job failed.

The mesh drawn while the camera moves is made in this thread by grid clustering in numpy
(:func:`labdesk.mesh.decimate.decimate_for_display`, ~0.15 s and ~40 MB at 1M → 30k). It used
to be fast-simplification's quadric collapse in a spawned helper process (it holds the GIL for
seconds): that helper, a second Python with numpy, peaked at ~200 MB beside the app (issue 18).
After the weld, after the check and after each job the C heap's free pages are given back
(:func:`labdesk.mesh.memory.give_back_free_memory`), so opening scan after scan does not grow
the process. Picking data is built lazily: :meth:`ScanLoader.prepare_picker` builds it on the
runner when the measure tool is switched on. On a software-rendered display (llvmpipe) a
frame of a big scan competes with the job for the same cores, so a job may wait (briefly) for
the view to say its frame is on screen: the flat preview (when one is drawn) before the weld,
the first smooth frame before the scan check (:mod:`labdesk.gui.widgets.scan_frames`).
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6 import QtCore

from labdesk.errors import is_known
from labdesk.gui.widgets.scan_frames import preview_worth_drawing
from labdesk.mesh import (
    RawMesh,
    RayPicker,
    Scan,
    ScanError,
    check_scan,
    finish_scan,
    read_mesh,
)
from labdesk.mesh.decimate import decimate_for_display
from labdesk.mesh.memory import give_back_free_memory
from labdesk.mesh.scan import column_bounds
from labdesk.services.tasks import Task, TaskRunner

__all__ = ["LoadRequest", "ScanLoader", "ScanLoaderSignals"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadRequest:
    role: str
    path: str | None = None
    scan: Scan | None = None
    display_budget: int = 30_000
    #: Set by the view once the flat first frame is on screen (or when it draws none); the
    #: weld waits for it. See :mod:`labdesk.gui.widgets.scan_frames`.
    first_frame_drawn: threading.Event | None = None
    #: Set by the view once the first smooth frame is on screen; the scan check waits for it.
    smooth_frame_drawn: threading.Event | None = None
    first_frame_wait: float = 1.0
    smooth_frame_wait: float = 3.0  # the check is not urgent; a loaded PC draws slowly


class ScanLoaderSignals(QtCore.QObject):
    progressed = QtCore.Signal(int, str, int)  # job, stage, percent
    preview_ready = QtCore.Signal(int, object, object)  # job, RawMesh (no normals), (lo, hi)
    scan_ready = QtCore.Signal(int, object)  # job, Scan with normals (full resolution)
    report_ready = QtCore.Signal(int, object)  # job, ScanReport
    display_ready = QtCore.Signal(int, object)  # job, decimated Scan with normals
    picker_ready = QtCore.Signal(int, object)  # job, RayPicker on the full resolution
    failed = QtCore.Signal(int, str)  # job, message for the technician
    cancelled = QtCore.Signal(int)
    finished = QtCore.Signal(int)


def _load(task: Task[None], job: int, req: LoadRequest, sig: ScanLoaderSignals) -> None:
    """One job, then the memory it used goes back to the system (its arrays died with the
    stages' frame; what the view holds stays)."""
    try:
        _stages(task, job, req, sig)
    finally:
        give_back_free_memory()
    sig.finished.emit(job)


def _stages(task: Task[None], job: int, req: LoadRequest, sig: ScanLoaderSignals) -> None:
    """One job's stages, in a task; each result is emitted as soon as it exists."""

    def stage(name: str, percent: int) -> None:
        task.report(percent, 100, name)  # raises TaskCancelled once the job was cancelled

    try:
        if req.scan is not None:
            scan = req.scan
            lo, hi = scan.bounds()
            raw = RawMesh(scan.vertices, scan.faces, scan.colors, scan.source, "scan")
            sig.preview_ready.emit(job, raw, (lo, hi))
        else:
            assert req.path is not None
            stage("Reading", 5)
            raw = read_mesh(req.path)
            task.check()
            bounds = column_bounds(raw.vertices)
            sig.preview_ready.emit(job, raw, bounds)
            if req.first_frame_drawn is not None and preview_worth_drawing(raw):
                req.first_frame_drawn.wait(req.first_frame_wait)
            stage("Joining triangles" if raw.faces is None else "Smoothing", 35)
            scan = finish_scan(raw)
        del raw  # the soup (36 MB at 1M triangles) is the view's now, until it is replaced
        stage("Smoothing", 55)
        _ = scan.normals
        task.check()
        # The weld's temporaries go back to the system before the GL upload and the first
        # smooth frame (llvmpipe's own peak) instead of at the job's end.
        give_back_free_memory()
        sig.scan_ready.emit(job, scan)
        if req.smooth_frame_drawn is not None:
            req.smooth_frame_drawn.wait(req.smooth_frame_wait)
            give_back_free_memory()  # what llvmpipe freed after drawing that frame
        stage("Checking", 65)
        sig.report_ready.emit(job, check_scan(scan))
        give_back_free_memory()  # the check's edge keys and graph, before the clustering
        if scan.n_faces > req.display_budget:
            stage("Simplifying for display", 75)
            display = decimate_for_display(scan, req.display_budget)
            if display is not scan:  # else no grid could thin it: full resolution throughout
                _ = display.normals
                task.check()
                sig.display_ready.emit(job, display)
        sig.picker_ready.emit(job, RayPicker(scan))  # free: built when measuring starts
        task.check()
    except MemoryError as exc:
        raise ScanError("the scan is too large for this computer's memory") from exc


def _failure_text(exc: BaseException) -> str:
    """What the viewer says about a failed job (a bug was already logged by the runner)."""
    if is_known(exc):
        return str(exc)
    return f"unexpected error while loading ({type(exc).__name__}: {exc})"


class ScanLoader(QtCore.QObject):
    """Starts loading jobs as tasks on a task runner; results arrive via :attr:`signals`."""

    def __init__(
        self,
        parent: QtCore.QObject | None = None,
        *,
        threads: int = 2,
        tasks: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        # The runner (and its pool) is created before the signals so that, when this object is
        # destroyed, the pool (waiting for its jobs) goes first and no job emits into a
        # deleted object. A runner handed in must outlive this loader.
        self._tasks = tasks if tasks is not None else TaskRunner(parent=self, threads=threads)
        self.signals = ScanLoaderSignals(self)
        self._jobs: dict[int, Task[None]] = {}
        self._ids = itertools.count(1)
        self.signals.finished.connect(self._forget)
        self.signals.failed.connect(lambda job, _msg: self._forget(job))
        self.signals.cancelled.connect(self._forget)

    def start(self, request: LoadRequest) -> int:
        job, sig = next(self._ids), self.signals

        def progressed(done: int, _total: int, stage: str) -> None:
            sig.progressed.emit(job, stage, done)

        def failed(exc: BaseException) -> None:
            sig.failed.emit(job, _failure_text(exc))

        def cancelled() -> None:
            sig.cancelled.emit(job)

        self._jobs[job] = self._tasks.run_reporting(
            lambda task: _load(task, job, request, sig),
            on_error=failed,
            on_progress=progressed,
            on_cancelled=cancelled,
            name=f"scan-{request.role}",
        )
        return job

    @property
    def tasks(self) -> TaskRunner:
        """The runner this loader's jobs run on (the viewer's other background work shares it)."""
        return self._tasks

    def prepare_pickers(self, pickers: Iterable[RayPicker | None]) -> None:
        """Build pickers' data on the runner (measuring is about to start), not on a click."""
        for picker in pickers:
            if picker is not None and not picker.is_prepared:
                self._tasks.run(picker.prepare, name="scan-picking")

    def cancel(self, job: int) -> None:
        task = self._jobs.get(job)
        if task is not None:
            task.cancel()

    def cancel_all(self) -> None:
        for task in self._jobs.values():
            task.cancel()

    def is_running(self, job: int) -> bool:
        return job in self._jobs

    def wait(self, msecs: int = -1) -> bool:
        """Block until all jobs have ended (for shutdown and tests)."""
        return self._tasks.wait(msecs)

    def _forget(self, job: int) -> None:
        self._jobs.pop(job, None)
