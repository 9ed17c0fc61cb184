"""Window geometry, column widths, the chosen queue and the sort, kept across runs.

UI state only (QSettings, an INI file in LabDesk's config folder); the person's real
settings live in :mod:`labdesk.config`. The queue is remembered per user, so a ceramist and a
reviewer sharing a workstation each land on their own.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from labdesk import config

UI_STATE_FILE = "ui-state.ini"


def ui_settings() -> QSettings:
    """An INI file next to the settings (so ``LABDESK_HOME`` moves it too)."""
    return QSettings(str(config.config_dir() / UI_STATE_FILE), QSettings.Format.IniFormat)


def _bytes(value: Any) -> bytes | None:
    if isinstance(value, QByteArray):
        return bytes(value.data())
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    return None


class WindowState:
    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store if store is not None else ui_settings()

    def geometry(self) -> bytes | None:
        return _bytes(self.store.value("window/geometry"))

    def window_state(self) -> bytes | None:
        return _bytes(self.store.value("window/state"))

    def save_window(self, geometry: bytes, state: bytes) -> None:
        self.store.setValue("window/geometry", QByteArray(geometry))
        self.store.setValue("window/state", QByteArray(state))

    def inbox(self) -> dict[str, Any]:
        s = self.store
        column = s.value("inbox/sort_column")
        return {
            "header": _bytes(s.value("inbox/header")),
            "splitter": _bytes(s.value("inbox/splitter")),
            "sort_column": int(column) if column is not None else None,
            "sort_descending": str(s.value("inbox/sort_descending", "false")).lower() == "true",
        }

    def save_inbox(self, state: dict[str, Any]) -> None:
        s = self.store
        s.setValue("inbox/header", QByteArray(state["header"]))
        s.setValue("inbox/splitter", QByteArray(state["splitter"]))
        s.setValue("inbox/sort_column", int(state["sort_column"]))
        s.setValue("inbox/sort_descending", "true" if state["sort_descending"] else "false")

    def queue(self, username: str) -> tuple[str, str] | None:
        value = self.store.value(f"queue/{username}")
        if not value:
            return None
        queue, _, stage = str(value).partition(":")
        return queue, stage

    def save_queue(self, username: str, queue: str, stage: str) -> None:
        self.store.setValue(f"queue/{username}", f"{queue}:{stage}")

    def sync(self) -> None:
        self.store.sync()
