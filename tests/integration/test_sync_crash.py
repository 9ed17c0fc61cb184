"""A workstation killed with SIGKILL loses nothing and sends its action exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.sync_helpers import (
    ProxyRule,
    TcpProxy,
    actions_in_history,
    demo_template,
    is_action,
    portal_copy,
    start_demo_portal,
    wait_for,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def portal(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Iterator[Any]:
    data = portal_copy(demo_template(tmp_path_factory.getbasetemp()), tmp_path / "portal")
    running = start_demo_portal(data)
    yield running
    running.stop()


def child(url: str, home: Path, mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.integration.sync_child", url, str(home), "reviewer", mode],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def queued_line(proc: subprocess.Popen[str]) -> tuple[int, int]:
    assert proc.stdout is not None
    line = proc.stdout.readline().split()
    assert line[0] == "QUEUED", line
    return int(line[1]), int(line[2])


def kill(proc: subprocess.Popen[str]) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    if proc.stdout is not None:
        proc.stdout.close()


def sync_in_a_new_process(url: str, home: Path) -> dict[str, Any]:
    proc = child(url, home, "sync")
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0
    return dict(json.loads(out.strip().splitlines()[-1]))


def test_killed_right_after_queueing_sends_it_once_after_restart(
    portal: Any, tmp_path: Path
) -> None:
    proc = child(portal.url, tmp_path, "queue")
    try:
        _outbox_id, case_id = queued_line(proc)
    finally:
        kill(proc)
    assert actions_in_history(portal.url, case_id, "accept") == 0

    state = sync_in_a_new_process(portal.url, tmp_path)
    assert state == {"pending": 0, "conflicts": 0, "online": True, "error": None}
    assert actions_in_history(portal.url, case_id, "accept") == 1
    sync_in_a_new_process(portal.url, tmp_path)
    assert actions_in_history(portal.url, case_id, "accept") == 1


def test_killed_after_sending_before_the_answer_is_not_applied_twice(
    portal: Any, tmp_path: Path
) -> None:
    proxy = TcpProxy(portal.port, rules=[ProxyRule(is_action, "hold")])
    try:
        proc = child(proxy.url, tmp_path, "queue_push")
        try:
            _outbox_id, case_id = queued_line(proc)
            # The portal applied it; the answer never reached the workstation.
            wait_for(lambda: actions_in_history(portal.url, case_id, "accept") == 1, 30)
        finally:
            kill(proc)
        state = sync_in_a_new_process(proxy.url, tmp_path)
        assert state["pending"] == 0
        assert state["conflicts"] == 0
        assert actions_in_history(portal.url, case_id, "accept") == 1
        assert sum(1 for m in proxy.seen if is_action(m)) == 2
    finally:
        proxy.stop()
