"""The outbox pruning at every cache open removes only *sent* entries: "never lose an action".

``CacheRepository.open`` prunes outbox entries older than ``KEEP_DONE``. An entry still waiting
to be sent (the workstation was off for a fortnight) or one the person has yet to decide on (a
conflict) must survive however old it is, and the waiting one must still reach the portal
exactly once.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from labdesk.api.schemas import ActionRequest
from labdesk.cache import tables as t
from labdesk.cache.outbox import KEEP_DONE
from labdesk.domain.lifecycle import Action
from tests.integration.sync_helpers import (
    Accounts,
    actions_in_history,
    demo_template,
    portal_copy,
    start_demo_portal,
)


@pytest.fixture
def portal(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Iterator[Any]:
    running = start_demo_portal(
        portal_copy(demo_template(tmp_path_factory.getbasetemp()), tmp_path / "portal")
    )
    yield running
    running.stop()


def test_old_entries_of_every_state_reopened_only_sent_ones_pruned(
    portal: Any, accounts: Accounts
) -> None:
    reviewer = accounts.open(portal.url, "reviewer")
    admin = accounts.open(portal.url, "lab_admin")
    reviewer.engine.sync()
    admin.engine.sync()
    received = sorted(
        (r for r in reviewer.repo.load_inbox_rows() if r.status == "received"),
        key=lambda r: r.case_id,
    )
    sent_case, conflict_case, waiting_case = (r.case_id for r in received[:3])

    # sent: accepted and answered
    reviewer.engine.queue_action(sent_case, ActionRequest(action=Action.ACCEPT))
    reviewer.engine.push()
    # conflict: cancelled by the admin meanwhile, the reviewer's accept is refused
    admin.engine.queue_action(
        conflict_case, ActionRequest(action=Action.CANCEL, reason="duplicate")
    )
    admin.engine.sync()
    reviewer.engine.queue_action(conflict_case, ActionRequest(action=Action.ACCEPT))
    reviewer.engine.push()
    # waiting: queued, never sent
    reviewer.engine.queue_action(
        waiting_case, ActionRequest(action=Action.REJECT, reason_code="unclear_margin")
    )
    states = {
        e.case_id: e.state
        for e in (reviewer.repo.outbox_entry(i) for i in range(1, 10))
        if e is not None
    }
    assert states == {sent_case: "done", conflict_case: "conflict", waiting_case: "queued"}

    long_ago = (datetime.now(UTC) - KEEP_DONE * 2).isoformat()
    with reviewer.repo.engine.begin() as conn:
        conn.execute(update(t.outbox).values(created_at=long_ago))
    reviewer.close()
    accounts.opened.remove(reviewer)

    reopened = accounts.open(portal.url, "reviewer")  # same home: the same cache file
    left = {
        e.case_id: e.state
        for e in (reopened.repo.outbox_entry(i) for i in range(1, 10))
        if e is not None
    }
    assert left == {conflict_case: "conflict", waiting_case: "queued"}
    assert [c.case_id for c in reopened.repo.conflicts()] == [conflict_case]

    reopened.engine.sync(force=True)
    reopened.engine.sync(force=True)
    assert reopened.engine.state().pending == 0
    assert actions_in_history(portal.url, waiting_case, "reject") == 1
    assert actions_in_history(portal.url, sent_case, "accept") == 1
    assert actions_in_history(portal.url, conflict_case, "accept") == 0


def test_recent_sent_entries_are_kept_for_support(portal: Any, accounts: Accounts) -> None:
    reviewer = accounts.open(portal.url, "reviewer")
    reviewer.engine.sync()
    case = next(r for r in reviewer.repo.load_inbox_rows() if r.status == "received")
    reviewer.engine.queue_action(case.case_id, ActionRequest(action=Action.ACCEPT))
    reviewer.engine.push()
    reviewer.repo.prune_sent()
    entry = reviewer.repo.outbox_entry(1)
    assert entry is not None
    assert entry.state == "done"
