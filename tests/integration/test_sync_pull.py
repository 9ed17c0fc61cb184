"""Pulling the demo portal into an empty cache, and pulling again with nothing new."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from labdesk.domain.lifecycle import Status
from tests.integration.sync_helpers import (
    Accounts,
    CountingTransport,
    running_demo_portal,
)


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield from running_demo_portal(tmp_path_factory, "pull")


def test_first_sync_fills_the_cache_and_the_next_one_is_one_small_page(
    portal: Any, accounts: Accounts
) -> None:
    counter = CountingTransport()
    account = accounts.open(portal.url, "reviewer", transport=counter)
    engine = account.engine
    counter.reset()

    changed: list[int] = []
    engine.events.cases_changed = changed.extend  # type: ignore[method-assign]
    state = engine.sync()
    assert state.online is True
    assert state.error is None
    assert state.last_sync_at is not None
    assert state.pending == 0

    rows = account.repo.load_inbox_rows()
    assert len(rows) > 250  # the demo lab's cases, not the second lab's
    assert sorted(changed) == sorted(r.case_id for r in rows)
    assert {r.status for r in rows} >= {s.value for s in Status}
    pages = [r for r in counter.requests if r[1].startswith("/api/v1/cases?")]
    assert len(pages) >= 1
    status = account.repo.sync_status()
    assert status.last_seq == max(account.repo.get_case(r.case_id).case.seq for r in rows)
    received = next(
        r for r in rows if r.status == "received" and account.repo.files_of_cases([r.case_id])
    )
    cached = account.repo.get_case(received.case_id)
    assert cached.case.history  # the full case is kept, with its history and files
    assert account.repo.files_of_cases([received.case_id])

    counter.reset()
    state = engine.sync()
    assert state.online is True
    assert counter.requests == [
        ("GET", f"/api/v1/cases?since={status.last_seq}&limit=500", counter.requests[0][2])
    ]
    assert counter.requests[0][2] < 200  # bytes: an empty page


def test_small_pages_are_followed_to_the_end(portal: Any, accounts: Accounts) -> None:
    counter = CountingTransport()
    account = accounts.open(portal.url, "lab2_admin", transport=counter)
    account.engine.page_size = 7
    counter.reset()
    account.engine.sync()
    rows = account.repo.load_inbox_rows()
    pages = [r for r in counter.requests if r[1].startswith("/api/v1/cases?")]
    assert len(pages) == len(rows) // 7 + 1
    assert rows  # the second lab sees only its own cases
    assert all(account.repo.get_case(r.case_id).case.lab_id != 1 for r in rows)


def test_reference_data_and_who_am_i_parse(portal: Any, accounts: Accounts) -> None:
    account = accounts.open(portal.url, "reviewer")
    client = account.client
    assert client.me().username == "reviewer"
    assert "reviewer" in client.me().roles
    codes = {r.code for r in client.rejection_reasons()}
    assert {"unclear_margin", "other"} <= codes
    assert client.catalog()
    assert any(p.username == "ceramist" for p in client.people())
    assert client.health().status
    client.logout()
    assert not client.signed_in
