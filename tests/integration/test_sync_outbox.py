"""The outbox against the real portal: offline work, lost answers, and two people at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from labdesk.api.schemas import ActionRequest
from labdesk.client.account import Account
from labdesk.client.inbox_rows import InboxRow
from labdesk.domain.lifecycle import Action, TransitionError
from tests.integration.sync_helpers import (
    Accounts,
    ProxyRule,
    TcpProxy,
    actions_in_history,
    demo_template,
    is_action,
    portal_copy,
    server_history,
    start_demo_portal,
)


@pytest.fixture
def portal_dir(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Path:
    return portal_copy(demo_template(tmp_path_factory.getbasetemp()), tmp_path / "portal")


@pytest.fixture
def portal(portal_dir: Path) -> Iterator[Any]:
    running = start_demo_portal(portal_dir)
    yield running
    running.stop()


def rows_in(account: Account, status: str) -> list[InboxRow]:
    return sorted(
        (r for r in account.repo.load_inbox_rows() if r.status == status), key=lambda r: r.case_id
    )


ACCEPT = ActionRequest(action=Action.ACCEPT)
REJECT = ActionRequest(action=Action.REJECT, reason_code="unclear_margin", note="distal 36")


def test_offline_actions_are_kept_shown_pending_and_applied_once(
    portal_dir: Path, accounts: Accounts
) -> None:
    portal = start_demo_portal(portal_dir)
    url, port = portal.url, portal.port
    account = accounts.open(url, "reviewer")
    engine = account.engine
    engine.sync()
    first, second = rows_in(account, "received")[:2]
    portal.stop()

    engine.queue_action(first.case_id, ACCEPT)
    engine.queue_action(second.case_id, REJECT)
    state = engine.sync(force=True)
    assert state.online is False
    assert state.pending == 2
    assert "Cannot reach the portal" in (state.error or "")
    engine.sync(force=True)  # trying again while offline changes nothing
    shown = {r.case_id: r for r in account.repo.load_inbox_rows([first.case_id, second.case_id])}
    assert shown[first.case_id].pending
    assert shown[first.case_id].status in ("design", "invoicing")
    assert account.repo.get_case(first.case_id).server_case.status == "received"
    assert shown[second.case_id].status == "rejected"
    keys = [e.idempotency_key for e in account.repo.queued()]
    oldest = account.repo.queued()[0]
    assert oldest.attempts == 2  # tried twice, kept both times
    assert "Cannot reach the portal" in (oldest.last_error or "")

    restarted = start_demo_portal(portal_dir, port=port)  # same port, same database
    try:
        state = engine.sync(force=True)
        assert state.online is True
        assert state.pending == 0
        assert state.error is None
        assert actions_in_history(url, first.case_id, "accept") == 1
        assert actions_in_history(url, second.case_id, "reject") == 1
        engine.sync(force=True)
        assert actions_in_history(url, first.case_id, "accept") == 1
        assert actions_in_history(url, second.case_id, "reject") == 1
        done = [account.repo.outbox_entry(i) for i in range(1, 3)]
        assert [e.idempotency_key for e in done if e] == keys
        assert all(e.state == "done" for e in done if e)
        row = account.repo.load_inbox_rows([first.case_id])[0]
        assert not row.pending
        assert row.status == account.repo.get_case(first.case_id).server_case.status
    finally:
        restarted.stop()


@pytest.mark.parametrize("client_retries", [3, 0])
def test_lost_answer_is_not_applied_twice(
    portal: Any, accounts: Accounts, client_retries: int
) -> None:
    proxy = TcpProxy(portal.port, rules=[ProxyRule(is_action, "cut_response")])
    try:
        account = accounts.open(proxy.url, "reviewer", retries=client_retries)
        engine = account.engine
        engine.sync()
        case = rows_in(account, "received")[0]
        engine.queue_action(case.case_id, ACCEPT)

        engine.sync(force=True)
        assert proxy.fired == ["cut_response"]
        if client_retries == 0:  # the engine keeps it and sends it again next time
            assert engine.state().pending == 1
            assert engine.state().online is False
            engine.sync(force=True)
        assert engine.state().pending == 0
        sent = [m for m in proxy.seen if is_action(m)]
        assert len(sent) == 2
        keys = {
            line
            for m in sent
            for line in m.split(b"\r\n")
            if line.lower().startswith(b"idempotency-key")
        }
        assert len(keys) == 1  # the same key both times
        assert actions_in_history(portal.url, case.case_id, "accept") == 1
        cached = account.repo.get_case(case.case_id)
        assert cached.case.status in ("design", "invoicing")
        assert not cached.pending
    finally:
        proxy.stop()


def test_two_people_on_one_case_the_second_gets_a_conflict(portal: Any, accounts: Accounts) -> None:
    reviewer = accounts.open(portal.url, "reviewer")
    admin = accounts.open(portal.url, "lab_admin")
    reviewer.engine.sync()
    admin.engine.sync()
    case = rows_in(reviewer, "received")[0]

    reviewer.engine.queue_action(case.case_id, ACCEPT)
    admin.engine.queue_action(case.case_id, REJECT)
    conflicts: list[int] = []
    admin.engine.events.conflict_detected = conflicts.append  # type: ignore[method-assign]
    assert reviewer.engine.sync().pending == 0
    state = admin.engine.sync()
    assert state.pending == 0
    assert state.conflicts == 1
    assert conflicts == [case.case_id]

    [record] = admin.repo.conflicts()
    assert record.case_id == case.case_id
    assert record.kind == "stale"
    assert record.intent.action == Action.REJECT
    assert record.intent.reason_code == "unclear_margin"
    assert record.intent.note == "distal 36"
    assert record.server_case.status in ("design", "invoicing")  # the reviewer's accept
    assert record.base_version is not None
    assert record.base_version < record.server_case.version
    cached = admin.repo.get_case(case.case_id)
    assert cached.conflict
    assert not cached.pending
    assert cached.case.status == record.server_case.status  # the portal's state is shown
    assert actions_in_history(portal.url, case.case_id, "reject") == 0
    assert actions_in_history(portal.url, case.case_id, "accept") == 1

    # Retrying a rejection of an accepted case is not possible any more: it stays a conflict.
    with pytest.raises(TransitionError):
        admin.engine.retry_conflict(record.id)
    assert admin.repo.conflict(record.id).resolved is None
    admin.engine.discard_conflict(record.id)
    assert admin.engine.state().conflicts == 0
    assert not admin.repo.get_case(case.case_id).conflict


def test_conflict_retried_by_choice_is_applied_on_the_current_version(
    portal: Any, accounts: Accounts
) -> None:
    """The lab admin puts a case on hold while the reviewer works offline on it; the
    reviewer's accept becomes a conflict; after the admin resumes, the reviewer retries."""
    reviewer = accounts.open(portal.url, "reviewer")
    admin = accounts.open(portal.url, "lab_admin")
    reviewer.engine.sync()
    admin.engine.sync()
    case = rows_in(reviewer, "received")[0]

    hold = ActionRequest(action=Action.HOLD, reason="waiting for the bite registration")
    admin.engine.queue_action(case.case_id, hold)
    admin.engine.sync()
    reviewer.engine.queue_action(case.case_id, ACCEPT)
    reviewer.engine.sync()
    [record] = reviewer.repo.conflicts()
    assert record.server_case.status == "on_hold"
    with pytest.raises(TransitionError):  # not while it is on hold
        reviewer.engine.retry_conflict(record.id)

    admin.engine.queue_action(case.case_id, ActionRequest(action=Action.RESUME))
    admin.engine.sync()
    reviewer.engine.sync()
    outbox_id = reviewer.engine.retry_conflict(record.id)
    entry = reviewer.repo.outbox_entry(outbox_id)
    assert entry.idempotency_key != record.idempotency_key
    assert reviewer.engine.sync().pending == 0
    assert reviewer.repo.conflict(record.id).resolved == "retried"
    assert actions_in_history(portal.url, case.case_id, "accept") == 1
    assert not reviewer.repo.get_case(case.case_id).conflict


