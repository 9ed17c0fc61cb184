"""The scan viewer's toolbar: the reviewer's two main tools first, so they stay visible.

The viewer sits in one column of the case page; at 1440×900 its toolbar has room for a few
buttons only, and a toolbar hides what does not fit behind its "»" button from the end.
So Measure and Snapshot come first, the five standard views share one "View" menu, and the
display switches (wireframe, colour) come last. Every action keeps its one-key shortcut on
the viewer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from PySide6 import QtCore, QtGui, QtWidgets

VIEW_KEYS: Final = {"occlusal": "1", "frontal": "2", "left": "3", "right": "4", "lingual": "5"}


class ScanToolbar(QtWidgets.QToolBar):
    """Built for ``owner`` (the scan view): its actions are added to it for their keys."""

    def __init__(self, owner: QtWidgets.QWidget) -> None:
        super().__init__(owner)
        self.setObjectName("scanToolbar")
        self.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._owner = owner
        self.actions_by_name: dict[str, QtGui.QAction] = {}
        self.view_menu = QtWidgets.QMenu("View", owner)
        self.view_button = QtWidgets.QToolButton(self)
        self.view_button.setObjectName("scanViewMenuButton")
        self.view_button.setText("View")
        self.view_button.setToolTip("Standard views: occlusal, frontal, left, right, lingual (1-5)")
        self.view_button.setMenu(self.view_menu)
        self.view_button.setPopupMode(QtWidgets.QToolButton.ToolButtonPopupMode.InstantPopup)

    def add(
        self,
        name: str,
        text: str,
        key: str,
        slot: Callable[..., Any],
        *,
        checkable: bool = False,
        where: QtWidgets.QWidget | None = None,
    ) -> QtGui.QAction:
        """An action with its key on the viewer, shown in the toolbar (or in ``where``)."""
        action = QtGui.QAction(text, self._owner)
        action.setObjectName(f"scan_{name}")
        action.setShortcut(QtGui.QKeySequence(key))
        action.setShortcutContext(QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(f"{text} ({key})")
        action.setCheckable(checkable)
        if checkable:
            action.toggled.connect(slot)
        else:
            action.triggered.connect(lambda _checked=False: slot())
        (where or self).addAction(action)
        self._owner.addAction(action)
        self.actions_by_name[name] = action
        return action

    def add_views(self, look: Callable[[str], None], reset: Callable[[], None]) -> None:
        self.add("reset", "Reset", "R", reset)
        for name, key in VIEW_KEYS.items():
            label = f"{name.capitalize()}\t{key}"
            self.add(name, label, key, lambda n=name: look(n), where=self.view_menu)
            self.actions_by_name[name].setToolTip(f"{name.capitalize()} ({key})")
        self.addWidget(self.view_button)
