"""Starting from the cache: the inbox shows at once, offline, before any sign-in."""

from __future__ import annotations

from typing import Any

from labdesk.client import casework as acc
from labdesk.config import Settings
from tests.gui.conftest import WAIT_MS, sign_in_through_dialog, wait_synced


def test_a_second_start_shows_the_cached_inbox_before_signing_in(
    qtbot: Any, portal: Any, workstation_window: Any
) -> None:
    first = workstation_window(portal.url)
    first.ask_sign_in(expired=False)
    sign_in_through_dialog(qtbot, first, "shipping")
    wait_synced(qtbot, first)
    cached = len(first.model.all_rows())
    first.close()
    first.ws.shutdown()

    # The quick read of the cache file gives exactly what the repository gives.
    settings = Settings.load()
    assert (settings.server_url, settings.last_username) == (portal.url, "shipping")
    peeked = acc.peek(portal.url, "shipping")
    assert peeked is not None
    person, index = peeked
    assert person.username == "shipping"
    repo = acc.open_cache(settings, portal.url, "shipping")
    try:
        assert index.rows == acc.load_index(repo).rows
    finally:
        repo.close()

    # Next morning: LabDesk starts from the cache; no token was remembered (no keyring).
    second = workstation_window(portal.url, last_username="shipping")
    with qtbot.waitSignal(second.ws.inbox_loaded, timeout=WAIT_MS):
        second.ws.resume()
    assert len(second.model.all_rows()) == cached
    assert second.ws.session is not None
    assert second.ws.session.token is False
    assert "shipping" in second.user_label.text().lower()
    # The sync worker finds no sign-in and asks for one, without clearing the inbox.
    qtbot.waitUntil(lambda: second.sign_in_dialog is not None, timeout=WAIT_MS)
    dialog = second.sign_in_dialog
    assert dialog.ui.usernameEdit.text() == "shipping"
    assert dialog.ui.titleLabel.text() == "Sign in to the lab portal"
    assert len(second.model.all_rows()) == cached
    sign_in_through_dialog(qtbot, second, "shipping")
    wait_synced(qtbot, second, expected_rows=cached)
