"""Remember-me with a real keyring service (the Secret Service of gnome-keyring), through the
real client code, across a restart of the process.

Marker ``keyring_real``: these run in their own CI pass inside a D-Bus session with an unlocked
gnome-keyring (scripts/keyring_session.sh); elsewhere they skip, or fail when
LABDESK_REQUIRE_KEYRING=1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.keyring_real

RESTARTED = """
import json, sys
from labdesk.client import casework as acc
from labdesk.config import Settings
url, username = sys.argv[1], sys.argv[2]
store = acc.token_store(True)
opened = acc.open_account(Settings(server_url=url), url, username, store)
try:
    state = opened.engine.sync(force=True)
    print(json.dumps({"signed_in": state.signed_in, "persistent": store.persistent,
                      "cases": len(opened.repo.load_inbox_rows())}))
finally:
    opened.close()
"""


@pytest.fixture
def secret_service(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Any]:
    """The Secret Service backend as the active keyring (restored afterwards)."""
    import keyring
    from keyring.backends import SecretService

    backend = SecretService.Keyring()
    try:
        usable = backend.priority >= 1
    except Exception as exc:  # keyring raises RuntimeError and others when there is no D-Bus
        usable, why = False, f"{type(exc).__name__}: {exc}"
    else:
        why = "the Secret Service is not usable"
    if not usable:
        if os.environ.get("LABDESK_REQUIRE_KEYRING") == "1":
            pytest.fail(f"LABDESK_REQUIRE_KEYRING=1 but {why}")
        pytest.skip(f"no Secret Service here ({why}); run scripts/keyring_session.sh")
    before = keyring.get_keyring()
    keyring.set_keyring(backend)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.SecretService.Keyring")
    monkeypatch.setenv("LABDESK_HOME", str(tmp_path / "home"))
    yield backend
    keyring.set_keyring(before)


def _keyring_token(backend: Any, url: str, username: str) -> str | None:
    from labdesk.api.tokens import SERVICE_PREFIX
    from labdesk.api.urls import normalize_url

    token: str | None = backend.get_password(f"{SERVICE_PREFIX} {normalize_url(url)}", username)
    return token


def _restart(url: str, username: str) -> dict[str, Any]:
    """Open the account in a new process, without a password, and sync."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run(
        [sys.executable, "-c", RESTARTED, url, username],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def test_remembered_sign_in_survives_a_restart(secret_service: Any, portal: Any) -> None:
    from labdesk.client import casework as acc
    from labdesk.config import Settings

    store = acc.token_store(True)
    assert store.persistent
    assert store.notice == ""
    opened = acc.open_account(Settings(server_url=portal.url), portal.url, "reviewer", store)
    try:
        acc.sign_in(opened, "demo")
    finally:
        opened.close()
    token = _keyring_token(secret_service, portal.url, "reviewer")
    assert token is not None
    assert len(token) >= 20

    restarted = _restart(portal.url, "reviewer")
    assert restarted == {"signed_in": True, "persistent": True, "cases": restarted["cases"]}
    assert restarted["cases"] > 0

    # Signing out forgets it in the keyring too: the next start asks for the password.
    store.clear(portal.url, "reviewer")
    assert _keyring_token(secret_service, portal.url, "reviewer") is None
    assert _restart(portal.url, "reviewer")["signed_in"] is False


def test_not_remembered_stays_out_of_the_keyring(secret_service: Any, portal: Any) -> None:
    from labdesk.client import casework as acc
    from labdesk.config import Settings

    store = acc.token_store(False)
    opened = acc.open_account(Settings(server_url=portal.url), portal.url, "designer", store)
    try:
        acc.sign_in(opened, "demo")
        assert opened.engine.sync(force=True).signed_in is True
    finally:
        opened.close()
    assert _keyring_token(secret_service, portal.url, "designer") is None
    assert _restart(portal.url, "designer")["signed_in"] is False


def test_the_sign_in_dialog_offers_remember_me_with_a_keyring(
    secret_service: Any, qtbot: Any, portal: Any
) -> None:
    from labdesk.config import Settings
    from labdesk.gui.sign_in_dialog import SignInDialog
    from labdesk.services.workstation import Workstation

    ws = Workstation(Settings(server_url=portal.url))
    try:
        dialog = SignInDialog(ws, server_url=portal.url)
        qtbot.addWidget(dialog)
        assert ws.token_notice == ""
        assert dialog.ui.noticeLabel.isHidden()
        assert dialog.ui.rememberCheck.isEnabled()
    finally:
        ws.shutdown()
