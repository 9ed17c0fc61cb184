"""Issue 13, point 3: an action is recorded at the person's time, not when it reached the portal.

The client writes ``occurred_at`` (UTC) into the outbox entry's body when the person acts; the
portal keeps it beside its own time (``at``, the order of record), clamps a clock that runs
ahead, and decides nothing by it (``seq`` and the version still come from the portal).
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from labdesk.api.schemas import ActionRequest
from labdesk.domain.lifecycle import Action
from labdesk.server import routes_actions
from tests.integration.sync_helpers import (
    Accounts,
    demo_template,
    portal_copy,
    server_history,
    start_demo_portal,
)


@pytest.fixture
def portal_dir(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Path:
    return portal_copy(demo_template(tmp_path_factory.getbasetemp()), tmp_path / "portal")


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def test_the_portal_keeps_the_persons_time_and_clamps_a_clock_ahead(
    portal_api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = portal_api.new_case()
    taken = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1)
    later = taken + timedelta(minutes=3)  # the action reaches the portal 3 minutes later
    monkeypatch.setattr(routes_actions, "utcnow", lambda: later)
    accepted = portal_api.act("reviewer", case["id"], "accept", occurred_at=iso(taken))
    assert accepted.status_code == 200, accepted.text
    step = accepted.json()["history"][-1]
    assert datetime.fromisoformat(step["occurred_at"]) == taken
    assert datetime.fromisoformat(step["at"]) == later
    assert accepted.json()["seq"] > case["seq"]  # the portal's counter, as always

    ahead = later + timedelta(hours=2)  # a workstation whose clock runs ahead
    moved = portal_api.act("designer", case["id"], "start_production", occurred_at=iso(ahead))
    assert moved.status_code == 200, moved.text
    step = moved.json()["history"][-1]
    assert step["occurred_at"] == step["at"]  # never after the portal recorded it

    # Before the step it was taken on (a clock behind): raised to when that step was recorded.
    behind = taken - timedelta(days=1)
    moved = portal_api.act(
        "production_tech", case["id"], "start_finishing", occurred_at=iso(behind)
    )
    step = moved.json()["history"][-1]
    assert datetime.fromisoformat(step["occurred_at"]) == later

    # Without a zone it is UTC; without a time (an older client) it is the portal's.
    monkeypatch.setattr(routes_actions, "utcnow", lambda: later + timedelta(minutes=5))
    naive = (later + timedelta(minutes=1)).replace(tzinfo=None)
    moved = portal_api.act("ceramist", case["id"], "send_to_qc", occurred_at=naive.isoformat())
    step = moved.json()["history"][-1]
    assert datetime.fromisoformat(step["occurred_at"]) == naive.replace(tzinfo=UTC)
    moved = portal_api.act("qc_manager", case["id"], "qc_pass", checklist="all")
    step = moved.json()["history"][-1]
    assert step["occurred_at"] == step["at"]


def test_an_offline_action_reaches_the_portal_with_the_time_it_was_taken(
    portal_dir: Path, accounts: Accounts
) -> None:
    portal = start_demo_portal(portal_dir)
    url, port = portal.url, portal.port
    account = accounts.open(url, "reviewer")
    engine = account.engine
    engine.sync()
    target = next(r for r in account.repo.load_inbox_rows() if r.status == "received")
    portal.stop()

    before = datetime.now(UTC)
    engine.queue_action(
        target.case_id,
        ActionRequest(action=Action.REJECT, reason_code="unclear_margin", note="distal 36"),
    )
    after = datetime.now(UTC)
    (entry,) = account.repo.queued()
    body = json.loads(entry.payload)
    taken = datetime.fromisoformat(body["occurred_at"])  # in the outbox entry, in the body
    assert before <= taken <= after
    assert engine.sync(force=True).online is False
    time.sleep(2.2)  # the portal is away a while

    restarted = start_demo_portal(portal_dir, port=port)
    try:
        assert engine.sync(force=True).pending == 0
        (reject,) = [h for h in server_history(url, target.case_id) if h.action == "reject"]
        assert reject.occurred_at is not None
        assert abs(reject.occurred_at - taken) < timedelta(milliseconds=1)
        assert reject.at - reject.occurred_at >= timedelta(seconds=2)
    finally:
        restarted.stop()
