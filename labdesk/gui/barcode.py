"""Case numbers typed or scanned anywhere in the window, followed by Enter, open the case.

A handheld barcode scanner is a keyboard that types very fast and presses Enter. An
application-wide event filter collects printable keys into a buffer (cleared after a pause
longer than ``timeout_ms``) and, on Enter, asks ``matches`` whether the buffer is a case
number; if so it emits :attr:`case_number_entered` and swallows the Enter. Keys typed into a
text field belong to that field and are never collected; keys with Ctrl, Alt or Meta are
shortcuts, not barcodes.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_SHORTCUT_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


def takes_text(widget: QWidget | None) -> bool:
    """Whether ``widget`` is something the person types text into."""
    if isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit | QAbstractSpinBox):
        return not getattr(widget, "isReadOnly", lambda: False)()
    return isinstance(widget, QComboBox) and widget.isEditable()


class BarcodeListener(QObject):
    """Install with ``app.installEventFilter(listener)``; remove it the same way."""

    case_number_entered = Signal(str)

    def __init__(
        self,
        matches: Callable[[str], bool],
        *,
        window: QWidget | None = None,
        timeout_ms: int = 1500,
        min_length: int = 2,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._matches = matches
        self._window = window
        self._timeout = timeout_ms / 1000
        self._min_length = min_length
        self._buffer = ""
        self._last = 0.0

    @property
    def buffer(self) -> str:
        return self._buffer

    def reset(self) -> None:
        self._buffer = ""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        focus = QApplication.focusWidget()
        # A key event travels from the focus widget up to its parents; look at it once.
        if not isinstance(watched, QWidget) or (
            watched is not focus and not (focus is None and watched.isWindow())
        ):
            return False
        if self._window is not None and watched.window() is not self._window:
            return False
        if takes_text(focus) or event.modifiers() & _SHORTCUT_MODIFIERS:
            self._buffer = ""
            return False
        now = time.monotonic()
        if now - self._last > self._timeout:
            self._buffer = ""
        self._last = now
        if event.key() in _ENTER:
            text, self._buffer = self._buffer.strip(), ""
            if len(text) >= self._min_length and self._matches(text):
                self.case_number_entered.emit(text)
                return True
            return False
        char = event.text()
        if len(char) == 1 and char.isprintable() and not char.isspace():
            self._buffer += char
        elif event.key() == Qt.Key.Key_Backspace:
            self._buffer = self._buffer[:-1]
        elif event.key() == Qt.Key.Key_Escape:
            self._buffer = ""
        return False
