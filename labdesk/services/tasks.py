"""The one way LabDesk runs work off the GUI thread.

``TaskRunner.run(fn, on_done=..., on_error=...)`` runs ``fn`` on a thread pool and calls
``on_done(result)`` or ``on_error(exception)`` back on the GUI thread (the thread the runner
lives in), by posting an event to the runner — the way Picard's ``run_task`` does. Widgets
never see a thread: they hand a callable to the workstation facade (or the runner) and get a
callback.

Work that takes long and can say how far it got uses :meth:`TaskRunner.run_reporting`: the
callable receives its :class:`Task` and calls ``task.report(done, total, stage)`` (delivered to
``on_progress`` on the GUI thread) and ``task.check()`` between steps (raises
:class:`TaskCancelled` once the task was cancelled, which ends it quietly).

Cancellation: :meth:`Task.cancel` drops the task's callbacks (its owner went away: nothing
touches a deleted widget), keeps it from starting when it has not started yet, and makes
``task.check()`` stop a reporting task at its next step. Python cannot stop a running
callable from outside.

How failures are routed (see :mod:`labdesk.errors`):

- a :class:`~labdesk.errors.KnownError` (the person can act on it) goes to ``on_error``; with
  no ``on_error`` it is logged as a warning, without a traceback.
- any other exception is a bug. It is ALWAYS logged with its traceback, whether or not the
  caller passed ``on_error``, and emitted as :attr:`TaskRunner.bug` (task name, exception) —
  the window connects that to its error dialog with "Copy details". ``on_error``, when given,
  receives the bug too, after it was logged, so that the caller's flow can end (a button comes
  back, a waiting dialog closes, a shutdown continues); it should tell the person only what
  :func:`labdesk.errors.person_message` says and leave the details to the error dialog.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRunnable, QThreadPool, Signal

from labdesk.errors import is_known

log = logging.getLogger(__name__)

T = TypeVar("T")

_DELIVERY = QEvent.Type(QEvent.registerEventType())

#: ``on_progress(done, total, stage)``: how far a reporting task got.
ProgressCallback = Callable[[int, int, str], None]
ErrorCallback = Callable[[BaseException], None]


class TaskCancelled(Exception):
    """Raised by :meth:`Task.check` inside a task that was cancelled; ends it quietly."""


class Task(Generic[T]):
    """A handle on one background call: cancel it, ask whether it finished; inside a
    reporting task, report progress and check for cancellation."""

    def __init__(self, runner: TaskRunner, name: str) -> None:
        self.name = name
        self._runner = runner
        self._cancelled = threading.Event()
        self._finished = threading.Event()
        self._on_progress: ProgressCallback | None = None

    def cancel(self) -> None:
        """Drop the callbacks, do not start if not started, stop at the next :meth:`check`."""
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    @property
    def finished(self) -> bool:
        return self._finished.is_set()

    def check(self) -> None:
        """Raise :class:`TaskCancelled` when the task was cancelled (call between steps)."""
        if self._cancelled.is_set():
            raise TaskCancelled(self.name)

    def report(self, done: int, total: int, stage: str = "") -> None:
        """Tell ``on_progress`` on the GUI thread how far the work got (any thread)."""
        self.check()
        callback = self._on_progress
        if callback is None:
            return

        def deliver() -> None:
            if not self.cancelled:
                callback(done, total, stage)

        self._runner._post_safely(deliver)


class _Delivery(QEvent):
    def __init__(self, callback: Callable[[], None]) -> None:
        super().__init__(_DELIVERY)
        self.callback = callback


class _Runnable(QRunnable, Generic[T]):
    def __init__(
        self,
        runner: TaskRunner,
        task: Task[T],
        fn: Callable[[Task[T]], T],
        on_done: Callable[[T], None] | None,
        on_error: ErrorCallback | None,
        on_cancelled: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._runner, self._task, self._fn = runner, task, fn
        self._on_done, self._on_error, self._on_cancelled = on_done, on_error, on_cancelled

    def run(self) -> None:
        task = self._task
        if task.cancelled:
            self._finish(self._on_cancelled, always=True)
            return
        try:
            result = self._fn(task)
        except TaskCancelled:
            self._finish(self._on_cancelled, always=True)
        except Exception as exc:
            self._fail(exc)
        else:
            on_done = self._on_done
            self._finish(None if on_done is None else lambda: on_done(result))

    def _fail(self, exc: Exception) -> None:
        """Route ``exc``: a KnownError to ``on_error``; a bug is logged, then reported."""
        task, on_error = self._task, self._on_error
        if is_known(exc):
            if on_error is None:
                log.warning("background task %s: %s", task.name, exc)
        else:
            log.error("background task %s failed (a bug)", task.name, exc_info=exc)
            bug = self._runner.bug
            self._runner._post_safely(lambda: bug.emit(task.name, exc))
        self._finish(None if on_error is None else lambda: on_error(exc))

    def _finish(self, callback: Callable[[], None] | None, *, always: bool = False) -> None:
        """Mark the end and deliver ``callback`` on the runner's thread; a cancelled task's
        callback is dropped unless ``always`` (its ``on_cancelled``)."""
        task, runner = self._task, self._runner

        def deliver() -> None:
            task._finished.set()
            runner._running.discard(task)
            if callback is not None and (always or not task.cancelled):
                callback()

        if not runner._post_safely(deliver):
            task._finished.set()


class TaskRunner(QObject):
    """Runs callables on a thread pool; results and errors come back on the GUI thread."""

    #: A task failed with something that is not a KnownError (already logged with its
    #: traceback): task name, exception. The window shows it in the error dialog.
    bug = Signal(str, object)

    def __init__(
        self, pool: QThreadPool | None = None, parent: QObject | None = None, *, threads: int = 4
    ) -> None:
        super().__init__(parent)
        self._pool = pool if pool is not None else QThreadPool(self)
        if pool is None:
            self._pool.setMaxThreadCount(threads)
        self._running: set[Task[Any]] = set()
        self._closed = threading.Event()

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def run(
        self,
        fn: Callable[[], T],
        *,
        on_done: Callable[[T], None] | None = None,
        on_error: ErrorCallback | None = None,
        name: str = "",
    ) -> Task[T]:
        """Run ``fn()`` in the pool; ``on_done(result)`` or ``on_error(exc)`` on this thread."""
        return self.run_reporting(
            lambda _task: fn(),
            on_done=on_done,
            on_error=on_error,
            name=name or getattr(fn, "__name__", "task"),
        )

    def run_reporting(
        self,
        fn: Callable[[Task[T]], T],
        *,
        on_done: Callable[[T], None] | None = None,
        on_error: ErrorCallback | None = None,
        on_progress: ProgressCallback | None = None,
        on_cancelled: Callable[[], None] | None = None,
        name: str = "",
    ) -> Task[T]:
        """Run ``fn(task)``, which may ``task.report(...)`` progress and ``task.check()``.
        ``on_cancelled()`` is called (on this thread) when a cancelled task ended or never
        started; the owner that cancelled it is still there to hear it."""
        task: Task[T] = Task(self, name or getattr(fn, "__name__", "task"))
        task._on_progress = on_progress
        if self.closed:
            task.cancel()
            task._finished.set()
            return task
        self._running.add(task)
        self._pool.start(_Runnable(self, task, fn, on_done, on_error, on_cancelled))
        return task

    def post(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` on this runner's thread (safe from any thread)."""
        QCoreApplication.postEvent(self, _Delivery(callback))

    def _post_safely(self, callback: Callable[[], None]) -> bool:
        """:meth:`post` unless the runner is closed or gone; False when nothing was posted."""
        if self.closed:  # the application is going away: nobody to tell
            return False
        try:
            self.post(callback)
        except RuntimeError:  # the runner was deleted meanwhile
            return False
        return True

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Block until the pool is idle (shutdown and tests only; never in a slot)."""
        return bool(self._pool.waitForDone(timeout_ms))

    def close(self, timeout_ms: int = 30_000) -> bool:
        """No more results are delivered; wait for what runs (quitting only)."""
        self._closed.set()
        for task in list(self._running):
            task.cancel()
        return self.wait(timeout_ms)

    def event(self, event: QEvent) -> bool:
        if event.type() == _DELIVERY and isinstance(event, _Delivery):
            event.callback()
            return True
        return super().event(event)
