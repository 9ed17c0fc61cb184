"""The one way LabDesk runs work off the GUI thread.

``TaskRunner.run(fn, on_done=..., on_error=...)`` runs ``fn`` on a thread pool and calls
``on_done(result)`` or ``on_error(exception)`` back on the GUI thread (the thread the runner
lives in), by posting an event to the runner — the way Picard's ``run_task`` does. Widgets
never see a thread: they hand a callable to the workstation facade and get a callback.

A task whose owner went away is cancelled with :meth:`Task.cancel`; its callbacks are then
dropped instead of touching a deleted widget.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRunnable, QThreadPool

log = logging.getLogger(__name__)

_DELIVERY = QEvent.Type(QEvent.registerEventType())


class Task:
    """A handle on one background call: cancel it, or ask whether it finished."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._cancelled = threading.Event()
        self._finished = threading.Event()

    def cancel(self) -> None:
        """Drop the callbacks; the callable itself runs to its end (Python cannot stop it)."""
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    @property
    def finished(self) -> bool:
        return self._finished.is_set()


class _Delivery(QEvent):
    def __init__(self, callback: Callable[[], None]) -> None:
        super().__init__(_DELIVERY)
        self.callback = callback


class _Runnable(QRunnable):
    def __init__(
        self,
        runner: TaskRunner,
        task: Task,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None,
        on_error: Callable[[BaseException], None] | None,
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._runner, self._task, self._fn = runner, task, fn
        self._on_done, self._on_error = on_done, on_error

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:
            if self._on_error is None:
                log.exception("background task %s failed", self._task.name)
            self._post(self._on_error, exc)
        else:
            self._post(self._on_done, result)

    def _post(self, callback: Callable[[Any], None] | None, value: Any) -> None:
        task, runner = self._task, self._runner

        def deliver() -> None:
            task._finished.set()
            runner._running.discard(task)
            if callback is not None and not task.cancelled:
                callback(value)

        if runner.closed:  # the application is going away: nobody to tell
            task._finished.set()
            return
        try:
            runner.post(deliver)
        except RuntimeError:  # the runner was deleted meanwhile
            task._finished.set()


class TaskRunner(QObject):
    """Runs callables on a thread pool; results and errors come back on the GUI thread."""

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = pool if pool is not None else QThreadPool(self)
        if pool is None:
            self._pool.setMaxThreadCount(4)
        self._running: set[Task] = set()
        self._closed = threading.Event()

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def run(
        self,
        fn: Callable[[], Any],
        *,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        name: str = "",
    ) -> Task:
        task = Task(name or getattr(fn, "__name__", "task"))
        if self.closed:
            task.cancel()
            return task
        self._running.add(task)
        self._pool.start(_Runnable(self, task, fn, on_done, on_error))
        return task

    def post(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` on this runner's thread (safe from any thread)."""
        QCoreApplication.postEvent(self, _Delivery(callback))

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
