"""Helpers for driving dialogs whose work runs on the task runner."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from labdesk.gui.dialogs.reject_dialog import RejectDialog

WAIT_MS = 10_000


def attach_file(qtbot: QtBot, dialog: RejectDialog, path: Path) -> bool:
    """Add ``path`` as the person would, and wait until it is in the list (True) or refused."""
    with qtbot.waitSignal(dialog.file_prepared, timeout=WAIT_MS) as prepared:
        dialog.add_file(path)
    return bool(prepared.args[0])
