"""An uncaught exception shows a dialog with details to copy, instead of LabDesk vanishing.

``install_excepthook`` replaces ``sys.excepthook`` (and ``threading.excepthook``): the error
goes to the log file first, then — on the GUI thread, when a QApplication runs — a dialog
explains that something went wrong, where the log is, and offers the details to copy for a
support request. The app keeps running; the person decides whether to quit.

``report_bug`` does the same for a bug that was caught on its way to a person (a background
task's failure that is not a :class:`~labdesk.errors.KnownError`): logged with its traceback,
shown with the details to copy — never as a status-bar line that looks like their mistake.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt, QThread
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from labdesk import __version__

log = logging.getLogger("labdesk.crash")

# Where the log file is, once install_excepthook has been told (the dialog names it).
_log_path: Path | None = None


class ErrorDialog(QDialog):
    def __init__(
        self, summary: str, details: str, log_path: Path | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Something went wrong — LabDesk")
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        where = f" The details are also in the log file {log_path}." if log_path else ""
        intro = QLabel(
            f"<b>LabDesk hit an unexpected problem:</b> {_escape(summary)}<br><br>"
            "Your cases and pending actions are safe in the local cache. You can keep working; "
            f"if the problem comes back, send these details to your support contact.{where}"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        layout.addWidget(self.details, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("&Copy details")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.on_copy_clicked)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def on_copy_clicked(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self.details.toPlainText())
        self.copy_button.setText("Copied")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def describe(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> tuple[str, str]:
    summary = f"{exc_type.__name__}: {exc}"
    details = (
        f"LabDesk {__version__}, Python {sys.version.split()[0]}, {sys.platform}\n\n"
        + "".join(traceback.format_exception(exc_type, exc, tb))
    )
    return summary, details


class _Hook:
    def __init__(self, log_path: Path | None) -> None:
        self.log_path = log_path
        self.showing = False

    def __call__(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.critical("uncaught exception", exc_info=(exc_type, exc, tb))
        app = QApplication.instance()
        on_gui_thread = app is not None and QThread.currentThread() is app.thread()
        if not on_gui_thread or self.showing:
            return
        self.showing = True
        try:
            summary, details = describe(exc_type, exc, tb)
            ErrorDialog(summary, details, self.log_path, QApplication.activeWindow()).exec()
        except Exception:  # the dialog itself failed: the log has the original error
            log.exception("the error dialog could not be shown")
        finally:
            self.showing = False

    def thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            log.critical(
                "uncaught exception in thread %s",
                args.thread.name if args.thread else "?",
                exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
            )


def log_path() -> Path | None:
    """The log file LabDesk writes, once ``install_excepthook`` has been told."""
    return _log_path


def report_bug(exc: BaseException, parent: QWidget | None, doing: str) -> ErrorDialog:
    """Log ``exc`` with its traceback and show it in the error dialog (opened, not exec'd:
    the window and the sync go on behind it). ``doing`` says what LabDesk was doing, for
    the log."""
    log.error("bug while %s", doing, exc_info=(type(exc), exc, exc.__traceback__))
    return show_bug(exc, parent)


def show_bug(exc: BaseException, parent: QWidget | None) -> ErrorDialog:
    """The error dialog for a bug already logged (the task runner logs what it routes)."""
    summary, details = describe(type(exc), exc, exc.__traceback__)
    dialog = ErrorDialog(summary, details, _log_path, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def install_excepthook(log_path: Path | None) -> None:
    global _log_path
    _log_path = log_path
    hook = _Hook(log_path)
    sys.excepthook = hook
    threading.excepthook = hook.thread_hook
