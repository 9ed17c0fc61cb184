"""Changes of the lab's fields go through the outbox like actions; the quick start reads the
cache file with the repository's own column list."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from labdesk.api.schemas import ActionRequest, CasePatch
from labdesk.cache import quick_rows
from labdesk.cache.migrations import SCHEMA_VERSION
from labdesk.cache.optimistic import (
    ALL_ROLES,
    PATCH,
    apply_intent,
    apply_patch,
    overlay,
    patch_applied,
)
from labdesk.cache.repository import CacheRepository
from labdesk.domain.lifecycle import Action
from tests.integration.sync_helpers import make_case


@pytest.fixture
def repo() -> CacheRepository:
    return CacheRepository.open(None)


def test_a_patch_changes_only_the_fields_it_sets() -> None:
    case = make_case(1, memo="old memo", tags=["rush tray"], assignee="ceramist")
    patched = apply_patch(case, CasePatch(memo="new memo"))
    assert (patched.memo, patched.tags, patched.assignee) == ("new memo", ["rush tray"], "ceramist")
    unassigned = apply_patch(case, CasePatch.model_validate({"assignee": None}))
    assert (unassigned.assignee, unassigned.assignee_name) == (None, None)
    dated = apply_patch(case, CasePatch(expected_date=date(2026, 12, 2), expected_note=None))
    assert (dated.expected_date, dated.expected_note) == (date(2026, 12, 2), "")
    assert patch_applied(patched, CasePatch(memo="new memo"))
    assert not patch_applied(case, CasePatch(memo="new memo"))


def test_actions_and_changes_overlay_in_order() -> None:
    case = make_case(1, status="design")
    intents = [
        CasePatch(tags=["tray 4"]),
        ActionRequest(action=Action.START_PRODUCTION),
        CasePatch(memo="cast on Tuesday"),
    ]
    shown = overlay(case, intents)
    assert (shown.status, shown.tags, shown.memo) == ("production", ["tray 4"], "cast on Tuesday")
    assert apply_intent(case, intents[0], ALL_ROLES).tags == ["tray 4"]


def test_a_patch_is_queued_shown_pending_and_kept_as_a_conflict(repo: CacheRepository) -> None:
    repo.upsert_page([make_case(1, version=3, memo="")], 1)
    patch = CasePatch(memo="call the clinic about the shade")
    entry_id = repo.enqueue(1, patch, "k1", lambda shown: apply_patch(shown, patch))
    [entry] = repo.queued()
    assert (entry.id, entry.action, entry.base_version) == (entry_id, PATCH, 3)
    assert entry.payload == '{"memo":"call the clinic about the shade"}'  # only what is set
    assert entry.intent == patch
    cached = repo.get_case(1)
    assert cached is not None
    assert cached.pending
    assert cached.case.memo == "call the clinic about the shade"
    assert cached.server_case.memo == ""

    # The portal's copy changes meanwhile: the change stays shown on top of it.
    repo.upsert_page([make_case(1, version=4, memo="", tags=["remake"])], 2)
    cached = repo.get_case(1)
    assert cached is not None
    assert (cached.case.memo, cached.case.tags) == ("call the clinic about the shade", ["remake"])

    [conflict_id] = repo.to_conflict(entry_id, make_case(1, version=4), "stale", "stale")
    record = repo.conflict(conflict_id)
    assert record is not None
    assert record.intent == patch
    assert repo.conflict_of_entry(entry_id) == record
    assert [c.intent for c in repo.conflicts(case_id=1)] == [patch]


def test_the_quick_reader_knows_the_current_schema() -> None:
    assert SCHEMA_VERSION in quick_rows.QUICK_SCHEMA_VERSIONS


def test_the_quick_reader_reads_what_the_repository_reads(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    repo = CacheRepository.open(path)
    repo.upsert_page([make_case(1, tags=["a", "b"]), make_case(2, status="design")], 2)
    repo.enqueue(
        2, ActionRequest(action=Action.START_PRODUCTION), "k1", lambda c: c, resolves_conflict=None
    )
    try:
        quick = quick_rows.read_inbox(path)
        assert quick is not None
        assert quick.user_json is None  # nobody signed in on this cache yet
        assert quick.rows == repo.load_inbox_rows()
        assert [r.pending for r in quick.rows] == [False, True]
    finally:
        repo.close()


def test_the_quick_reader_refuses_an_unknown_schema(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "c.sqlite"
    CacheRepository.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE schema_version SET version = 99")
    assert quick_rows.read_inbox(path) is None


def test_cache_path_needs_no_sqlalchemy() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from labdesk.cache.quick_rows import cache_path; "
        "cache_path(Path('.'), 'http://127.0.0.1:8765', 'reviewer'); "
        "heavy = {'sqlalchemy', 'pydantic', 'keyring', 'httpx'} & set(sys.modules); "
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])
