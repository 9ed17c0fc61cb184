"""Scan loading off the GUI thread: parse, weld, normals, check, decimate, picking data.

Each stage's result is delivered by signal (queued onto the GUI thread) as soon as it exists,
so the view can draw a flat-shaded soup first and refine it. A job can be cancelled between
stages; a cancelled job's later results are dropped.

Decimation runs in a separate process: fast-simplification holds the GIL for seconds at a
million triangles, which would freeze the GUI thread. Everything else here releases the GIL
in numpy and stays in the thread. On a software-rendered display (llvmpipe) the first frame
competes with the weld for the same cores, so a job may wait (briefly) for the view to say
its first frame is on screen before it starts welding.

TODO: move onto the shared background-task helper in ``labdesk.services`` once it exists.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import multiprocessing
import os
import threading
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from PySide6 import QtCore

from labdesk.mesh import (
    RawMesh,
    RayPicker,
    Scan,
    ScanError,
    check_scan,
    decimate,
    finish_scan,
    read_mesh,
)
from labdesk.mesh.scan import column_bounds

__all__ = ["LoadRequest", "ScanLoader", "ScanLoaderSignals", "decimate_off_thread"]

log = logging.getLogger(__name__)


class LoadCancelled(Exception):
    """Raised inside a job when its cancel flag is set."""


@dataclass(frozen=True)
class LoadRequest:
    role: str
    path: str | None = None
    scan: Scan | None = None
    display_budget: int = 30_000
    #: Set by the view once the flat first frame is on screen; the weld waits for it.
    first_frame_drawn: threading.Event | None = None
    first_frame_wait: float = 1.0


_executor: Executor | None = None
_executor_lock = threading.Lock()


def _lower_priority() -> None:
    with contextlib.suppress(OSError):
        os.nice(5)  # decimation is background work: the GUI and the renderer come first


def decimation_executor() -> Executor:
    """One process shared by all viewers (started on first use, reused afterwards)."""
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_lower_priority,
            )
        return _executor


def decimate_off_thread(scan: Scan, budget: int) -> Scan:
    """:func:`labdesk.mesh.decimate` in the helper process (in this thread if that fails)."""
    bare = Scan(scan.vertices, scan.faces, scan.colors, scan.source)
    try:
        return decimation_executor().submit(decimate, bare, budget).result()
    except (BrokenProcessPool, OSError, RuntimeError):
        global _executor
        with _executor_lock:
            _executor = None
        log.warning("decimation process failed; decimating in a thread", exc_info=True)
        return decimate(bare, budget)


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


class _Job(QtCore.QRunnable):
    def __init__(
        self, job: int, request: LoadRequest, signals: ScanLoaderSignals, flag: threading.Event
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._job = job
        self._request = request
        self._signals = signals
        self._flag = flag

    def _check(self) -> None:
        if self._flag.is_set():
            raise LoadCancelled

    def _progress(self, stage: str, percent: int) -> None:
        self._check()
        self._signals.progressed.emit(self._job, stage, percent)

    def run(self) -> None:
        job, req, sig = self._job, self._request, self._signals
        try:
            if req.scan is not None:
                scan = req.scan
                lo, hi = scan.bounds()
                raw = RawMesh(scan.vertices, scan.faces, scan.colors, scan.source, "scan")
                sig.preview_ready.emit(job, raw, (lo, hi))
            else:
                assert req.path is not None
                self._progress("Reading", 5)
                raw = read_mesh(req.path)
                self._check()
                bounds = column_bounds(raw.vertices)
                sig.preview_ready.emit(job, raw, bounds)
                if req.first_frame_drawn is not None:
                    req.first_frame_drawn.wait(req.first_frame_wait)
                self._progress("Joining triangles" if raw.faces is None else "Smoothing", 35)
                scan = finish_scan(raw)
            self._progress("Smoothing", 55)
            _ = scan.normals
            self._check()
            sig.scan_ready.emit(job, scan)
            self._progress("Checking", 65)
            sig.report_ready.emit(job, check_scan(scan))
            if scan.n_faces > req.display_budget:
                self._progress("Simplifying for display", 75)
                display = decimate_off_thread(scan, req.display_budget)
                _ = display.normals
                self._check()
                sig.display_ready.emit(job, display)
            self._progress("Preparing measuring", 92)
            sig.picker_ready.emit(job, RayPicker(scan))
            self._check()
            sig.finished.emit(job)
        except LoadCancelled:
            sig.cancelled.emit(job)
        except ScanError as exc:
            sig.failed.emit(job, str(exc))
        except MemoryError:
            sig.failed.emit(job, "the scan is too large for this computer's memory")
        except Exception as exc:  # a bug, but the viewer must survive it
            log.exception("scan loading failed")
            sig.failed.emit(job, f"unexpected error while loading ({type(exc).__name__}: {exc})")


class ScanLoader(QtCore.QObject):
    """Starts loading jobs on a private thread pool; results arrive via :attr:`signals`."""

    def __init__(self, parent: QtCore.QObject | None = None, *, threads: int = 2) -> None:
        super().__init__(parent)
        # The pool is created before the signals so that, when this object is destroyed,
        # the pool (waiting for its jobs) goes first and no job emits into a deleted object.
        self._pool = QtCore.QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self.signals = ScanLoaderSignals(self)
        self._flags: dict[int, threading.Event] = {}
        self._ids = itertools.count(1)
        self.signals.finished.connect(self._forget)
        self.signals.failed.connect(lambda job, _msg: self._forget(job))
        self.signals.cancelled.connect(self._forget)

    def start(self, request: LoadRequest) -> int:
        job = next(self._ids)
        flag = threading.Event()
        self._flags[job] = flag
        self._pool.start(_Job(job, request, self.signals, flag))
        return job

    def cancel(self, job: int) -> None:
        flag = self._flags.get(job)
        if flag is not None:
            flag.set()

    def cancel_all(self) -> None:
        for flag in self._flags.values():
            flag.set()

    def is_running(self, job: int) -> bool:
        return job in self._flags

    def wait(self, msecs: int = -1) -> bool:
        """Block until all jobs have ended (for shutdown and tests)."""
        return bool(self._pool.waitForDone(msecs))

    def _forget(self, job: int) -> None:
        self._flags.pop(job, None)
