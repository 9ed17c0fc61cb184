"""The main window's menu bar, toolbar and keyboard shortcuts, laid out in one place.

Only the layout lives here: each entry is a ``QAction`` with its text and keys, and the window
connects what it does (``menus.settings.triggered.connect(...)``). Keeping the keys together
makes a clash visible at a glance; the shortcuts dialog lists the same keys for people.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QSizePolicy, QToolBar, QWidget

from labdesk.client.inbox_queues import Queue

if TYPE_CHECKING:
    from labdesk.gui.demo_users import DemoUserCombo
    from labdesk.gui.ticket_printing import TicketPrinting
    from labdesk.gui.window_actions import WindowActions


class WindowMenus:
    """The window's actions (with their shortcuts), menus and toolbar."""

    def __init__(
        self,
        window: QMainWindow,
        case_actions: WindowActions,
        demo_users: DemoUserCombo | None = None,
        printing: TicketPrinting | None = None,
    ) -> None:
        self._window = window

        def action(text: str, keys: str | None = None) -> QAction:
            made = QAction(text, window)
            if keys is not None:
                made.setShortcut(QKeySequence(keys))
            window.addAction(made)  # the shortcut works wherever the focus is in the window
            return made

        self.import_package = action("&Import scanner export…", "Ctrl+I")
        self.settings = action("&Settings…", "Ctrl+,")
        self.sign_out = action("Sign &out")
        self.quit = action("&Quit", "Ctrl+Q")
        self.search = action("&Search", "Ctrl+F")
        self.back = action("&Back to inbox", "Esc")
        self.back.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.back.setEnabled(False)
        self.sync = action("Sync &now", "F5")
        self.manual = action("User &manual")
        self.shortcuts = action("&Keyboard shortcuts", "F1")
        self.about = action("&About LabDesk")
        self.dashboard = action("Workload &dashboard", "Ctrl+D")
        # Ctrl+1 … Ctrl+n: the queues in the order the inbox lists them.
        self.queues: dict[Queue, QAction] = {
            queue: action(f"Queue {n}", f"Ctrl+{n}") for n, queue in enumerate(Queue, start=1)
        }

        bar = window.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.import_package)
        file_menu.addSeparator()
        file_menu.addActions([self.settings, self.sign_out])
        file_menu.addSeparator()
        file_menu.addAction(self.quit)
        view_menu = bar.addMenu("&View")
        view_menu.addActions([self.search, self.back, self.sync])
        view_menu.addSeparator()
        view_menu.addAction(self.dashboard)
        case_menu = bar.addMenu("&Case")
        case_menu.addAction(case_actions.act_apply)
        case_menu.addMenu(case_actions.apply_menu)
        case_menu.addSeparator()
        case_menu.addAction(case_actions.act_resolve)
        if printing is not None:
            case_menu.addSeparator()
            case_menu.addActions([printing.act_ticket, printing.act_label, printing.act_pdf])
        help_menu = bar.addMenu("&Help")
        help_menu.addActions([self.manual, self.shortcuts, self.about])

        toolbar = QToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        window.addToolBar(toolbar)
        toolbar.addWidget(case_actions.apply_button)
        self.user_label = QLabel()
        self.user_label.setObjectName("userLabel")
        self.user_label.setContentsMargins(12, 0, 12, 0)
        if demo_users is not None:
            toolbar.addSeparator()
            caption = QLabel("Demo — try as: ")
            caption.setContentsMargins(8, 0, 0, 0)
            toolbar.addWidget(caption)
            toolbar.addWidget(demo_users)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        toolbar.addWidget(self.user_label)
