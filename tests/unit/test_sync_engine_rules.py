"""The sync engine's own rules with a scripted portal and a hand-moved clock (the module doc of
labdesk.client.sync): when a failed sync is tried again, what the status bar is told, the
pull's cursor, the inbox order. Found unpinned by the mutation run (docs/testing.md); the
integration tests run the engine against the real portal with a near-zero backoff."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from types import SimpleNamespace
from typing import Any, cast

import pytest

from labdesk.api.errors import AuthExpired, Forbidden, Invalid, Offline, PortalError
from labdesk.api.schemas import (
    ActionRequest,
    Case,
    CasePage,
    CasePatch,
    Organization,
    OrgKind,
    User,
)
from labdesk.cache.repository import CacheRepository
from labdesk.client.samples import sample_case
from labdesk.client.sync import SyncEngine, SyncEvents, SyncState
from labdesk.domain.lifecycle import Action, Role, Status

REVIEWER = User(
    id=7, username="reviewer", display_name="Rita", roles=[Role.REVIEWER],
    organization=Organization(id=1, name="Bright Lab", kind=OrgKind.LAB),
)  # fmt: skip


class ScriptedPortal:
    """The few calls a sync makes, answered from a script; ``fail`` makes every call raise."""

    signed_in = True

    def __init__(self) -> None:
        self.fail: PortalError | None = None
        self.refuse: PortalError | None = None  # what an action is answered with
        self.cases: dict[int, Case] = {}
        self.pages: list[CasePage] = []
        self.calls: list[tuple[Any, ...]] = []

    def me(self) -> User:
        self.calls.append(("me",))
        if self.fail:
            raise self.fail
        return REVIEWER

    def act(self, case_id: int, request: ActionRequest, **kw: Any) -> Case:
        self.calls.append(("act", case_id, request.action))
        if self.fail:
            raise self.fail
        if self.refuse:
            raise self.refuse
        raise AssertionError("no action is applied in these tests")

    def upload_attachment_data(self, case_id: int, filename: str, data: bytes, media: str) -> Any:
        self.calls.append(("upload", case_id, filename))
        return SimpleNamespace(id=900 + len(self.calls))

    def get_case(self, case_id: int) -> Case:
        self.calls.append(("get_case", case_id))
        return self.cases[case_id]

    def list_cases(self, since: int, limit: int) -> CasePage:
        self.calls.append(("list_cases", since, limit))
        if self.fail:
            raise self.fail
        if self.pages:
            return self.pages.pop(0)
        return CasePage(cases=[], next_since=since, has_more=False)


class Recorder(SyncEvents):
    def __init__(self) -> None:
        self.states: list[SyncState] = []
        self.changed: list[list[int]] = []

    def state_changed(self, state: SyncState) -> None:
        self.states.append(state)

    def cases_changed(self, case_ids: list[int]) -> None:
        self.changed.append(case_ids)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def repo() -> Iterator[CacheRepository]:
    opened = CacheRepository.open(None)
    yield opened
    opened.close()


def _engine(
    repo: CacheRepository, portal: ScriptedPortal, clock: Clock, events: Recorder | None = None
) -> SyncEngine:
    return SyncEngine(
        portal,  # type: ignore[arg-type]
        repo, events=events, page_size=2, backoff_base=2.0, backoff_max=60.0, clock=clock,
    )  # fmt: skip


def _case(case_id: int, seq: int, status: Status = Status.RECEIVED, **changes: Any) -> Case:
    """The sample case under another id (its items and files renumbered to match)."""
    case = sample_case(status, id=case_id, seq=seq, **changes)
    return case.model_copy(
        update={
            "items": [
                i.model_copy(update={"id": case_id * 10 + n}) for n, i in enumerate(case.items)
            ],
            "files": [
                f.model_copy(update={"id": case_id * 10 + n, "case_id": case_id})
                for n, f in enumerate(case.files)
            ],
        }
    )


def test_a_failed_sync_waits_twice_as_long_each_time_up_to_the_maximum(
    repo: CacheRepository,
) -> None:
    portal, clock = ScriptedPortal(), Clock()
    engine = _engine(repo, portal, clock)
    portal.fail = Offline("The portal cannot be reached.")
    state = engine.sync()
    assert (state.online, state.error) == (False, "The portal cannot be reached.")
    assert engine.next_attempt_in() == 2.0
    assert repo.sync_status().last_error == "The portal cannot be reached."
    assert repo.sync_status().last_sync_at is None

    asked = len(portal.calls)
    clock.now += 1.0
    assert engine.sync().online is False  # too early: not even tried
    assert len(portal.calls) == asked
    assert engine.next_attempt_in() == 1.0

    waits = []
    for _ in range(7):
        engine.sync(force=True)
        waits.append(engine.next_attempt_in())
    assert waits == [4.0, 8.0, 16.0, 32.0, 60.0, 60.0, 60.0]
    clock.now += 61.0
    assert engine.next_attempt_in() == 0.0


def test_while_actions_wait_a_failed_sync_is_tried_again_within_five_seconds(
    repo: CacheRepository,
) -> None:
    portal, clock = ScriptedPortal(), Clock()
    repo.upsert_page([_case(42, 3)], 3)
    engine = _engine(repo, portal, clock)
    engine.set_user(REVIEWER)
    engine.queue_action(42, ActionRequest(action=Action.ACCEPT))
    portal.fail = Offline("offline")
    waits = []
    for _ in range(4):
        engine.sync(force=True)
        waits.append(engine.next_attempt_in())
    assert waits == [2.0, 4.0, 5.0, 5.0]
    assert engine.state().pending == 1


def test_a_good_sync_clears_the_error_and_the_backoff(repo: CacheRepository) -> None:
    portal, clock, events = ScriptedPortal(), Clock(), Recorder()
    engine = _engine(repo, portal, clock, events)
    portal.fail = PortalError("The portal had a problem (500).", status=500)
    failed = engine.sync()
    assert (failed.online, failed.error) == (True, "The portal had a problem (500).")
    assert engine.next_attempt_in() == 2.0
    engine.sync(force=True)
    assert engine.next_attempt_in() == 4.0

    portal.fail = None
    state = engine.sync(force=True)
    assert (state.online, state.signed_in, state.error) == (True, True, None)
    assert state.last_sync_at is not None
    assert repo.sync_status().last_error is None
    assert engine.next_attempt_in() == 0.0
    assert engine.user == REVIEWER  # asked once, remembered for offline use
    assert repo.load_user() == REVIEWER
    assert events.states[-2].syncing is True  # told when a sync starts ...
    assert events.states[-1] == state  # ... and how it ended
    assert not state.syncing

    portal.fail = Offline("offline")
    engine.sync()
    assert engine.next_attempt_in() == 2.0  # the count of failures started over


def test_an_expired_sign_in_stops_syncing_until_the_person_signs_in(
    repo: CacheRepository,
) -> None:
    portal, clock = ScriptedPortal(), Clock()
    engine = _engine(repo, portal, clock)
    portal.fail = AuthExpired("Sign in again.")  # no answer: no token on this computer
    state = engine.sync()
    assert (state.signed_in, state.online, state.error) == (False, None, "Sign in again.")
    assert engine.next_attempt_in() == 0.0  # no backoff: nothing to wait for but the person
    assert repo.sync_status().last_error == "Sign in again."

    portal.fail = AuthExpired("Your session has expired.", status=401)
    state = engine.sync()
    assert (state.signed_in, state.online) == (False, True)  # the portal answered
    assert engine.next_attempt_in() == 0.0


def test_a_lost_change_feed_is_shown_at_once_and_only_once(repo: CacheRepository) -> None:
    portal, clock, events = ScriptedPortal(), Clock(), Recorder()
    engine = _engine(repo, portal, clock, events)
    engine.report_unreachable("The portal stopped answering.")
    assert [(s.online, s.error) for s in events.states] == [
        (False, "The portal stopped answering.")
    ]
    engine.report_unreachable("again")
    assert len(events.states) == 1
    assert engine.state().error == "The portal stopped answering."


def test_the_pull_follows_the_portals_cursor_page_by_page(repo: CacheRepository) -> None:
    portal, clock, events = ScriptedPortal(), Clock(), Recorder()
    engine = _engine(repo, portal, clock, events)
    portal.pages = [
        CasePage(cases=[_case(1, 5), _case(2, 6)], next_since=5, has_more=True),
        CasePage(cases=[_case(3, 9)], next_since=9, has_more=False),
    ]
    assert engine.pull() == [1, 2, 3]
    assert portal.calls == [("list_cases", 0, 2), ("list_cases", 5, 2)]
    assert events.changed == [[1, 2], [3]]
    assert repo.sync_status().last_seq == 9
    portal.calls.clear()
    assert engine.pull() == []
    assert portal.calls == [("list_cases", 9, 2)]

    # a page that does not move the cursor ends the pull (no endless loop)
    portal.pages = [CasePage(cases=[_case(4, 12)], next_since=9, has_more=True)]
    assert engine.pull() == [4]
    assert len(portal.calls) == 2


def test_the_inbox_is_the_cases_this_person_can_act_on_rush_then_soonest_due(
    repo: CacheRepository,
) -> None:
    portal, clock = ScriptedPortal(), Clock()
    repo.upsert_page(
        [
            _case(1, 1, due_date=date(2030, 1, 9)),
            _case(2, 2, due_date=date(2030, 1, 5)),
            _case(3, 3, due_date=date(2030, 1, 20), rush=True),
            _case(4, 4, due_date=None),
            _case(5, 5, due_date=date(2030, 1, 5)),
            _case(6, 6, Status.PRODUCTION, due_date=date(2030, 1, 1)),
        ],
        6,
    )
    engine = _engine(repo, portal, clock)
    engine.set_user(REVIEWER)  # a reviewer acts on received cases only
    assert engine.inbox_case_ids() == [3, 2, 5, 1, 4]


def test_a_change_of_the_lab_fields_waits_in_the_outbox_and_shows_at_once(
    repo: CacheRepository,
) -> None:
    portal, clock, events = ScriptedPortal(), Clock(), Recorder()
    repo.upsert_page([_case(42, 3)], 3)
    engine = _engine(repo, portal, clock, events)
    with pytest.raises(Invalid, match=r"^Nothing to change\.$") as refused:
        engine.queue_patch(42, CasePatch())
    assert refused.value.code == "nothing_to_change"
    assert engine.state().pending == 0
    entry_id = engine.queue_patch(42, CasePatch(memo="Call the clinic"))
    [entry] = repo.queued()
    assert entry.id == entry_id
    assert isinstance(entry.intent, CasePatch)
    assert entry.intent.memo == "Call the clinic"
    assert events.changed == [[42]]
    assert events.states[-1].pending == 1
    assert portal.calls == []  # nothing is sent here


def test_a_discarded_conflict_is_shown_again_as_the_portal_has_it(
    repo: CacheRepository,
) -> None:
    portal, clock, events = ScriptedPortal(), Clock(), Recorder()
    repo.upsert_page([_case(42, 3)], 3)
    portal.cases[42] = _case(42, 4)
    engine = _engine(repo, portal, clock, events)
    engine.set_user(REVIEWER)
    engine.queue_action(42, ActionRequest(action=Action.ACCEPT))
    portal.refuse = Forbidden("Only reviewers accept cases.", status=403)
    result = engine.push()
    [conflict_id] = result.conflicts
    assert engine.state().conflicts == 1
    events.changed.clear()
    engine.discard_conflict(conflict_id)
    assert events.changed == [[42]]
    assert (events.states[-1].conflicts, events.states[-1].pending) == (0, 0)
    record = repo.conflict(conflict_id)
    assert record is not None
    assert record.resolved == "discarded"


class _Files:
    """A file cache standing in for the real one: records what it is asked."""

    def __init__(self, fail: Exception | None = None) -> None:
        self.fail = fail
        self.asked: list[Any] = []

    def open_file(self, file_id: int) -> Any:
        self.asked.append(("open", file_id))
        return f"/cache/{file_id}"

    def pin_case(self, case_id: int) -> None:
        self.asked.append(("pin", case_id))

    def unpin_case(self, case_id: int) -> None:
        self.asked.append(("unpin", case_id))

    def prefetch(self, case_ids: Any, *, max_files: int | None = None) -> list[int]:
        self.asked.append(("prefetch", list(case_ids), max_files))
        if self.fail:
            raise self.fail
        return [101]


def test_files_are_opened_and_prefetched_through_the_file_cache(
    repo: CacheRepository, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    from labdesk.cache.migrations import CacheError

    portal, clock = ScriptedPortal(), Clock()
    files = _Files()
    engine = SyncEngine(cast(Any, portal), repo, files=cast(Any, files), clock=clock)
    assert str(engine.open_file(101)) == "/cache/101"
    assert engine.prefetch([42], max_files=3) == [101]
    assert files.asked == [("open", 101), ("prefetch", [42], 3)]
    broken = SyncEngine(cast(Any, portal), repo, files=cast(Any, _Files(Offline("gone"))))
    with caplog.at_level(logging.INFO, logger="labdesk.client.sync"):
        assert broken.prefetch([42]) == []  # only a head start: it ends quietly
    assert "prefetch stopped: gone" in caplog.messages
    with pytest.raises(CacheError, match="no file store"):
        _engine(repo, portal, clock).open_file(101)


def test_the_inbox_offers_shipping_only_signed_off_cases_and_prefetches_them(
    repo: CacheRepository,
) -> None:
    portal, clock = ScriptedPortal(), Clock()
    repo.upsert_page(
        [_case(1, 1, Status.QC, signed_off=False), _case(2, 2, Status.QC, signed_off=True)], 2
    )
    files = _Files()
    engine = SyncEngine(cast(Any, portal), repo, files=cast(Any, files), clock=clock)
    shipping = REVIEWER.model_copy(update={"username": "ship", "roles": [Role.SHIPPING]})
    engine.set_user(shipping)
    assert engine.inbox_case_ids() == [2]
    engine.prefetch()  # no cases named: this person's inbox
    engine.pin_case(2)
    engine.unpin_case(2)
    assert files.asked == [("prefetch", [2], None), ("pin", 2), ("unpin", 2)]


def test_a_discarded_conflict_forgets_the_files_kept_for_its_action(
    repo: CacheRepository, tmp_path: Any
) -> None:
    import hashlib

    portal, clock = ScriptedPortal(), Clock()
    repo.upsert_page([_case(42, 3)], 3)
    portal.cases[42] = _case(42, 4)
    files = _Files()
    files.store = SimpleNamespace(root=tmp_path)  # type: ignore[attr-defined]
    engine = SyncEngine(cast(Any, portal), repo, files=cast(Any, files), clock=clock)
    engine.set_user(REVIEWER)
    pdf = b"%PDF-1.4 why\n"
    engine.queue_action(
        42, ActionRequest(action=Action.REJECT, reason_code="other", note="see the photo"),
        attachments=[("why.pdf", pdf, "application/pdf")],
    )  # fmt: skip
    kept = list((tmp_path / "outbox").rglob(hashlib.sha256(pdf).hexdigest()))
    assert len(kept) == 1  # kept locally with the entry until the action is on the portal
    portal.refuse = Forbidden("Not allowed.", status=403)
    [conflict_id] = engine.push().conflicts
    assert kept[0].exists()  # a conflict may still be taken again
    engine.discard_conflict(conflict_id)
    assert not kept[0].exists()
