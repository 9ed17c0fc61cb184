"""The Qt face of syncing: the worker thread's signals, against the real portal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from labdesk.api.schemas import ActionRequest
from labdesk.client.sync import SyncState
from labdesk.domain.lifecycle import Action
from labdesk.services.case_actions import CaseActions
from labdesk.services.sync_worker import SyncService
from labdesk.services.tasks import TaskRunner
from tests.integration.sync_helpers import (
    Accounts,
    actions_in_history,
    demo_template,
    portal_copy,
    start_demo_portal,
)

WAIT_MS = 30_000


@pytest.fixture
def portal(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Iterator[Any]:
    data = portal_copy(demo_template(tmp_path_factory.getbasetemp()), tmp_path / "portal")
    running = start_demo_portal(data)
    yield running
    running.stop()


def test_worker_signals(qtbot: QtBot, portal: Any, accounts: Accounts) -> None:
    account = accounts.open(portal.url, "reviewer")
    # No change feed: the conflict below needs this workstation not to hear of the other's
    # rejection before it queues its accept (the feed brings it in ~0.1 s).
    service = SyncService(account.engine, interval_s=3600, use_feed=False)
    service.worker.prefetch_enabled = False  # on at the end
    states: list[SyncState] = []
    changed: list[int] = []
    conflicts: list[int] = []
    progress: list[tuple[int, int, int]] = []
    service.sync_state_changed.connect(states.append)
    service.cases_changed.connect(changed.extend)
    service.conflict_detected.connect(conflicts.append)
    service.download_progress.connect(lambda *args: progress.append(args))
    tasks = TaskRunner()
    actions = CaseActions(  # the outbox is written on the task runner, as in the app
        tasks,
        account=lambda: account,
        sync=lambda: service,
        open_case=lambda: None,
        reload_inbox_soon=lambda: None,
    )
    try:
        service.start()
        qtbot.waitUntil(lambda: bool(states) and not states[-1].syncing, timeout=WAIT_MS)
        assert states[0].syncing  # the status bar can show that a sync runs
        assert states[-1].online is True
        assert states[-1].last_sync_at is not None
        assert len(changed) == account.repo.case_count()

        received = sorted(
            r.case_id for r in account.repo.load_inbox_rows() if r.status == "received"
        )
        with qtbot.waitSignal(actions.action_queued, timeout=WAIT_MS) as queued:
            actions.queue_action(received[0], ActionRequest(action=Action.ACCEPT))
        assert queued.args[0] == received[0]
        qtbot.waitUntil(lambda: states[-1].pending == 0 and states[-1].online, timeout=WAIT_MS)
        assert actions_in_history(portal.url, received[0], "accept") == 1

        # someone else rejects the next case first: ours comes back as a conflict
        other = accounts.open(portal.url, "lab_admin")
        other.engine.sync()
        reject = ActionRequest(action=Action.REJECT, reason_code="unclear_margin")
        other.engine.queue_action(received[1], reject)
        other.engine.sync()
        with qtbot.waitSignal(service.conflict_detected, timeout=WAIT_MS):
            actions.queue_action(received[1], ActionRequest(action=Action.ACCEPT))
        assert conflicts == [received[1]]
        qtbot.waitUntil(lambda: states[-1].conflicts == 1, timeout=WAIT_MS)

        with qtbot.waitSignal(actions.action_failed, timeout=WAIT_MS) as failed:
            actions.queue_action(received[1], ActionRequest(action=Action.SHIP))
        assert failed.args[0] == received[1]
        assert failed.args[1]  # a message for a person

        scan = next(f for f in account.repo.files_of_cases(received) if f.kind == "scan")
        with qtbot.waitSignal(service.file_ready, timeout=WAIT_MS) as ready:
            service.fetch_file(scan.id)
        assert ready.args[0] == scan.id
        assert Path(ready.args[1]).stat().st_size == scan.size
        assert progress[-1] == (scan.id, scan.size, scan.size)

        with qtbot.waitSignal(service.file_failed, timeout=WAIT_MS):
            service.fetch_file(10**9)

        with qtbot.waitSignal(service.sync_state_changed, timeout=WAIT_MS):
            service.sync_now()

        # after a sync the worker fetches inbox scans ahead of time, within the budget
        stored = account.files.store.total_size()
        account.files.limit_bytes = stored + 30_000_000  # room for two more scans
        service.worker.prefetch_enabled = True
        service.sync_now()
        qtbot.waitUntil(lambda: account.files.store.total_size() > stored, timeout=WAIT_MS)
    finally:
        service.stop()
        tasks.close()
