"""The workstation's side of the workload figures: ``PortalClient.workload`` answers what
``GET /workload`` answers, the last figures per filter are kept beside the account's cache, and
with the portal out of reach they come back from there, saying why."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

from labdesk.api.client import PortalClient
from labdesk.api.errors import Offline
from labdesk.client import workload as core
from labdesk.client.workload import WorkloadFilter
from tests.conftest import PortalApi
from tests.integration.sync_helpers import open_account


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_figures_are_kept_and_shown_offline(
    portal: Any, portal_api: PortalApi, tmp_path: Path
) -> None:
    account = open_account(tmp_path, portal.url, "lab_admin")
    try:
        clinic_id = account.client.list_cases(0).cases[0].clinic_id
        fresh = core.fetch_workload(account)
        wire = portal_api.as_("lab_admin").get("/workload").json()
        assert fresh.figures.model_dump(mode="json", exclude={"as_of"}) == {
            k: v for k, v in wire.items() if k != "as_of"
        }
        assert not fresh.from_cache
        narrowed = core.fetch_workload(account, WorkloadFilter(clinic_id=clinic_id))
        assert narrowed.figures.clinic_id == clinic_id
        path = core.cache_file(account)
        assert path is not None
        assert path.parent == account.repo.path.parent
        assert len(json.loads(path.read_text())["entries"]) == 2
        assert not list(path.parent.glob(".workload-*"))  # written atomically, nothing left

        account.engine.pull()  # the clinics offered come from the cached cases
        choices = core.workload_choices(account)
        assert clinic_id in {cid for cid, _ in choices.clinics}
        assert choices.items

        online = account.client
        gone = f"http://127.0.0.1:{_closed_port()}"  # the portal out of reach, token in hand
        token = online.token_store.get(online.base_url, "lab_admin")
        assert token is not None
        online.token_store.save(gone, "lab_admin", token)
        account.client = PortalClient(gone, online.token_store, username="lab_admin", retries=0)
        try:
            offline = core.fetch_workload(account, WorkloadFilter(clinic_id=clinic_id))
            assert offline.from_cache
            assert offline.figures == narrowed.figures
            assert offline.fetched_at == narrowed.fetched_at
            assert "portal" in offline.stale_because.lower()
            with pytest.raises(Offline):  # nothing kept for this filter
                core.fetch_workload(account, WorkloadFilter(catalog_code="no-such-item"))
            assert core.workload_choices(account).items == ()
        finally:
            account.client.close()
            account.client = online
    finally:
        account.close()


def test_a_damaged_copy_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "x.workload.json"
    path.write_text("{not json")
    assert core.load_cached(path, WorkloadFilter()) is None
    path.write_text(json.dumps({"format": 1, "entries": {"*|*": {"figures": {}}}}))
    assert core.load_cached(path, WorkloadFilter()) is None
