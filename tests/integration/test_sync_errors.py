"""Faults injected in front of the real portal: what the outbox does with each answer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from labdesk.api.schemas import ActionRequest
from labdesk.client.account import Account
from labdesk.domain.lifecycle import Action
from tests.integration.sync_helpers import (
    Accounts,
    actions_in_history,
    running_demo_portal,
)

Fault = Callable[[httpx.Request], httpx.Response | None]


class FaultyTransport(httpx.BaseTransport):
    """Forwards to the real portal unless a fault answers first (each fault fires once)."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.faults: list[Fault] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        for fault in list(self.faults):
            response = fault(request)
            if response is not None:
                self.faults.remove(fault)
                return response
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def on_action(case_id: int, status: int, code: str) -> Fault:
    def fault(request: httpx.Request) -> httpx.Response | None:
        if request.method == "POST" and request.url.path.endswith(f"/cases/{case_id}/actions"):
            body = {"error": {"code": code, "message": f"injected {code}", "details": {}}}
            return httpx.Response(status, json=body, request=request)
        return None

    return fault


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield from running_demo_portal(tmp_path_factory, "errors")


@pytest.fixture
def setup(portal: Any, tmp_path: Path) -> Iterator[tuple[Account, FaultyTransport, list[int]]]:
    pool = Accounts(tmp_path)
    transport = FaultyTransport()
    account = pool.open(portal.url, "lab_admin", transport=transport, retries=0)
    account.engine.sync()
    design = sorted(r.case_id for r in account.repo.load_inbox_rows() if r.status == "design")
    yield account, transport, design
    pool.close_all()


START = ActionRequest(action=Action.START_PRODUCTION)


def test_server_error_keeps_the_entry_and_blocks_only_that_case(portal: Any, setup) -> None:
    account, transport, (a, b, *_) = setup
    transport.faults.append(on_action(a, 500, "internal"))
    account.engine.queue_action(a, START)
    account.engine.queue_action(b, START)
    state = account.engine.sync(force=True)
    assert state.pending == 1
    [entry] = account.repo.queued()
    assert entry.case_id == a
    assert entry.attempts == 1
    assert "injected internal" in (entry.last_error or "")
    assert actions_in_history(portal.url, b, "start_production") == 1
    assert account.engine.sync(force=True).pending == 0
    assert actions_in_history(portal.url, a, "start_production") == 1


def test_key_busy_is_retried_later_not_a_conflict(portal: Any, setup) -> None:
    account, transport, (_, _, a, *_) = setup
    transport.faults.append(on_action(a, 409, "idempotency_conflict"))
    account.engine.queue_action(a, START)
    state = account.engine.sync(force=True)
    assert (state.pending, state.conflicts) == (1, 0)
    assert account.engine.sync(force=True).pending == 0
    assert actions_in_history(portal.url, a, "start_production") == 1


def test_refusal_by_the_portal_is_kept_as_a_conflict(portal: Any, setup) -> None:
    account, transport, (_, _, _, a, *_) = setup
    transport.faults.append(on_action(a, 403, "forbidden"))
    account.engine.queue_action(a, START)
    state = account.engine.sync(force=True)
    assert (state.pending, state.conflicts) == (0, 1)
    [record] = account.repo.conflicts()
    assert record.kind == "rejected"
    assert record.message == "injected forbidden"
    # the action as taken, with the person's time of it (issue 13)
    assert record.intent.model_copy(update={"occurred_at": None}) == START
    assert record.intent.occurred_at is not None
    assert record.server_case.status == "design"
    assert actions_in_history(portal.url, a, "start_production") == 0


def test_expired_sign_in_stops_and_keeps_the_entry(portal: Any, setup) -> None:
    account, transport, (_, _, _, _, a, *_) = setup
    transport.faults.append(on_action(a, 401, "token_expired"))
    account.engine.queue_action(a, START)
    state = account.engine.sync(force=True)
    assert state.signed_in is False
    assert state.pending == 1
    assert not account.client.signed_in  # the useless token is forgotten
    assert account.engine.sync(force=True).pending == 1  # nothing is sent without a token
    account.sign_in("demo")
    state = account.engine.sync(force=True)
    assert state.signed_in is True
    assert state.pending == 0
    assert actions_in_history(portal.url, a, "start_production") == 1


def test_transition_refused_becomes_a_conflict_with_the_portals_case(portal: Any, setup) -> None:
    account, transport, (*_, a) = setup
    transport.faults.append(on_action(a, 409, "transition_not_allowed"))
    account.engine.queue_action(a, START)
    state = account.engine.sync(force=True)
    assert (state.pending, state.conflicts) == (0, 1)
    [record] = account.repo.conflicts()
    assert record.kind == "transition"
    assert record.server_case.id == a  # fetched from the portal for the person to compare
    assert record.server_case.status == "design"
    assert account.repo.get_case(a).conflict
