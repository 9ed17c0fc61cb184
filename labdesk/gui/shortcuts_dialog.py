"""Help → Keyboard shortcuts: every key the window answers to, in one list.

The list is built from the same tables the window and the action bar use, so it cannot
drift from what the keys really do.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from labdesk.client import offers as action_rules

# (keys, what they do) for the window; keys in Qt's portable form, or plain words.
WINDOW_SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Ctrl+F", "Search the inbox"),
    ("Enter", "Open the selected case"),
    ("Esc", "Back to the inbox (from a case); clear the search (in the search box)"),
    ("Up / Down, Page Up / Page Down", "Move through the inbox"),
    ("Shift+click, Ctrl+click, Shift+Up / Down", "Select several cases"),
    ("Ctrl+Shift+B", "Apply one step to the selected cases (a tray out of finishing)"),
    ("Ctrl+1 … Ctrl+7", "Switch queue (To review … All)"),
    ("Ctrl+P", "Print the work ticket (the case on show, or the selected cases)"),
    ("Ctrl+L", "Print the tray label (the case on show, or the selected cases)"),
    ("Ctrl+Alt+P", "Save the work tickets as PDF"),
    ("Ctrl+D", "Workload dashboard"),
    ("F5", "Sync now"),
    ("Ctrl+I", "Import a scanner export (or drop a zip or folder on the window)"),
    ("Ctrl+,", "Settings"),
    ("F1", "This list"),
    ("Ctrl+Q", "Quit"),
)
BARCODE_NOTE = (
    "Type or scan a case number anywhere outside a text field and press Enter to open the "
    "case — a barcode scanner on the work tray does exactly that."
)


def action_shortcuts() -> list[tuple[str, str]]:
    """(keys, actions) for the action bar; one key can serve actions never offered together."""
    by_key: dict[str, list[str]] = {}
    for command, key in action_rules.SHORTCUTS.items():
        by_key.setdefault(key, []).append(action_rules.command_label(command))
    return [(key, " / ".join(labels)) for key, labels in by_key.items()]


def native(keys: str) -> str:
    if any(word in keys for word in (" ", "…")) or keys in ("Enter", "Esc"):
        return keys
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)


class ShortcutsDialog(QDialog):
    def __init__(
        self,
        extra: Sequence[tuple[str, str]] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts — LabDesk")
        self.resize(620, 560)
        layout = QVBoxLayout(self)
        intro = QLabel(BARCODE_NOTE)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Keys", "What they do"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        groups = [
            ("Window", [*WINDOW_SHORTCUTS, *extra]),
            ("Case actions (when offered to you)", action_shortcuts()),
        ]
        for title, rows in groups:
            group = QTreeWidgetItem([title, ""])
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setFirstColumnSpanned(True)
            self.tree.addTopLevelItem(group)
            for keys, what in rows:
                self.tree.addTopLevelItem(QTreeWidgetItem([native(keys), what]))
        layout.addWidget(self.tree)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)

    def rows(self) -> list[tuple[str, str]]:
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [(item.text(0), item.text(1)) for item in items if item is not None]
