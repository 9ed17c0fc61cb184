"""The file store keeps only what a row references, and attachments that travel with an
action are staged until it commits (issue 12, defects 4 and 5)."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from labdesk.server.models import utcnow
from labdesk.server.staging import sweep
from tests.conftest import PortalApi

LIMIT = 64 * 1024
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png(colour: tuple[int, int, int] = (0, 0, 255)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def small(portal_factory: Any) -> Iterator[tuple[PortalApi, Any]]:
    """A demo portal of its own (no scans, 64 KiB upload limit) whose store we can count."""
    from labdesk.server.demo import seed_demo

    running = portal_factory(max_upload_bytes=LIMIT, demo=True)
    seed_demo(running.settings, scans=False)
    api = PortalApi(running)
    yield api, running.app.state.portal
    api.close()


def store_files(portal: Any) -> list[Path]:
    """Every file under the store's root, temporary uploads included."""
    root: Path = portal.store.root
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_refused_uploads_leave_nothing_in_the_store(small: tuple[PortalApi, Any]) -> None:
    api, portal = small
    open_case = api.new_case("dentist1")
    locked = api.new_case("dentist1")
    api.advance(locked["id"], "design")
    clinic, lab = api.as_("dentist1"), api.as_("reviewer")
    binary_stl = b"\0" * 80 + (1).to_bytes(4, "little") + b"\0" * 50
    before = store_files(portal)
    refusals = [
        # 409: the lab accepted the case, the clinic may not add files
        (clinic, f"/cases/{locked['id']}/files", {"file": ("upper.stl", binary_stl)}, {}, 409),
        # 422: a PDF is not a scan
        (clinic, f"/cases/{open_case['id']}/files", {"file": ("x.pdf", PDF)},
         {"kind": "scan"}, 422),
        # 413: beyond the portal's limit
        (lab, f"/cases/{open_case['id']}/attachments",
         {"file": ("big.pdf", b"%PDF-1.4\n" + b"0" * (LIMIT + 10))}, {}, 413),
        # 415: not a file the lab attaches
        (lab, f"/cases/{open_case['id']}/attachments",
         {"file": ("evil.jpg", b"MZ\x90\x00 a windows program")}, {}, 415),
        # 422: empty
        (clinic, f"/cases/{open_case['id']}/files", {"file": ("e.stl", b"")}, {}, 422),
    ]  # fmt: skip
    for client, url, files, data, status in refusals:
        response = client.post(url, files=files, data=data)
        assert response.status_code == status, (url, response.text)
    assert store_files(portal) == before
    # and an accepted upload adds exactly its one file
    ok = clinic.post(f"/cases/{open_case['id']}/files", files={"file": ("u.stl", binary_stl)})
    assert ok.status_code == 201, ok.text
    after = store_files(portal)
    assert len(after) == len(before) + 1
    assert after[-1].name == ok.json()["sha256"] or ok.json()["sha256"] in {p.name for p in after}


def test_a_staged_attachment_is_seen_by_its_uploader_only_until_its_action(
    small: tuple[PortalApi, Any],
) -> None:
    api, _portal = small
    case = api.new_case("dentist1")
    uploaded = api.as_("reviewer").post(
        f"/cases/{case['id']}/attachments", files={"file": ("margin.png", _png())}
    )
    assert uploaded.status_code == 201, uploaded.text
    file_id = uploaded.json()["id"]
    # staged: not a file of the case for anyone, downloadable by its uploader only
    for user in ("dentist1", "reviewer", "lab_admin"):
        assert file_id not in {f["id"] for f in api.get(user, case["id"])["files"]}
        listed = api.as_(user).get(f"/cases/{case['id']}/files").json()
        assert file_id not in {f["id"] for f in listed}
    assert api.as_("reviewer").get(f"/files/{file_id}").status_code == 200
    assert api.as_("lab_admin").get(f"/files/{file_id}").status_code == 404
    assert api.as_("dentist1").get(f"/files/{file_id}").status_code == 404
    # another lab user cannot carry it with an action
    theirs = api.act(
        "lab_admin", case["id"], "reject", reason_code="unclear_margin", attachment_ids=[file_id]
    )
    assert theirs.status_code == 422, theirs.text
    # its uploader's action attaches it, in the same transaction
    rejected = api.act(
        "reviewer", case["id"], "reject", reason_code="unclear_margin", attachment_ids=[file_id]
    )
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["history"][-1]["attachment_ids"] == [file_id]
    assert file_id in {f["id"] for f in api.get("dentist1", case["id"])["files"]}
    assert api.as_("dentist1").get(f"/files/{file_id}").status_code == 200