def test_several_actions_on_one_case_go_in_order(portal: Any, accounts: Accounts) -> None:
    admin = accounts.open(portal.url, "lab_admin")
    admin.engine.sync()
    case = rows_in(admin, "design")[0]
    for action in (Action.START_PRODUCTION, Action.START_FINISHING, Action.SEND_TO_QC):
        admin.engine.queue_action(case.case_id, ActionRequest(action=action))
    assert admin.repo.get_case(case.case_id).case.status == "qc"
    assert admin.engine.sync().pending == 0
    history = [h.action for h in admin.repo.get_case(case.case_id).case.history]
    assert history[-3:] == ["start_production", "start_finishing", "send_to_qc"]
    assert admin.repo.get_case(case.case_id).case.status == "qc"


def test_refused_action_becomes_a_conflict_not_a_loss(portal: Any, accounts: Accounts) -> None:
    """A stale local view lets the reviewer queue an accept the portal refuses (409 after
    someone else's change it has not pulled): it is kept as a conflict."""
    reviewer = accounts.open(portal.url, "reviewer")
    admin = accounts.open(portal.url, "lab_admin")
    reviewer.engine.sync()
    admin.engine.sync()
    case = rows_in(reviewer, "received")[0]
    admin.engine.queue_action(case.case_id, ActionRequest(action=Action.CANCEL, reason="duplicate"))
    admin.engine.sync()
    reviewer.engine.queue_action(case.case_id, ACCEPT)
    reviewer.engine.push()
    [record] = reviewer.repo.conflicts()
    assert record.server_case.status == "cancelled"
    assert reviewer.repo.get_case(case.case_id).case.status == "cancelled"
    assert reviewer.engine.state().pending == 0


