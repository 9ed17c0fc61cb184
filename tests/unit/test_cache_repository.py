"""The local cache: pages, inbox rows, the outbox and conflicts, files, sync state."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from labdesk.api.schemas import ActionRequest, Case
from labdesk.cache.migrations import CacheError
from labdesk.cache.optimistic import ALL_ROLES, apply_action
from labdesk.cache.quick_rows import cache_path
from labdesk.cache.repository import CacheRepository
from labdesk.domain.lifecycle import Action, Role, TransitionError
from tests.integration.sync_helpers import file_meta, make_case


@pytest.fixture
def repo(tmp_path: Path) -> CacheRepository:
    repository = CacheRepository.open(tmp_path / "cache.sqlite")
    yield repository
    repository.close()


def accept(shown: Case) -> Case:
    return apply_action(shown, ActionRequest(action=Action.ACCEPT), {Role.REVIEWER})


def payload(action: str, **fields: object) -> ActionRequest:
    return ActionRequest.model_validate({"action": action, **fields})


def test_connection_settings(repo: CacheRepository) -> None:
    with repo.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_cache_file_per_portal_and_user(tmp_path: Path) -> None:
    a = cache_path(tmp_path, "http://127.0.0.1:8765", "reviewer")
    assert a == tmp_path / "127.0.0.1-8765-reviewer.sqlite"
    assert a != cache_path(tmp_path, "http://127.0.0.1:8765", "ceramist")
    assert a != cache_path(tmp_path, "http://127.0.0.1:8766", "reviewer")
    odd = cache_path(tmp_path, "https://portal.lab/eu/", "ann/../b")
    assert odd.parent == tmp_path
    assert "/" not in odd.name
    assert ".." not in odd.name
    assert odd != cache_path(tmp_path, "https://portal.lab/eu/", "ann_.._b")


def test_upsert_page_stores_cases_and_moves_the_cursor(repo: CacheRepository) -> None:
    cases = [make_case(i, seq=100 + i) for i in range(1, 4)]
    assert sorted(repo.upsert_page(cases, next_seq=103)) == [1, 2, 3]
    assert repo.sync_status().last_seq == 103
    assert repo.case_count() == 3
    rows = {r.case_id: r for r in repo.load_inbox_rows()}
    row = rows[2]
    assert row.number == "C-2026-00002"
    assert row.status == repo.get_case(2).server_case.status == "received"
    assert row.patient == "Mara Quist"
    assert row.due_date == date(2026, 3, 20)
    assert row.items == (("Zirconia crown", (11,)),)
    assert not row.pending
    assert not row.conflict
    assert repo.get_case(2).case == cases[1]
    assert [r.case_id for r in repo.load_inbox_rows([3, 99])] == [3]
    assert repo.load_inbox_rows([]) == []


def test_cursor_is_the_portals_next_since_not_the_highest_seq(repo: CacheRepository) -> None:
    # Case 2 changed (seq 250) while the portal assembled a page cut at seq 102; cases with
    # seq 103..249 have not been seen yet, so the cursor must stay at 102.
    cases = [make_case(1, seq=101), make_case(2, seq=250)]
    repo.upsert_page(cases, next_seq=102)
    assert repo.sync_status().last_seq == 102
    repo.upsert_page([], next_seq=90)  # never backwards
    assert repo.sync_status().last_seq == 102


def test_patient_initials_when_the_name_is_not_shared(repo: CacheRepository) -> None:
    repo.upsert_page([make_case(1, share_patient_name=False, patient_name=None)], 1)
    assert repo.load_inbox_rows()[0].patient == "MQ · P-1"


def test_older_copy_never_replaces_a_newer_one(repo: CacheRepository) -> None:
    repo.upsert_page([make_case(1, version=5, status="design")], 10)
    assert repo.upsert_page([make_case(1, version=4, status="received")], 11) == []
    assert repo.get_case(1).case.status == "design"
    assert repo.sync_status().last_seq == 11


def test_items_history_and_files_are_replaced_per_case(repo: CacheRepository) -> None:
    history = [
        {
            "id": 1,
            "at": "2026-03-02T09:00:00Z",
            "by": "dentist1",
            "by_name": "Dr. Ada Lind",
            "action": "submit",
            "from_status": None,
            "to_status": "received",
        }
    ]
    files = [file_meta(7, 1, b"abc"), file_meta(8, 1, b"def")]
    repo.upsert_page([make_case(1, history=history, files=files)], 1)
    with repo.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM history").scalar() == 1
        assert conn.exec_driver_sql("SELECT count(*) FROM items").scalar() == 1
    repo.mark_stored(files[0]["sha256"], "ab/x")
    assert repo.file_row(7).verified
    # the portal drops file 8 and changes file 7's content
    repo.upsert_page([make_case(1, version=2, files=[file_meta(7, 1, b"abcd")])], 2)
    assert repo.file_row(8) is None
    row = repo.file_row(7)
    assert row.size == 4
    assert not row.verified
    assert row.local_path is None


def test_enqueue_writes_the_outbox_and_shows_the_action_pending(repo: CacheRepository) -> None:
    repo.upsert_page([make_case(1, version=3)], 1)
    outbox_id = repo.enqueue(1, payload("accept"), "key-1", accept)
    [entry] = repo.queued()
    assert (entry.id, entry.idempotency_key, entry.base_version) == (outbox_id, "key-1", 3)
    assert entry.intent == ActionRequest(action=Action.ACCEPT)
    assert entry.action == "accept"
    cached = repo.get_case(1)
    assert cached.pending
    assert cached.case.status == "design"
    assert cached.server_case.status == "received"
    row = repo.load_inbox_rows()[0]
    assert (row.status, row.pending) == ("design", 1)
    assert (cached.server_case.status, cached.server_case.version) == ("received", 3)
    assert repo.outbox_counts() == (1, 0)


def test_impossible_action_writes_nothing(repo: CacheRepository) -> None:
    repo.upsert_page([make_case(1, status="shipped")], 1)
    with pytest.raises(TransitionError):
        repo.enqueue(1, payload("accept"), "key-1", accept)
    assert repo.queued() == []
    assert not repo.get_case(1).pending


def test_enqueue_for_an_unknown_case_is_refused(repo: CacheRepository) -> None:
    with pytest.raises(CacheError, match="not in the local cache"):
        repo.enqueue(42, payload("accept"), "key-1", accept)


def test_duplicate_key_is_refused(repo: CacheRepository) -> None:
    repo.upsert_page([make_case(1), make_case(2)], 2)
    repo.enqueue(1, payload("accept"), "key-1", accept)
    with pytest.raises(Exception, match="UNIQUE"):
        repo.enqueue(2, payload("accept"), "key-1", accept)
    assert len(repo.queued()) == 1


def test_chained_actions_take_the_version_the_portal_returns(repo: CacheRepository) -> None:
    repo.upsert_page([make_case(1, version=3, status="design")], 1)

    def step(shown: Case) -> Case:
        action = {"design": Action.START_PRODUCTION, "production": Action.START_FINISHING}
        return apply_action(shown, ActionRequest(action=action[shown.status]), ALL_ROLES)

    first = repo.enqueue(1, payload("start_production"), "k1", step)
    second = repo.enqueue(1, payload("start_finishing"), "k2", step)
    assert repo.get_case(1).case.status == "finishing"
    assert repo.outbox_entry(second).base_version is None
    repo.complete(first, make_case(1, version=7, status="production", seq=50))
    assert repo.outbox_entry(first).state == "done"
    assert repo.outbox_entry(second).base_version == 7
    cached = repo.get_case(1)
    assert cached.server_case.version == 7
    assert cached.case.status == "finishing"
    assert cached.pending
    repo.complete(second, make_case(1, version=8, status="finishing", seq=51))
    cached = repo.get_case(1)
    assert not cached.pending
    assert cached.case == cached.server_case
    assert repo.sync_status().last_seq == 1  # pushing never moves the pull cursor
    repo.complete(second, make_case(1, version=8))  # a repeat changes nothing


def test_a_pull_keeps_pending_actions_on_top(repo: CacheRepository) -> None:
    repo.upsert_page([make_case(1, version=3)], 1)
    repo.enqueue(1, payload("accept"), "k1", accept)
    repo.upsert_page([make_case(1, version=4, rush=True)], 2)
    cached = repo.get_case(1)
    assert cached.pending
    assert cached.case.status == "design"
    assert cached.case.rush
    assert repo.queued()[0].base_version == 3  # still what the person saw


def test_conflict_keeps_both_sides_and_the_actions_queued_after(repo: CacheRepository) -> None:
    repo.upsert_page([make_case(1, version=3, status="design")], 1)
    repo.upsert_page([make_case(2, version=1, status="design")], 2)

    def step(shown: Case) -> Case:
        action = {"design": Action.START_PRODUCTION, "production": Action.START_FINISHING}
        return apply_action(shown, ActionRequest(action=action[shown.status]), ALL_ROLES)

    first = repo.enqueue(1, payload("start_production"), "k1", step)
    repo.enqueue(1, payload("start_finishing"), "k2", step)
    other = repo.enqueue(2, payload("start_production"), "k3", step)
    theirs = make_case(1, version=4, status="on_hold", previous_status="design")
    ids = repo.to_conflict(first, theirs, "stale", "Someone else changed this case first.")
    assert len(ids) == 2
    records = repo.conflicts(case_id=1)
    assert [c.kind for c in records] == ["stale", "stale"]
    assert [c.intent.action for c in records] == ["start_production", "start_finishing"]
    assert records[0].server_case == theirs
    assert records[0].base_version == 3
    assert records[0].idempotency_key == "k1"
    assert [e.id for e in repo.queued()] == [other]  # the other case is untouched
    cached = repo.get_case(1)
    assert cached.conflict
    assert not cached.pending
    assert cached.case == theirs  # the portal's state is shown; nothing applied silently
    assert repo.outbox_counts() == (1, 2)
    assert repo.to_conflict(first, theirs, "stale", "again") == []

    repo.resolve_conflict(ids[0], "discarded")
    assert repo.get_case(1).conflict
    repo.resolve_conflict(ids[1], "discarded")
    assert not repo.get_case(1).conflict
    with pytest.raises(CacheError, match="already resolved"):
        repo.resolve_conflict(ids[1], "discarded")
    assert repo.conflicts() == []
    assert len(repo.conflicts(unresolved=False)) == 2


def test_retrying_a_conflict_is_atomic_with_the_new_entry(repo: CacheRepository) -> None:
    repo.upsert_page([make_case(1, version=3)], 1)
    first = repo.enqueue(1, payload("accept"), "k1", accept)
    [conflict_id] = repo.to_conflict(first, make_case(1, version=4), "stale", "stale")
    with pytest.raises(TransitionError):
        repo.enqueue(
            1, payload("accept"), "k2", lambda c: accept(make_case(1, status="shipped")),
            resolves_conflict=conflict_id,
        )  # fmt: skip
    assert repo.conflict(conflict_id).resolved is None
    new = repo.enqueue(1, payload("accept"), "k2", accept, resolves_conflict=conflict_id)
    assert repo.conflict(conflict_id).resolved == "retried"
    assert repo.outbox_entry(new).base_version == 4


def test_user_and_sync_result_are_kept(repo: CacheRepository) -> None:
    assert repo.load_user() is None
    assert repo.sync_status().last_sync_at is None
    repo.record_sync(error="offline")
    assert repo.sync_status().last_error == "offline"
    repo.record_sync()
    status = repo.sync_status()
    assert status.last_sync_at is not None
    assert status.last_error is None


def test_stored_blobs_for_eviction(repo: CacheRepository) -> None:
    same = b"same scan"
    repo.upsert_page(
        [
            make_case(1, files=[file_meta(1, 1, same)]),
            make_case(2, files=[file_meta(2, 2, same), file_meta(3, 2, b"other")]),
        ],
        2,
    )
    sha = repo.file_row(1).sha256
    repo.mark_stored(sha, f"{sha[:2]}/{sha}")
    assert repo.file_row(2).verified  # same content, stored once
    blobs = repo.stored_blobs()
    assert list(blobs) == [sha]
    assert blobs[sha][1] == {1, 2}
    repo.mark_missing(sha)
    assert repo.stored_blobs() == {}


def test_the_cache_file_is_readable_by_plain_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    repo = CacheRepository.open(path)
    repo.upsert_page([make_case(1)], 1)
    repo.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT number FROM cases").fetchone() == ("C-2026-00001",)
