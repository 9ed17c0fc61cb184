"""The sign-in token never reaches the disk: not the cache, not the settings, not the logs."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from labdesk import config
from labdesk.api.schemas import ActionRequest
from labdesk.api.tokens import TokenStore
from labdesk.client.account import Account
from labdesk.config import Settings
from labdesk.domain.lifecycle import Action
from tests.integration.sync_helpers import demo_template, portal_copy, start_demo_portal


@pytest.fixture
def portal(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Iterator[Any]:
    data = portal_copy(demo_template(tmp_path_factory.getbasetemp()), tmp_path / "portal")
    running = start_demo_portal(data)
    yield running
    running.stop()


@pytest.fixture
def debug_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("LABDESK_HOME", str(tmp_path / "home"))
    config.log_dir().mkdir(parents=True)
    log_file = config.log_dir() / "labdesk.log"
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s %(args)s"))
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.DEBUG)
    root.addHandler(handler)
    yield log_file
    root.removeHandler(handler)
    handler.close()
    root.setLevel(level)


def test_the_token_is_not_in_the_cache_settings_or_logs(portal: Any, debug_log: Path) -> None:
    settings = Settings(server_url=portal.url, last_username="reviewer")
    settings.save()
    account = Account.open(settings, "reviewer", TokenStore(), backoff=0.01)
    try:
        token = account.sign_in("demo").token
        account.engine.sync()
        received = [r for r in account.repo.load_inbox_rows() if r.status == "received"]
        account.engine.queue_action(received[0].case_id, ActionRequest(action=Action.ACCEPT))
        account.engine.sync(force=True)
        scan = next(f for f in account.repo.files_of_cases([received[1].case_id]) if f.size < 30e6)
        account.engine.open_file(scan.id)
        settings.save()
        # an expired sign-in is logged and kept in the sync state too
        account.client.logout()
        account.engine.sync(force=True)
        assert account.engine.state().signed_in is False
    finally:
        account.close()

    home = config.data_dir().parent
    written = [p for p in home.rglob("*") if p.is_file()]
    names = {p.name for p in written}
    assert "settings.json" in names
    assert any(name.endswith(".sqlite") for name in names)
    assert debug_log.stat().st_size > 0
    assert b"HTTP Request" in debug_log.read_bytes()  # requests were logged, without tokens
    secret = token.encode()
    assert len(secret) >= 20
    leaks = [p for p in written if secret in p.read_bytes()]
    assert leaks == []
