"""What the main window calls: open the right dialog for an action (or a change of the lab's
fields), then queue what it built through the workstation facade's outbox.

    flow = run_action(parent, workstation, case, Action.REJECT, snapshot=detail.scan_snapshot)
    flow = run_bulk(parent, workstation, inbox_rows, Action.SEND_TO_QC)
    flow = resolve_conflicts(parent, workstation, case_id)

Dialogs are opened window-modal with ``open()``, never ``exec()``: nothing blocks, and the
returned :class:`ActionFlow` tells what happened (``dialog_opened``, ``finished``). An action
this person may not take on this case opens nothing: the lifecycle is asked first.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from labdesk.api.schemas import ActionRequest, Case, CasePatch
from labdesk.client import offers, patches
from labdesk.client.bulk import BulkCase, BulkResult, conflict_view, plan_bulk
from labdesk.client.inbox_rows import InboxRow
from labdesk.client.offers import Command, Edit
from labdesk.client.state import ConflictItem
from labdesk.domain.lifecycle import ACTION_LABELS, Action
from labdesk.gui.dialogs.accept_dialog import AcceptDialog
from labdesk.gui.dialogs.assign_dialog import AssignDialog
from labdesk.gui.dialogs.bulk_dialog import BulkDialog
from labdesk.gui.dialogs.bulk_result_dialog import BulkResultDialog
from labdesk.gui.dialogs.conflict_dialog import Choice, ConflictDialog
from labdesk.gui.dialogs.expected_date_dialog import ExpectedDateDialog
from labdesk.gui.dialogs.qc_dialog import QcDialog
from labdesk.gui.dialogs.reason_dialog import REASON_ACTIONS, ReasonDialog
from labdesk.gui.dialogs.reject_dialog import RejectDialog
from labdesk.gui.dialogs.ship_dialog import ShipDialog
from labdesk.gui.dialogs.step_dialog import StepDialog
from labdesk.gui.dialogs.tags_memo_dialog import TagsMemoDialog
from labdesk.services.bulk_run import BulkRun
from labdesk.services.workstation import Workstation

SnapshotProvider = Callable[[], QImage | None]
STEP_ACTIONS = frozenset(
    {
        Action.START_PRODUCTION,
        Action.START_FINISHING,
        Action.SEND_TO_QC,
        Action.RESUME,
        Action.DELIVER,
    }
)


class ActionFlow(QObject):
    """One action from dialog to outbox. ``finished`` carries what was queued (an
    ``ActionRequest``, a ``CasePatch``, a :class:`BulkResult`) or None when cancelled."""

    dialog_opened = Signal(object)  # QDialog
    finished = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dialog: QDialog | None = None
        self.result_dialog: BulkResultDialog | None = None
        self.bulk: BulkRun | None = None
        self.outcome: Any = None
        self.ended = False

    def show(self, dialog: QDialog, on_accepted: Callable[[], None]) -> None:
        self.dialog = dialog

        def on_finished(code: int) -> None:
            if code == QDialog.DialogCode.Accepted:
                on_accepted()
            elif not self.ended:
                self.end(None)
            if self.dialog is dialog:
                self.dialog = None
            dispose(dialog)

        dialog.finished.connect(on_finished)
        dialog.open()
        self.dialog_opened.emit(dialog)

    def end(self, outcome: Any) -> None:
        self.outcome, self.ended = outcome, True
        self.finished.emit(outcome)


def dispose(dialog: QDialog) -> None:
    """Free a finished dialog: a shift opens hundreds. One without a parent belongs to
    Python and goes with its last reference (``deleteLater`` on it would delete it twice)."""
    if dialog.parent() is not None:
        dialog.deleteLater()


_SHOWN: set[QMessageBox] = set()  # keeps a parentless message alive while it shows


def _explain(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    box = QMessageBox(
        QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent
    )
    _SHOWN.add(box)
    box.finished.connect(lambda _code: _SHOWN.discard(box))
    box.open()
    return box


def run_action(
    parent: QWidget | None,
    workstation: Workstation,
    case: Case,
    command: Command,
    *,
    snapshot: SnapshotProvider | None = None,
    opened_file_ids: Collection[int] = (),
) -> ActionFlow:
    """Open the dialog for ``command`` on ``case``; what it builds goes to the outbox."""
    roles = workstation.roles
    notation = str(workstation.settings.tooth_notation)
    flow = ActionFlow(parent)
    menu = offers.offers(case, roles)  # the lifecycle is asked once; the dialogs get its answer
    refusal = menu.refusal(command)
    if refusal is not None:
        _explain(parent, offers.command_label(command), refusal)
        flow.end(None)
        return flow
    offer = menu.lifecycle

    def queue(request: ActionRequest, files: Sequence[tuple[str, bytes, str]] = ()) -> None:
        workstation.actions.queue_action(case.id, request, attachments=files)
        flow.end(request)

    def patch(built: CasePatch) -> None:
        if patches.patch_is_empty(built):  # nothing changed: nothing to send
            flow.end(None)
            return
        workstation.actions.queue_patch(case.id, built)
        flow.end(built)

    if command is Action.ACCEPT:
        accept = AcceptDialog(
            case, offer, notation=notation, opened_file_ids=opened_file_ids, parent=parent
        )
        flow.show(accept, lambda: queue(accept.request()))
    elif command is Action.REJECT:

        def open_reject(reasons: Any) -> None:
            dialog = RejectDialog(
                case, reasons, snapshot=snapshot, tasks=workstation.tasks, parent=parent
            )
            flow.show(dialog, lambda: queue(dialog.request(), dialog.attachment_files()))

        workstation.actions.rejection_reasons(open_reject)
    elif command in REASON_ACTIONS:
        assert isinstance(command, Action)
        reason_dialog = ReasonDialog(case, REASON_ACTIONS[command], parent)
        flow.show(reason_dialog, lambda: queue(reason_dialog.request()))
    elif command in (Action.QC_PASS, Action.QC_FAIL):
        qc_dialog = QcDialog(case, offer, parent)
        flow.show(qc_dialog, lambda: queue(qc_dialog.request()))
    elif command is Action.SHIP:
        ship = ShipDialog(case, parent)
        flow.show(ship, lambda: queue(ship.request()))
    elif command in STEP_ACTIONS:
        assert isinstance(command, Action)
        step = StepDialog(case, command, offer, parent)
        flow.show(step, lambda: queue(step.request()))
    elif command is Edit.EXPECTED_DATE:
        expected = ExpectedDateDialog(case, parent)
        flow.show(expected, lambda: patch(expected.patch()))
    elif command is Edit.TAGS_MEMO:
        tags = TagsMemoDialog(case, parent)
        flow.show(tags, lambda: patch(tags.patch()))
    elif command is Edit.ASSIGN:

        def open_assign(people: Any) -> None:
            dialog = AssignDialog(case, people, parent)
            flow.show(dialog, lambda: patch(dialog.patch()))

        def no_people(exc: BaseException) -> None:
            _explain(parent, "Assign", f"The list of people could not be loaded: {exc}")
            flow.end(None)

        workstation.actions.people(open_assign, no_people)
    else:  # pragma: no cover - every offered command has a dialog
        flow.end(None)
    return flow


def run_bulk(
    parent: QWidget | None,
    workstation: Workstation,
    cases: Sequence[Case | InboxRow | BulkCase],
    action: Action,
) -> ActionFlow:
    """Apply one step to the selected cases (full cases or the inbox's rows), each on its
    own; the cases it does not apply to are listed as skipped, with why, and the result
    lists every case."""
    roles = workstation.roles
    flow = ActionFlow(parent)
    try:
        plan = plan_bulk(cases, action, roles)
    except ValueError as exc:
        _explain(parent, ACTION_LABELS[action], offers.sentence(str(exc)))
        flow.end(None)
        return flow
    dialog = BulkDialog(plan, roles, parent)

    def start() -> None:
        run = BulkRun(workstation, plan, dialog.request())
        flow.bulk = run
        result = BulkResultDialog(run.result, parent)
        result.finished.connect(lambda _code: dispose(result))
        flow.result_dialog = result
        run.progressed.connect(result.show_progress)

        def finished(final: BulkResult) -> None:
            result.show_result(final)
            flow.end(final)
            run.deleteLater()  # its work is done; the result dialog keeps the result

        run.finished.connect(finished)
        result.open()
        run.start()

    flow.show(dialog, start)
    return flow


def resolve_conflicts(
    parent: QWidget | None, workstation: Workstation, case_id: int | None = None
) -> ActionFlow:
    """Walk through the conflicts (of one case, or all): apply again, discard, or later.

    ``finished`` carries the list of (conflict id, choice) made.
    """
    flow = ActionFlow(parent)
    choices: list[tuple[int, Choice]] = []

    def show_next(items: list[ConflictItem]) -> None:
        if not items:
            flow.end(choices)
            return
        item, rest = items[0], items[1:]
        view = conflict_view(
            item.intent,
            item.base_version,
            item.kind,
            item.message,
            item.current,
            workstation.roles,
            made_at=item.made_at,
        )
        dialog = ConflictDialog(view, parent)

        def on_finished(_code: int) -> None:
            choice = dialog.choice
            flow.dialog = None
            dispose(dialog)
            choices.append((item.conflict_id, choice))
            if choice is Choice.LATER:
                show_next(rest)
            else:
                apply_again = choice is Choice.APPLY_AGAIN
                workstation.actions.resolve_conflict(
                    item.conflict_id, apply_again, lambda _: show_next(rest)
                )

        dialog.finished.connect(on_finished)
        flow.dialog = dialog
        dialog.open()
        flow.dialog_opened.emit(dialog)

    workstation.actions.conflicts(case_id, show_next)
    return flow
