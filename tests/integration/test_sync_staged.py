"""An attachment that travels with an offline action is never published before the action:
the portal keeps it staged, so a conflict the person discards leaves the clinic none the
wiser, and the unused upload is swept once it has expired (issue 12, defect 5)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import select

from labdesk.api.client import PortalClient
from labdesk.api.schemas import ActionRequest, CasePatch, FileMeta
from labdesk.api.tokens import TokenStore
from labdesk.domain.lifecycle import Action
from labdesk.server import models as m
from labdesk.server.models import utcnow
from labdesk.server.staging import sweep
from tests.integration.sync_helpers import (
    Accounts,
    demo_template,
    portal_copy,
    start_demo_portal,
)

REJECT = ActionRequest(action=Action.REJECT, reason_code="unclear_margin", note="distal 36")


@pytest.fixture
def portal_dir(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Path:
    return portal_copy(demo_template(tmp_path_factory.getbasetemp()), tmp_path / "portal")


@pytest.fixture
def portal(portal_dir: Path) -> Iterator[Any]:
    running = start_demo_portal(portal_dir)
    yield running
    running.stop()


def _photo(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "PNG")
    return out.getvalue()


def _as(url: str, username: str) -> PortalClient:
    client = PortalClient(url, TokenStore())
    client.login(username, "demo")
    return client


def dentist_files(portal: Any, case_id: int) -> list[FileMeta]:
    """The case's files as its dentist sees them."""
    with portal.app.state.portal.db.read_session() as session:
        case = session.get(m.Case, case_id)
        username = case.dentist.username
    with _as(portal.url, username) as dentist:
        return dentist.get_case(case_id).files


def staged_rows(portal: Any, case_id: int) -> list[m.CaseFile]:
    with portal.app.state.portal.db.read_session() as session:
        return list(
            session.execute(
                select(m.CaseFile).where(
                    m.CaseFile.case_id == case_id, m.CaseFile.staged_until.is_not(None)
                )
            ).scalars()
        )


def sweep_after_expiry(portal: Any) -> int:
    running = portal.app.state.portal
    later = utcnow() + running.settings.staged_ttl + running.settings.store_grace
    return sweep(
        running.db, running.store, running.settings, now=later + timedelta(seconds=1)
    ).staged_rows


def test_discarded_offline_reject_never_shows_its_photo_to_the_clinic(
    portal_dir: Path, accounts: Accounts
) -> None:
    running = start_demo_portal(portal_dir)
    url, port = running.url, running.port
    reviewer = accounts.open(url, "reviewer")
    reviewer.engine.sync()
    case = min(r.case_id for r in reviewer.repo.load_inbox_rows() if r.status == "received")
    running.stop()

    # Offline: the reviewer rejects with a photo of the margin.
    photo = _photo((201, 171, 151))
    reviewer.engine.queue_action(case, REJECT, [("margin.png", photo, "image/png")])
    assert reviewer.engine.sync(force=True).online is False

    portal = start_demo_portal(portal_dir, port=port)
    try:
        files_before = {f.id for f in dentist_files(portal, case)}
        with _as(url, "lab_admin") as admin:  # meanwhile the lab admin accepts the case
            current = admin.get_case(case)
            admin.act(case, ActionRequest(action=Action.ACCEPT), version=current.version,
                      idempotency_key="accept-while-offline")  # fmt: skip
        state = reviewer.engine.sync(force=True)
        assert (state.online, state.pending, state.conflicts) == (True, 0, 1)
        [record] = reviewer.repo.conflicts()
        assert record.kind == "stale"  # the reject got 412
        [staged] = staged_rows(portal, case)  # uploaded, but staged
        assert staged.filename == "margin.png"
        assert {f.id for f in dentist_files(portal, case)} == files_before

        reviewer.engine.discard_conflict(record.id)
        assert {f.id for f in dentist_files(portal, case)} == files_before
        with _as(url, "lab_admin") as admin:
            assert all(f.id != staged.id for f in admin.get_case(case).files)
        blob = portal.app.state.portal.store.path(staged.sha256)
        assert blob.is_file()
        assert sweep_after_expiry(portal) == 1
        assert staged_rows(portal, case) == []
        assert not blob.exists()
        assert {f.id for f in dentist_files(portal, case)} == files_before
    finally:
        portal.stop()


def test_a_retried_reject_uploads_its_photo_again_and_publishes_it_with_the_action(
    portal: Any, accounts: Accounts
) -> None:
    reviewer = accounts.open(portal.url, "reviewer")
    reviewer.engine.sync()
    case = min(r.case_id for r in reviewer.repo.load_inbox_rows() if r.status == "received")
    with _as(portal.url, "lab_admin") as admin:  # the version moves on under the reviewer
        admin.patch_case(
            case, CasePatch(memo="call the clinic"), version=admin.get_case(case).version
        )
    reviewer.engine.queue_action(case, REJECT, [("margin.png", _photo((90, 60, 30)), "image/png")])
    state = reviewer.engine.sync(force=True)
    assert state.conflicts == 1
    [first] = staged_rows(portal, case)
    [record] = reviewer.repo.conflicts()

    reviewer.engine.retry_conflict(record.id)
    state = reviewer.engine.sync(force=True)
    assert (state.pending, state.conflicts) == (0, 0)
    with _as(portal.url, "lab_admin") as admin:
        rejects = [h for h in admin.get_case(case).history if h.action == "reject"]
    assert len(rejects) == 1
    [attached] = rejects[0].attachment_ids
    assert attached != first.id  # a fresh upload: the first may have expired meanwhile
    assert attached in {f.id for f in dentist_files(portal, case)}
    assert first.id not in {f.id for f in dentist_files(portal, case)}
    assert sweep_after_expiry(portal) == 1  # the first upload, never used
    assert attached in {f.id for f in dentist_files(portal, case)}
