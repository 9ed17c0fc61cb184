"""Fixtures for the workstation window tests: a private LabDesk home, the real window on a
real portal, signing in through the real dialog."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

WAIT_MS = 30_000


@pytest.fixture
def labdesk_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings, caches, logs and UI state of this test only."""
    home = tmp_path / "labdesk-home"
    monkeypatch.setenv("LABDESK_HOME", str(home))
    return home


@pytest.fixture
def workstation_window(qtbot: Any, labdesk_home: Path) -> Iterator[Callable[..., Any]]:
    """``workstation_window(url)``: the real main window on the portal at ``url``."""
    from labdesk.config import Settings
    from labdesk.gui.main_window import MainWindow
    from labdesk.gui.window_state import WindowState
    from labdesk.services.workstation import Workstation

    made: list[tuple[Any, Any]] = []

    def make(url: str, **settings: Any) -> Any:
        ws = Workstation(Settings(server_url=url, theme="light", **settings))
        window = MainWindow(ws, state=WindowState())
        qtbot.addWidget(window)
        window.resize(1300, 800)
        window.show()
        made.append((window, ws))
        return window

    yield make
    for window, ws in made:
        window.close()
        ws.shutdown()


def sign_in_through_dialog(qtbot: Any, window: Any, username: str, password: str = "demo") -> Any:
    """Type into the real sign-in dialog and press its button; wait for the inbox."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    dialog = window.sign_in_dialog or window.ask_sign_in(expired=False)
    ui = dialog.ui
    if ui.usernameEdit.isReadOnly():  # signing in again: the username is fixed
        assert ui.usernameEdit.text() == username
    else:
        ui.usernameEdit.clear()
        qtbot.keyClicks(ui.usernameEdit, username)
    qtbot.keyClicks(ui.passwordEdit, password)
    ok = ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)
    with qtbot.waitSignal(window.ws.signed_in, timeout=WAIT_MS, raising=False) as blocker:
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert blocker.signal_triggered, ui.messageLabel.text()
    activate(qtbot, window)
    return dialog


def activate(qtbot: Any, window: Any) -> None:
    """Make the window the active one (keyboard shortcuts and focus need it)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)


def wait_synced(qtbot: Any, window: Any, expected_rows: int | None = None) -> None:
    """Until the first sync is done and the inbox holds its rows."""

    def synced() -> None:
        status = window.ws.status
        assert status.online is True
        assert status.last_sync is not None
        rows = len(window.model.all_rows())
        assert rows > 0 if expected_rows is None else rows == expected_rows

    qtbot.waitUntil(synced, timeout=WAIT_MS)


def action_dialog(qtbot: Any, window: Any, kind: type | None = None) -> Any:
    """The action dialog the window opened last (waits until it shows)."""

    def shown() -> None:
        flow = window.case_actions.flow
        assert flow is not None
        assert flow.dialog is not None
        assert flow.dialog.isVisible()
        if kind is not None:
            assert isinstance(flow.dialog, kind)

    qtbot.waitUntil(shown, timeout=WAIT_MS)
    return window.case_actions.flow.dialog
