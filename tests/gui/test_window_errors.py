"""A case that cannot be opened: a reason the person can act on goes to the status bar; a bug
goes to the log with its traceback and to the error dialog with the details to copy."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from labdesk.api.errors import Offline
from labdesk.gui.error_dialog import ErrorDialog


def error_dialogs() -> list[ErrorDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, ErrorDialog)]


def test_a_known_failure_is_said_in_the_status_bar(
    qtbot: Any, portal: Any, workstation_window: Any
) -> None:
    window = workstation_window(portal.url)
    window._opening = 7  # the person asked for case 7
    window.on_case_failed(7, Offline("The portal cannot be reached."))
    message = window.status.currentMessage()
    assert message == "The case could not be opened: The portal cannot be reached."
    assert not [d for d in error_dialogs() if d.isVisible()]


def test_a_bug_is_logged_and_shown_with_details_not_as_a_status_line(
    qtbot: Any, portal: Any, workstation_window: Any, caplog: pytest.LogCaptureFixture
) -> None:
    window = workstation_window(portal.url)
    window._opening = 7

    def open_case_7() -> None:
        {}["missing"]  # a real exception with a real traceback, on the runner's thread

    failed: list[BaseException] = []
    with caplog.at_level(logging.ERROR, logger="labdesk.services.tasks"):
        with qtbot.waitSignal(window.ws.tasks.bug, timeout=10_000):
            window.ws.tasks.run(open_case_7, on_error=failed.append, name="opening case 7")
        qtbot.waitUntil(lambda: bool(failed))
    window.on_case_failed(7, failed[0])
    assert "KeyError" not in window.status.currentMessage()
    assert window.status.currentMessage() == "The case could not be opened."
    record = next(r for r in caplog.records if r.exc_info is not None)
    assert isinstance(record.exc_info[1], KeyError)
    assert "opening case 7" in record.getMessage()
    shown = [d for d in error_dialogs() if d.isVisible()]
    assert len(shown) == 1
    details = shown[0].details.toPlainText()
    assert "Traceback" in details
    assert "KeyError: 'missing'" in details
    shown[0].copy_button.click()
    assert QApplication.clipboard().text() == details
    shown[0].close()