def test_offline_attachment_is_uploaded_once_even_when_the_action_is_cut_off(
    portal_dir: Path, accounts: Accounts, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from PIL import Image

    from labdesk.api.errors import Offline
    from labdesk.client.sync import OUTBOX_FILES

    portal = start_demo_portal(portal_dir)
    url, port = portal.url, portal.port
    account = accounts.open(url, "reviewer")
    engine = account.engine
    engine.sync()
    case = rows_in(account, "received")[0]
    portal.stop()

    picture = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 170, 150)).save(picture, "PNG")
    engine.queue_action(case.case_id, REJECT, [("margin.png", picture.getvalue(), "image/png")])
    assert engine.sync(force=True).online is False
    entry = account.repo.queued()[0]
    sha = entry.attachments[0].sha256
    assert entry.attachments[0].uploaded_id is None
    store = engine._outbox_store()
    assert store.has(sha)
    assert store.root.name == OUTBOX_FILES

    uploads: list[int] = []
    upload, act = engine.client.upload_attachment_data, engine.client.act
    cut = {"act": 1}

    def counted_upload(*args: Any) -> Any:
        meta = upload(*args)
        uploads.append(meta.id)
        return meta

    def cut_act(*args: Any, **kwargs: Any) -> Any:
        if cut["act"]:
            cut["act"] -= 1
            raise Offline("Cannot reach the portal (cut off after the upload).")
        return act(*args, **kwargs)

    monkeypatch.setattr(engine.client, "upload_attachment_data", counted_upload)
    monkeypatch.setattr(engine.client, "act", cut_act)
    restarted = start_demo_portal(portal_dir, port=port)  # same port, same database
    try:
        assert engine.sync(force=True).pending == 1  # uploaded, then the action was cut off
        entry = account.repo.queued()[0]
        assert entry.attachments[0].uploaded_id == uploads[0]
        state = engine.sync(force=True)
        assert (state.online, state.pending) == (True, 0)
        assert len(uploads) == 1  # not uploaded again
        history = server_history(url, case.case_id)
        rejects = [h for h in history if h.action == "reject"]
        assert len(rejects) == 1
        assert rejects[0].attachment_ids == uploads
        assert not store.has(sha)  # on the portal now: the local copy is gone
        assert account.repo.outbox_entry(entry.id).state == "done"  # type: ignore[union-attr]
    finally:
        restarted.stop()
