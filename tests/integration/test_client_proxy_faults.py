"""The client's error paths against the real portal behind a misbehaving proxy
(tests/integration/fault_proxy.py), through the real ``PortalClient`` and ``SyncEngine``:
a GET or an action is retried after a 503, a PATCH or an upload never is; a portal (or proxy)
that ignores ``Range`` makes the download start again from zero; a body cut half-way is
resumed with ``Range``; a 412 without a body still becomes a conflict with the current case."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from keyring.backends import fail

from labdesk.api import errors
from labdesk.api.client import PortalClient
from labdesk.api.schemas import ActionRequest, CasePatch
from labdesk.api.tokens import TokenStore
from labdesk.domain.lifecycle import Action
from tests.integration.fault_proxy import FaultProxy

CASE = r"/api/v1/cases/\d+"


@pytest.fixture
def proxy(portal: Any) -> Iterator[FaultProxy]:
    running = FaultProxy(portal.url)
    yield running
    running.stop()


@pytest.fixture
def client(proxy: FaultProxy) -> Iterator[PortalClient]:
    store = TokenStore(backend=fail.Keyring())  # type: ignore[no-untyped-call]
    with PortalClient(proxy.url, store, username="reviewer", backoff=0.01) as signed_in:
        signed_in.login("reviewer", "demo")
        yield signed_in


def test_get_is_retried_after_a_503(proxy: FaultProxy, client: PortalClient, portal_api: Any):
    case = portal_api.new_case("dentist1")
    proxy.add("GET", CASE, "503")
    assert client.get_case(case["id"]).id == case["id"]
    assert proxy.fired == ["503"]
    assert len(proxy.requests("GET", f"/api/v1/cases/{case['id']}")) == 2


def test_an_action_is_retried_after_a_503_and_applied_once(
    proxy: FaultProxy, client: PortalClient, portal_api: Any
) -> None:
    case = portal_api.new_case("dentist1")
    proxy.add("POST", CASE + "/actions", "503")
    done = client.act(
        case["id"], ActionRequest(action=Action.ACCEPT), version=case["version"],
        idempotency_key=portal_api.key(),
    )  # fmt: skip
    assert done.status.value == "design"
    sent = proxy.requests("POST", f"/api/v1/cases/{case['id']}/actions")
    assert len(sent) == 2
    assert sent[0]["idempotency-key"] == sent[1]["idempotency-key"]
    history = portal_api.get("lab_admin", case["id"])["history"]
    assert [h["action"] for h in history].count("accept") == 1


def test_patch_is_never_retried(proxy: FaultProxy, client: PortalClient, portal_api: Any):
    case = portal_api.new_case("dentist1")
    proxy.add("PATCH", CASE, "503")
    with pytest.raises(errors.ServerError) as failed:
        client.patch_case(case["id"], CasePatch(tags=["x"]), version=case["version"])
    assert failed.value.status == 503
    assert len(proxy.requests("PATCH", f"/api/v1/cases/{case['id']}")) == 1
    assert portal_api.get("lab_admin", case["id"])["version"] == case["version"]


def test_upload_is_never_retried(proxy: FaultProxy, client: PortalClient, portal_api: Any):
    case = portal_api.new_case("dentist1")
    proxy.add("POST", CASE + "/attachments", "503")
    with pytest.raises(errors.ServerError):
        client.upload_attachment_data(
            case["id"], "note.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"
        )
    assert len(proxy.requests("POST", f"/api/v1/cases/{case['id']}/attachments")) == 1
    assert portal_api.get("lab_admin", case["id"])["files"] == []


def _a_scan(portal_api: Any) -> dict[str, Any]:
    """A demo scan file of a lab case (a few hundred kB at least)."""
    listed = portal_api.as_("reviewer").get("/cases", params={"limit": 50}).json()["cases"]
    files = [f for c in listed for f in c["files"] if f["size"] > 100_000]
    return dict(min(files, key=lambda f: f["size"]))


def test_a_proxy_that_drops_range_makes_the_download_restart_from_zero(
    proxy: FaultProxy, client: PortalClient, portal_api: Any, tmp_path: Path
) -> None:
    scan = _a_scan(portal_api)
    whole = portal_api.as_("reviewer").get(f"/files/{scan['id']}").content
    dest = tmp_path / "scan.part"
    dest.write_bytes(whole[:1000])  # left by an earlier run
    proxy.add("GET", r"/api/v1/files/\d+", "drop_range")
    client.download_file(scan["id"], dest, expected_sha256=scan["sha256"], offset=1000)
    assert hashlib.sha256(dest.read_bytes()).hexdigest() == scan["sha256"]
    assert dest.stat().st_size == scan["size"]
    [asked] = proxy.requests("GET", f"/api/v1/files/{scan['id']}")
    assert asked["range"] == "bytes=1000-"


def test_a_body_cut_half_way_is_resumed_with_range(
    proxy: FaultProxy, client: PortalClient, portal_api: Any, tmp_path: Path
) -> None:
    scan = _a_scan(portal_api)
    dest = tmp_path / "scan.bin"
    proxy.add("GET", r"/api/v1/files/\d+", "cut_body")
    client.download_file(scan["id"], dest, expected_sha256=scan["sha256"])
    assert hashlib.sha256(dest.read_bytes()).hexdigest() == scan["sha256"]
    first, again = proxy.requests("GET", f"/api/v1/files/{scan['id']}")
    assert "range" not in first
    start = int(again["range"].removeprefix("bytes=").rstrip("-"))
    assert 0 < start < scan["size"]


def test_412_without_a_body_becomes_a_conflict_with_the_current_case(
    proxy: FaultProxy, portal_api: Any, portal: Any, tmp_path: Path
) -> None:
    from labdesk.client.account import Account
    from labdesk.config import Settings

    case = portal_api.new_case("dentist1")
    store = TokenStore(backend=fail.Keyring())  # type: ignore[no-untyped-call]
    settings = Settings(server_url=proxy.url, cache_dir=str(tmp_path / "cache"))
    account = Account.open(settings, "reviewer", store, backoff=0.01)
    try:
        account.sign_in("demo")
        account.engine.sync()
        proxy.add("POST", CASE + "/actions", "412")
        account.engine.queue_action(case["id"], ActionRequest(action=Action.ACCEPT))
        account.engine.push()
        [conflict] = account.repo.conflicts(case_id=case["id"])
        assert conflict.server_case.status.value == "received"
        assert conflict.server_case.version == case["version"]
        assert account.engine.state().pending == 0
    finally:
        account.close()
    assert proxy.fired == ["412"]
    # the client fetched the current case itself after the empty 412
    assert proxy.requests("GET", f"/api/v1/cases/{case['id']}")
    assert portal_api.get("lab_admin", case["id"])["status"] == "received"
