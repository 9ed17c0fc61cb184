"""Case numbers typed or scanned anywhere in the window, taken as a whole.

A handheld barcode scanner is a keyboard that types very fast and presses Enter (or sends a
prefix and a suffix the lab configured, see ``Settings.scanner_prefix``/``scanner_suffix``).
An application-wide event filter collects the printable keys meant for the window into a
buffer (cleared after a pause longer than ``timeout_ms``) and *swallows them*: a burst must
never reach a widget on the way, because the inbox table's keyboard search would jump to
another row and the Enter at the end would open that row — another patient's work. On Enter
(or the suffix) the whole text goes out as :attr:`number_scanned`; the window decides whether
it names a case. An Enter with nothing collected is the person's own Enter and passes on.

Keys typed into a text field belong to that field (the search box, a reason…) unless they
start with the configured prefix, which a scanner sends and a person does not type. Keys with
Ctrl, Alt or Meta are shortcuts, not barcodes; Esc clears the buffer and keeps its meaning.
"""

from __future__ import annotations

import time

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

    number_scanned = Signal(str)  # a burst ended: its text, prefix and suffix removed

    def __init__(
        self,
        *,
        window: QWidget | None = None,
        prefix: str = "",
        suffix: str = "",
        timeout_ms: int = 1500,
        min_length: int = 2,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._window = window
        self._timeout = timeout_ms / 1000
        self._min_length = min_length
        self._buffer = ""
        self._in_text_field = False  # a burst that began with the prefix in a text field
        self._last = 0.0
        self.set_framing(prefix, suffix)

    def set_framing(self, prefix: str, suffix: str) -> None:
        """The characters the lab's scanners send before and after a code (may be empty)."""
        self._prefix = prefix
        self._suffix = suffix
        self.reset()

    @property
    def buffer(self) -> str:
        return self._buffer

    def reset(self) -> None:
        self._buffer = ""
        self._in_text_field = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(event, QKeyEvent):
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            return self._claim_shortcut_key(watched, event)
        if event.type() != QEvent.Type.KeyPress:
            return False
        focus = self._typing_into(watched)
        if focus is None:
            return False
        if event.modifiers() & _SHORTCUT_MODIFIERS:
            self.reset()
            return False
        now = time.monotonic()
        if now - self._last > self._timeout:
            self.reset()
        self._last = now
        char = event.text()
        if takes_text(focus) and not self._in_text_field:
            if self._prefix and char == self._prefix[0]:
                self._in_text_field = True  # a scanner's burst: not the field's text
                self._buffer = char
                return True
            self._buffer = ""
            return False
        return self._collect(event, char)

    def _typing_into(self, watched: QObject) -> QWidget | None:
        """The widget a key to ``watched`` is typed into — the focus widget, or ``watched``
        itself when nothing of its window has the focus — if it is in our window.

        A key the receiver ignores travels on to its parents and passes here again; every
        decision is made from the focus widget, so seeing it twice changes nothing (and a
        key of a burst is swallowed the first time)."""
        if not isinstance(watched, QWidget):
            return None
        focus = QApplication.focusWidget()
        target = focus if focus is not None and focus.window() is watched.window() else watched
        if self._window is not None and target.window() is not self._window:
            return None
        return target

    def _claim_shortcut_key(self, watched: QObject, event: QKeyEvent) -> bool:
        """Within a burst, a key that is also a one-key shortcut (the scan view's 1-5, C, M…)
        is the burst's: accepting the override makes Qt deliver it as a key press, which
        :meth:`eventFilter` then collects. The first key of a burst cannot be told from a
        person's key, so it keeps its shortcut."""
        in_burst = bool(self._buffer) and time.monotonic() - self._last <= self._timeout
        if not in_burst or event.modifiers() & _SHORTCUT_MODIFIERS:
            return False
        focus = self._typing_into(watched)
        if focus is None or takes_text(focus):
            return False
        char = event.text()
        if len(char) == 1 and char.isprintable():
            event.accept()
            return True
        return False

    def _collect(self, event: QKeyEvent, char: str) -> bool:
        """Take one key of a burst; True when it is swallowed."""
        key = event.key()
        if key in _ENTER:
            if not self._buffer:
                return False  # the person's own Enter (open the selected case, press OK)
            self._complete()
            return True
        if key == Qt.Key.Key_Escape:
            self.reset()
            return False
        if key == Qt.Key.Key_Backspace:
            if not self._buffer:
                return False
            self._buffer = self._buffer[:-1]
            return True
        if len(char) != 1:
            return False
        ends_suffix = bool(self._suffix) and (self._buffer + char).endswith(self._suffix)
        if not ends_suffix and (not char.isprintable() or char.isspace()):
            return False
        self._buffer += char
        if ends_suffix and len(self._buffer) > len(self._suffix):
            self._complete()
        return True

    def _complete(self) -> None:
        text, in_field = self._buffer, self._in_text_field
        self.reset()
        if self._prefix and text.startswith(self._prefix):
            text = text[len(self._prefix) :]
        elif in_field:
            return  # a prefix character typed by hand, then something else
        if self._suffix and text.endswith(self._suffix):
            text = text[: -len(self._suffix)]
        text = text.strip()
        if len(text) >= self._min_length:
            self.number_scanned.emit(text)
