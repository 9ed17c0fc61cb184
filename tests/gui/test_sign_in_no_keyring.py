"""Without a keyring service the sign-in dialog says the sign-in will not be remembered, and
signing in still works (the token stays in this run's memory)."""

from __future__ import annotations

from typing import Any

from tests.gui.conftest import sign_in_through_dialog, wait_synced


def test_the_dialog_says_the_sign_in_will_not_be_remembered(
    qtbot: Any, portal: Any, workstation_window: Any
) -> None:
    import keyring
    from keyring.backends import fail

    from labdesk.api.tokens import NO_KEYRING_NOTICE

    assert isinstance(keyring.get_keyring(), fail.Keyring)  # tests/conftest.py: no keyring
    window = workstation_window(portal.url)
    dialog = window.sign_in_dialog or window.ask_sign_in(expired=False)
    ui = dialog.ui
    assert ui.noticeLabel.text() == NO_KEYRING_NOTICE
    assert not ui.noticeLabel.isHidden()
    assert not ui.rememberCheck.isChecked()
    assert not ui.rememberCheck.isEnabled()
    assert ui.rememberCheck.toolTip() == NO_KEYRING_NOTICE

    sign_in_through_dialog(qtbot, window, "reviewer")
    wait_synced(qtbot, window)
    assert window.ws.session.user.username == "reviewer"
    assert window.ws.session.token is True
    assert window.ws.token_notice == NO_KEYRING_NOTICE
