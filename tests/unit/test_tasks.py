"""The task runner: results, known-vs-bug routing, cancellation and progress, on the GUI thread."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from labdesk.errors import KnownError, NotSignedIn
from labdesk.services.tasks import Task, TaskRunner

WAIT_MS = 5_000


@pytest.fixture
def runner(qtbot: QtBot) -> Any:
    runner = TaskRunner(threads=2)
    yield runner
    runner.close(WAIT_MS)
    runner.deleteLater()


def test_result_arrives_on_the_gui_thread(qtbot: QtBot, runner: TaskRunner) -> None:
    got: list[tuple[int, bool]] = []
    gui = threading.current_thread()

    def work() -> int:
        assert threading.current_thread() is not gui
        return 42

    task = runner.run(work, on_done=lambda n: got.append((n, threading.current_thread() is gui)))
    qtbot.waitUntil(lambda: bool(got), timeout=WAIT_MS)
    assert got == [(42, True)]
    assert task.finished
    assert not runner.busy


def test_a_known_error_goes_to_on_error_without_a_traceback(
    qtbot: QtBot, runner: TaskRunner, caplog: pytest.LogCaptureFixture
) -> None:
    errors: list[BaseException] = []
    bugs: list[object] = []
    runner.bug.connect(lambda name, exc: bugs.append(exc))

    def work() -> None:
        raise NotSignedIn()

    with caplog.at_level(logging.DEBUG, logger="labdesk.services.tasks"):
        runner.run(work, on_error=errors.append, name="known")
        qtbot.waitUntil(lambda: bool(errors), timeout=WAIT_MS)
    assert isinstance(errors[0], KnownError)
    assert bugs == []
    assert not [r for r in caplog.records if r.exc_info]


def test_a_known_error_without_on_error_is_logged_as_a_warning(
    qtbot: QtBot, runner: TaskRunner, caplog: pytest.LogCaptureFixture
) -> None:
    def work() -> None:
        raise KnownError("The portal is offline.")

    with caplog.at_level(logging.WARNING, logger="labdesk.services.tasks"):
        task = runner.run(work, name="offline")
        qtbot.waitUntil(lambda: task.finished, timeout=WAIT_MS)
    (record,) = caplog.records
    assert record.levelno == logging.WARNING
    assert "The portal is offline." in record.getMessage()
    assert record.exc_info is None


def test_a_bug_is_logged_with_its_traceback_even_with_on_error(
    qtbot: QtBot, runner: TaskRunner, caplog: pytest.LogCaptureFixture
) -> None:
    errors: list[BaseException] = []
    bugs: list[tuple[str, object]] = []
    runner.bug.connect(lambda name, exc: bugs.append((name, exc)))

    def work() -> None:
        raise ZeroDivisionError("a bug")

    with caplog.at_level(logging.ERROR, logger="labdesk.services.tasks"):
        runner.run(work, on_error=errors.append, name="buggy")
        qtbot.waitUntil(lambda: bool(errors), timeout=WAIT_MS)
    (record,) = caplog.records
    assert record.exc_info is not None
    assert record.exc_info[0] is ZeroDivisionError
    assert "buggy" in record.getMessage()
    assert [name for name, _exc in bugs] == ["buggy"]
    assert isinstance(errors[0], ZeroDivisionError)


def test_a_bug_without_on_error_is_still_reported(
    qtbot: QtBot, runner: TaskRunner, caplog: pytest.LogCaptureFixture
) -> None:
    def work() -> None:
        raise KeyError("oops")

    with (
        caplog.at_level(logging.ERROR, logger="labdesk.services.tasks"),
        qtbot.waitSignal(runner.bug, timeout=WAIT_MS) as blocker,
    ):
        runner.run(work, name="unhandled")
    assert blocker.args[0] == "unhandled"
    assert isinstance(blocker.args[1], KeyError)
    assert caplog.records[0].exc_info is not None


def test_progress_is_delivered_on_the_gui_thread(qtbot: QtBot, runner: TaskRunner) -> None:
    gui = threading.current_thread()
    seen: list[tuple[int, int, str, bool]] = []
    done: list[str] = []

    def work(task: Task[str]) -> str:
        for step in range(1, 4):
            task.report(step, 3, f"step {step}")
        return "ok"

    runner.run_reporting(
        work,
        on_done=done.append,
        on_progress=lambda d, t, s: seen.append((d, t, s, threading.current_thread() is gui)),
    )
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)
    assert seen == [(1, 3, "step 1", True), (2, 3, "step 2", True), (3, 3, "step 3", True)]


def test_a_cancelled_task_stops_at_its_next_check_and_calls_nobody(
    qtbot: QtBot, runner: TaskRunner, caplog: pytest.LogCaptureFixture
) -> None:
    started, release = threading.Event(), threading.Event()
    steps: list[int] = []
    called: list[object] = []

    def work(task: Task[None]) -> None:
        started.set()
        release.wait(WAIT_MS / 1000)
        for step in range(100):
            task.check()
            steps.append(step)

    task = runner.run_reporting(
        work, on_done=called.append, on_error=called.append, on_progress=lambda *a: called.append(a)
    )
    assert started.wait(WAIT_MS / 1000)
    task.cancel()
    release.set()
    qtbot.waitUntil(lambda: task.finished, timeout=WAIT_MS)
    qtbot.wait(50)
    assert steps == []
    assert called == []
    assert not caplog.records


def test_a_task_cancelled_before_it_starts_never_runs(qtbot: QtBot) -> None:
    runner = TaskRunner(threads=1)
    gate = threading.Event()
    ran: list[str] = []
    runner.run(lambda: gate.wait(WAIT_MS / 1000), name="blocker")
    task = runner.run(lambda: ran.append("ran"), on_done=ran.append)
    task.cancel()
    gate.set()
    qtbot.waitUntil(lambda: task.finished and not runner.busy, timeout=WAIT_MS)
    assert ran == []
    runner.close(WAIT_MS)
    runner.deleteLater()


def test_a_closed_runner_starts_nothing(qtbot: QtBot) -> None:
    runner = TaskRunner()
    runner.close()
    ran: list[int] = []
    task = runner.run(lambda: ran.append(1))
    assert task.cancelled
    assert task.finished
    runner.wait(WAIT_MS)
    assert ran == []
    runner.deleteLater()


def test_on_cancelled_hears_the_end_of_a_cancelled_task(qtbot: QtBot) -> None:
    runner = TaskRunner(threads=1)
    gate = threading.Event()
    ended: list[str] = []
    runner.run(lambda: gate.wait(WAIT_MS / 1000), name="blocker")
    waiting = runner.run_reporting(lambda task: None, on_cancelled=lambda: ended.append("waiting"))
    waiting.cancel()
    gate.set()
    qtbot.waitUntil(lambda: ended == ["waiting"], timeout=WAIT_MS)
    runner.close(WAIT_MS)
    runner.deleteLater()
