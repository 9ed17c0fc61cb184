"""Outbox and conflict bookkeeping the mutation run found unpinned: resolving one conflict
clears the mark of exactly its case, an attempt is counted with its error, and the look-ups of
a conflict answer None for what is not one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from labdesk.api.schemas import ActionRequest, Case
from labdesk.cache import tables as t
from labdesk.cache.migrations import CacheError
from labdesk.cache.optimistic import ALL_ROLES, apply_action
from labdesk.cache.repository import CacheRepository
from labdesk.domain.lifecycle import Action
from tests.integration.sync_helpers import make_case

START = ActionRequest(action=Action.START_PRODUCTION)


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[CacheRepository]:
    repository = CacheRepository.open(tmp_path / "cache.sqlite")
    yield repository
    repository.close()


def _start(shown: Case) -> Case:
    return apply_action(shown, START, ALL_ROLES)


def _conflict_on(repo: CacheRepository, case_id: int) -> tuple[int, int]:
    """(outbox entry, conflict) of a refused start_production on ``case_id``."""
    repo.upsert_page([make_case(case_id, version=3, status="design")], case_id)
    entry = repo.enqueue(case_id, START, f"key-{case_id}", _start)
    theirs = make_case(case_id, version=4, status="cancelled")
    [conflict] = repo.to_conflict(entry, theirs, "transition", "The case was cancelled.")
    return entry, conflict


def test_resolving_one_conflict_clears_only_its_own_case(repo: CacheRepository) -> None:
    _, first = _conflict_on(repo, 1)
    _, second = _conflict_on(repo, 2)
    assert repo.get_case(1).conflict
    assert repo.get_case(2).conflict

    repo.resolve_conflict(second, "discarded")  # the later one first
    assert not repo.get_case(2).conflict
    assert repo.get_case(1).conflict
    assert repo.conflict(first).resolved is None
    assert repo.conflict(second).resolved == "discarded"

    repo.resolve_conflict(first, "retried")
    assert not repo.get_case(1).conflict
    with repo.engine.connect() as conn:
        stamps = conn.execute(select(t.conflicts.c.resolved_at)).scalars().all()
    assert len(stamps) == 2
    assert all(stamps)


def test_resolving_twice_says_so(repo: CacheRepository) -> None:
    _, conflict = _conflict_on(repo, 1)
    repo.resolve_conflict(conflict, "discarded")
    with pytest.raises(CacheError) as again:
        repo.resolve_conflict(conflict, "discarded")
    assert str(again.value) == "This conflict was already resolved."


def test_conflict_look_ups(repo: CacheRepository) -> None:
    entry, conflict = _conflict_on(repo, 1)
    found = repo.conflict_of_entry(entry)
    assert found is not None
    assert found.id == conflict
    assert repo.conflict_of_entry(entry + 100) is None
    assert repo.conflict(conflict + 100) is None
    repo.upsert_page([make_case(5, version=1, status="design")], 5)
    waiting = repo.enqueue(5, START, "key-5", _start)
    assert repo.conflict_of_entry(waiting) is None


def test_each_attempt_is_counted_with_its_error(repo: CacheRepository) -> None:
    repo.upsert_page([make_case(1, version=3, status="design")], 1)
    entry = repo.enqueue(1, START, "key-1", _start)
    repo.record_attempt(entry, "Cannot reach the portal")
    repo.record_attempt(entry, "The portal had a problem (HTTP 503)")
    stored = repo.outbox_entry(entry)
    assert stored is not None
    assert stored.attempts == 2
    assert stored.last_error == "The portal had a problem (HTTP 503)"
    assert stored.state == "queued"
