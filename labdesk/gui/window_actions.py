"""The main window's work on cases, through the action dialogs.

One case: a command from the case detail's action bar opens its dialog (reject with a reason,
QC checklist, ship, …) and what the dialog builds goes to the outbox. Several cases: the
inbox's selection and "Apply to selected" offer the steps one confirmation may take for them
(each with how many of the selected cases it applies to; the others are listed as skipped,
with why), and the result lists every case. Conflicts: from the case's banner or the
"Needs attention" queue, the person's action next to the case as it is now, applied again or
discarded.

The dialogs and their services are imported on first use, so a start from the cache does not
pay for them.

It knows no window: what it needs from the screen (the inbox's selection, the case on show,
the scan snapshot, where a menu opens) comes in through the constructor as callables, so it is
built and tested alone and the window imports it, never the other way round.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from labdesk.client.inbox_queues import Queue
from labdesk.domain.lifecycle import ACTION_LABELS, Action

if TYPE_CHECKING:
    from labdesk.client.actions import Command
    from labdesk.client.inbox_rows import InboxRow
    from labdesk.client.state import CaseView
    from labdesk.gui.dialogs.run_action import ActionFlow, SnapshotProvider
    from labdesk.services.workstation import Workstation

APPLY_KEYS: Final = "Ctrl+Shift+B"  # B for bulk; the single-case keys are Ctrl+Shift+letter


class WindowActions(QObject):
    """Runs the action dialogs for the window; keeps what the dialogs need to know."""

    flow_started = Signal(object)  # ActionFlow: a dialog flow began (tests and tools follow it)

    def __init__(
        self,
        workstation: Workstation,
        *,
        dialog_parent: QWidget,
        selected_rows: Callable[[], list[InboxRow]],
        selection_usable: Callable[[], bool],
        current_queue: Callable[[], Queue],
        menu_position: Callable[[], QPoint],
        shown_case: Callable[[], CaseView | None],
        scan_snapshot: Callable[[], SnapshotProvider | None],
    ) -> None:
        """``selection_usable``: the inbox is on screen with cases selected (the only time
        "Apply to selected" means something); ``shown_case``: the case in the detail, if any;
        ``scan_snapshot``: how to grab the scan view, when it can be grabbed. The actions are
        added to ``dialog_parent`` (their shortcuts work in its window) and the dialogs are
        its children."""
        super().__init__(dialog_parent)
        self.ws = workstation
        self.dialog_parent = dialog_parent
        self._selected_rows = selected_rows
        self._selection_usable = selection_usable
        self._current_queue = current_queue
        self._menu_position = menu_position
        self._shown_case = shown_case
        self._scan_snapshot = scan_snapshot
        # case id -> ids of the files the person opened in the detail (the accept summary
        # says which were reviewed and which not yet)
        self.opened_files: dict[int, set[int]] = {}
        self.flow: ActionFlow | None = None  # the last one started

        self.apply_menu = QMenu("&Apply to selected", dialog_parent)
        self.apply_menu.setObjectName("applyMenu")
        self.apply_menu.aboutToShow.connect(self.on_apply_menu_about_to_show)
        self.act_apply = QAction("&Apply to selected…", dialog_parent)
        self.act_apply.setObjectName("applyToSelectedAction")
        self.act_apply.setShortcut(QKeySequence(APPLY_KEYS))
        self.act_apply.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.act_apply.setToolTip("Apply one step to the cases selected in the inbox")
        self.act_apply.triggered.connect(self.on_apply_triggered)
        dialog_parent.addAction(self.act_apply)
        self.act_resolve = QAction("&Resolve conflicts…", dialog_parent)
        self.act_resolve.setObjectName("resolveConflictsAction")
        self.act_resolve.triggered.connect(self.on_resolve_triggered)

        self.apply_button = QToolButton()
        self.apply_button.setObjectName("applyButton")
        self.apply_button.setText("Apply to selected")
        native = QKeySequence(APPLY_KEYS).toString(QKeySequence.SequenceFormat.NativeText)
        self.apply_button.setToolTip(
            f"Apply one step to the cases selected in the inbox ({native}); "
            "Shift+click or Ctrl+click selects several"
        )
        self.apply_button.setMenu(self.apply_menu)
        self.apply_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.update_enabled()

    # --- one case ---------------------------------------------------------------------------

    def note_file_opened(self, case_id: int, file_id: int) -> None:
        self.opened_files.setdefault(case_id, set()).add(file_id)

    def act_on_case(self, view: CaseView, command: Command) -> ActionFlow:
        """Open the dialog for ``command`` on the case shown in the detail."""
        from labdesk.gui.dialogs.run_action import run_action

        flow = run_action(
            self.dialog_parent,
            self.ws,
            view.case,
            command,
            snapshot=self._scan_snapshot(),
            opened_file_ids=frozenset(self.opened_files.get(view.case.id, ())),
        )
        return self._follow(flow)

    def on_detail_action_clicked(self, case_id: int, command: Command) -> None:
        view = self._shown_case()
        if view is None or view.case.id != case_id:
            return  # another case is on show by now
        self.act_on_case(view, command)

    def on_detail_reject_prefilled(self, case_id: int, code: str, note: str) -> None:
        """The scan review found a reason to reject: open the reject dialog with it, the note
        and a snapshot of the view as it is (the clearance map) already filled in."""
        view = self._shown_case()
        if view is None or view.case.id != case_id:
            return
        snapshot = self._scan_snapshot()
        flow = self.act_on_case(view, Action.REJECT)

        def prefill(dialog: Any) -> None:
            dialog.select_reason(code)
            dialog.ui.noteEdit.setPlainText(note)
            image = snapshot() if snapshot is not None else None
            if image is not None and not image.isNull():
                dialog.add_snapshot(image, "clearance-map.png")

        if flow.dialog is not None:
            prefill(flow.dialog)
        else:
            flow.dialog_opened.connect(prefill)

    # --- several cases ----------------------------------------------------------------------

    def update_enabled(self) -> None:
        usable = self._selection_usable()
        self.act_apply.setEnabled(usable)
        self.apply_button.setEnabled(usable)

    def on_apply_triggered(self) -> None:
        if not self.act_apply.isEnabled():
            return
        self.apply_menu.popup(self._menu_position())

    def on_apply_menu_about_to_show(self) -> None:
        """The steps for the selection, asked of the lifecycle each time the menu opens."""
        from labdesk.client.bulk import bulk_choices

        menu = self.apply_menu
        menu.clear()
        rows = self._selected_rows()
        choices = bulk_choices(rows, self.ws.roles) if rows else []
        if not rows:
            menu.addAction("Select cases in the inbox first").setEnabled(False)
        elif not choices:
            menu.addAction("No step of yours applies to the selected cases").setEnabled(False)
        for action, n in choices:
            many = f"{n} case{'s' if n != 1 else ''}" if n == len(rows) else f"{n} of {len(rows)}"
            label = ACTION_LABELS[action].replace("&", "&&")
            entry = menu.addAction(f"{label} — {many}")
            entry.setObjectName(f"apply_{action.value}")
            entry.setData(action.value)
            if n < len(rows):
                entry.setToolTip("The other selected cases are skipped; the dialog says why.")
            entry.triggered.connect(lambda _=False, a=action: self.apply_to_selected(a))
        menu.setToolTipsVisible(True)

    def apply_to_selected(self, action: Action) -> ActionFlow | None:
        """Confirm ``action`` for the inbox's selected cases, then apply it to each."""
        from labdesk.gui.dialogs.run_action import run_bulk

        rows = self._selected_rows()
        if not rows:
            return None
        return self._follow(run_bulk(self.dialog_parent, self.ws, rows, action))

    # --- conflicts --------------------------------------------------------------------------

    def resolve(self, case_id: int | None) -> ActionFlow:
        """The conflicts of ``case_id`` (or all), one after the other."""
        from labdesk.gui.dialogs.run_action import resolve_conflicts

        return self._follow(resolve_conflicts(self.dialog_parent, self.ws, case_id))

    def on_resolve_triggered(self) -> None:
        """The selected case's conflicts when one is selected under "Needs attention";
        otherwise all of them."""
        rows = [r for r in self._selected_rows() if r.needs_attention]
        in_queue = self._current_queue() is Queue.NEEDS_ATTENTION
        self.resolve(rows[0].case_id if in_queue and len(rows) == 1 else None)

    # --- flows ------------------------------------------------------------------------------

    def _follow(self, flow: ActionFlow) -> ActionFlow:
        self.flow = flow
        if flow.ended:
            flow.deleteLater()
        else:
            flow.finished.connect(flow.deleteLater)
        self.flow_started.emit(flow)
        return flow
