"""Help → User manual and Help → About LabDesk.

The manual is ``docs/manual.md`` (one text for the repository and the application), rendered
in a dialog. About says what support asks first — which LabDesk, Qt and Python, which portal,
who is signed in, where the log and the cache are — with "Copy to clipboard".
"""

from __future__ import annotations

import platform
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Final

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from labdesk import __version__, config
from labdesk.gui import error_dialog
from labdesk.services.workstation import Workstation

MANUAL: Final = Path(__file__).resolve().parents[2] / "docs" / "manual.md"
MANUAL_MISSING = (
    "# User manual\n\nThe manual was not installed with this copy of LabDesk. It is "
    "`docs/manual.md` in LabDesk's source. Help → Keyboard shortcuts (F1) lists every key."
)


def manual_text(path: Path = MANUAL) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return MANUAL_MISSING


class ManualDialog(QDialog):
    """The user manual, rendered from Markdown; links to the web open in the browser."""

    def __init__(self, parent: QWidget | None = None, path: Path = MANUAL) -> None:
        super().__init__(parent)
        self.setObjectName("manualDialog")
        self.setWindowTitle("LabDesk user manual")
        self.resize(760, 680)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setMarkdown(manual_text(path))
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def support_details(ws: Workstation) -> list[tuple[str, str]]:
    """(what, value) lines for support; nothing secret (no token, no password)."""
    session = ws.session
    account = ws.account
    if session is not None:
        user = f"{session.user.display_name} ({session.user.username})"
        roles = ", ".join(r.value for r in session.user.roles)
        portal = session.server_url + (" — demo" if session.demo else "")
    else:
        user, roles, portal = "Not signed in", "—", ws.settings.server_url
    cache = account.cache_file if account is not None else None
    log_file = error_dialog.log_path()
    return [
        ("LabDesk", __version__),
        ("Portal", portal),
        ("Signed in as", user),
        ("Roles", roles),
        ("Qt", f"{qVersion()} (PySide6 {PySide6.__version__})"),
        ("Python", f"{platform.python_version()} ({sys.platform})"),
        ("Log file", str(log_file) if log_file else f"{config.log_dir()} (not written yet)"),
        ("Cache", str(cache) if cache else str(ws.settings.resolved_cache_dir())),
        ("Settings", str(config.settings_path())),
    ]


class AboutDialog(QDialog):
    """What LabDesk this is, and where its files are; "Copy to clipboard" for a support mail."""

    def __init__(self, ws: Workstation, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle("About LabDesk")
        self.details = support_details(ws)
        layout = QVBoxLayout(self)
        title = QLabel(f"<h2>LabDesk {__version__}</h2>The workstation of a dental laboratory.")
        layout.addWidget(title)
        rows = "".join(
            f"<tr><td><b>{what}</b>&nbsp;&nbsp;</td><td>{_escape(value)}</td></tr>"
            for what, value in self.details
        )
        self.table = QLabel(f"<table>{rows}</table>")
        self.table.setObjectName("aboutDetails")
        self.table.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("Copy to clipboard")
        self.copy_button.setObjectName("copyButton")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.on_copy_clicked)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def text(self) -> str:
        return "\n".join(f"{what}: {value}" for what, value in self.details)

    def on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.text())
        self.copy_button.setText("Copied")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class HelpWindows:
    """The window's help: the shortcut list (F1), the user manual and About — the last two
    open beside the work, not modal, one of each at a time."""

    def __init__(self, workstation: Workstation, parent: QWidget) -> None:
        self._ws = workstation
        self._parent = parent
        self.dialogs: dict[str, QDialog] = {}  # the manual and About, while open

    def shortcuts(self) -> None:
        from labdesk.gui.shortcuts_dialog import ShortcutsDialog

        ShortcutsDialog(parent=self._parent).exec()

    def manual(self) -> QDialog:
        return self._open_once("manual", lambda: ManualDialog(self._parent))

    def about(self) -> QDialog:
        return self._open_once("about", lambda: AboutDialog(self._ws, self._parent))

    def _open_once(self, name: str, make: Callable[[], QDialog]) -> QDialog:
        dialog = self.dialogs.get(name)
        if dialog is None or not dialog.isVisible():
            dialog = make()
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.destroyed.connect(lambda _=None: self.dialogs.pop(name, None))
            self.dialogs[name] = dialog
            dialog.show()
        else:
            dialog.raise_()
        return dialog