def test_a_failed_action_leaves_its_attachment_staged_and_the_sweep_removes_it(
    small: tuple[PortalApi, Any],
) -> None:
    api, portal = small
    case = api.new_case("dentist1")
    meta = (
        api.as_("reviewer")
        .post(f"/cases/{case['id']}/attachments", files={"file": ("note.pdf", PDF)})
        .json()
    )
    stale = api.act(
        "reviewer", case["id"], "reject", version=case["version"] - 1,
        reason_code="unclear_margin", attachment_ids=[meta["id"]],
    )  # fmt: skip
    assert stale.status_code == 412
    assert meta["id"] not in {f["id"] for f in api.get("dentist1", case["id"])["files"]}
    blob = portal.store.path(meta["sha256"])
    assert blob.is_file()
    # before its expiry nothing is removed
    assert sweep(portal.db, portal.store, portal.settings).staged_rows == 0
    assert blob.is_file()
    later = utcnow() + portal.settings.staged_ttl + portal.settings.store_grace
    result = sweep(portal.db, portal.store, portal.settings, now=later + timedelta(seconds=1))
    assert result.staged_rows == 1
    assert not blob.exists()
    assert api.as_("reviewer").get(f"/files/{meta['id']}").status_code == 404
    late = api.act(
        "reviewer", case["id"], "reject", reason_code="unclear_margin", attachment_ids=[meta["id"]]
    )
    assert late.status_code == 422


def test_an_expired_staged_attachment_is_refused_with_a_clear_message(
    small: tuple[PortalApi, Any],
) -> None:
    api, portal = small
    case = api.new_case("dentist1")
    meta = (
        api.as_("reviewer")
        .post(f"/cases/{case['id']}/attachments", files={"file": ("note.pdf", PDF)})
        .json()
    )
    from sqlalchemy import update

    from labdesk.server import models as m

    with portal.db.writing() as session:
        session.execute(
            update(m.CaseFile)
            .where(m.CaseFile.id == meta["id"])
            .values(staged_until=utcnow() - timedelta(seconds=1))
        )
    late = api.act(
        "reviewer", case["id"], "reject", reason_code="unclear_margin", attachment_ids=[meta["id"]]
    )
    assert late.status_code == 422
    assert late.json()["error"]["code"] == "attachment_expired"
    assert api.get("reviewer", case["id"])["status"] == "received"


def test_the_sweep_removes_only_old_content_no_row_references(
    small: tuple[PortalApi, Any],
) -> None:
    api, portal = small
    case = api.new_case("dentist1")
    kept = (
        api.as_("dentist1")
        .post(
            f"/cases/{case['id']}/files", files={"file": ("p.png", _png())}, data={"kind": "photo"}
        )
        .json()
    )
    store = portal.store
    old = utcnow() - portal.settings.store_grace - timedelta(minutes=1)
    orphan_sha, _ = store.put_bytes(b"left behind by a crash between the move and the commit")
    young_sha, _ = store.put_bytes(b"an upload committing right now")
    abandoned = store.temp_path()
    abandoned.write_bytes(b"half an upload")
    for path in (store.path(orphan_sha), store.path(kept["sha256"]), abandoned):
        os.utime(path, (old.timestamp(), old.timestamp()))
    result = sweep(portal.db, store, portal.settings)
    assert (result.blobs, result.temps) == (1, 1)
    assert not store.exists(orphan_sha)
    assert store.exists(young_sha)  # within the grace period
    assert store.exists(kept["sha256"])  # referenced
    assert not abandoned.exists()
    assert api.as_("dentist1").get(f"/files/{kept['id']}").status_code == 200
