"""A workstation's case actions: the outbox (one action or many, changes of the lab's own
fields, how far each got, with the files attached), the conflicts that come back, and the
portal's reference lists.

The :class:`~labdesk.services.workstation.Workstation` *has* one (``workstation.actions``), and
hands it what it needs to know, as callables, because it changes while the workstation lives:
the open account, its sync service, the case on screen, and how to reload the inbox. The window
and the action dialogs call ``workstation.actions.queue_action(...)``. Every method returns at
once and answers on the GUI thread; the work itself is in :mod:`labdesk.client.casework`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from labdesk.client import casework as acc
from labdesk.client.state import ActionOutcome, ConflictItem, QueuedAction
from labdesk.domain.lifecycle import Action
from labdesk.errors import NotSignedIn
from labdesk.services.tasks import ErrorCallback, Task, TaskRunner

if TYPE_CHECKING:
    from labdesk.api.schemas import ActionRequest, CasePatch, ReasonOut
    from labdesk.api.schemas import Person as Worker
    from labdesk.client.account import Account
    from labdesk.services.sync_worker import SyncService

log = logging.getLogger(__name__)

#: ``(filename, bytes, media_type)`` of a cleaned attachment that travels with an action.
AttachmentFile = tuple[str, bytes, str]


class CaseActions(QObject):
    """Acts on the cases of the account the workstation has open."""

    case_changed = Signal(int)  # the case on screen changed by an action queued here
    action_queued = Signal(int)  # case id
    action_failed = Signal(int, str)  # case id, message
    accept_queued = Signal(int)  # case id: an accept went to the outbox (its ticket may print)

    def __init__(
        self,
        tasks: TaskRunner,
        *,
        account: Callable[[], Account | None],
        sync: Callable[[], SyncService | None],
        open_case: Callable[[], int | None],
        reload_inbox_soon: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self._account, self._sync, self._open_case = account, sync, open_case
        self._reload_inbox_soon = reload_inbox_soon

    def _push_soon(self) -> None:
        service = self._sync()
        if service is not None:
            service.push_soon()

    # --- actions, through the outbox --------------------------------------------------------

    def queue_action(
        self,
        case_id: int,
        request: ActionRequest,
        on_done: Callable[[int | None], None] | None = None,
        *,
        attachments: Sequence[AttachmentFile] = (),
    ) -> Task[list[QueuedAction]] | None:
        """Put an action in the outbox now (shown as pending at once), then push it soon.

        ``attachments`` (already cleaned) are kept locally with the action and uploaded by the
        sync before it is sent: offline works too. ``on_done(outbox id, or None when it was
        not queued)``; ``action_queued`` or ``action_failed`` tell the window too. The outbox
        is written from a task, not by the sync thread, so a sync waiting on a slow portal
        never delays it.
        """

        def done(queued: list[QueuedAction]) -> None:
            if on_done is not None:
                on_done(queued[0].outbox_id)

        return self.queue_actions([(case_id, request)], on_done=done, attachments=attachments)

    def queue_actions(
        self,
        requests: Sequence[tuple[int, ActionRequest | CasePatch]],
        on_done: Callable[[list[QueuedAction]], None] | None = None,
        *,
        attachments: Sequence[AttachmentFile] = (),
    ) -> Task[list[QueuedAction]] | None:
        """Several actions or changes (a bulk step), each into the outbox on its own;
        ``on_done`` gets a :class:`QueuedAction` per request, in order. They go out in one
        sync round."""
        batch = list(requests)
        account = self._account()

        def done(queued: list[QueuedAction]) -> None:
            for entry, (_, request) in zip(queued, batch, strict=False):
                if entry.outbox_id is None:
                    self.action_failed.emit(entry.case_id, entry.error)
                    continue
                self.action_queued.emit(entry.case_id)
                if getattr(request, "action", None) == Action.ACCEPT:
                    self.accept_queued.emit(entry.case_id)
            self._reload_inbox_soon()
            taken = {q.case_id for q in queued if q.outbox_id is not None}
            open_case = self._open_case()
            if open_case is not None and open_case in taken:
                self.case_changed.emit(open_case)
            if taken:
                self._push_soon()
            if on_done is not None:
                on_done(queued)

        def failed(exc: BaseException) -> None:
            from labdesk.errors import person_message

            done([QueuedAction(case_id, None, person_message(exc)) for case_id, _ in batch])

        if account is None:
            failed(NotSignedIn())
            return None
        return self.tasks.run(
            lambda: acc.queue_actions(account, batch, list(attachments)),
            on_done=done,
            on_error=failed,
            name="queue-actions",
        )

    def queue_patch(
        self,
        case_id: int,
        patch: CasePatch,
        on_done: Callable[[int | None], None] | None = None,
    ) -> Task[list[QueuedAction]] | None:
        """Change the lab's fields of a case (expected date, assignee, tags, memo) through the
        outbox, like an action: shown at once as pending, sent with If-Match, a conflict when
        someone changed the case first. ``on_done(outbox id, or None)``."""

        def done(queued: list[QueuedAction]) -> None:
            if on_done is not None:
                on_done(queued[0].outbox_id)

        return self.queue_actions([(case_id, patch)], on_done=done)

    def action_outcomes(
        self,
        outbox_ids: Collection[int],
        on_done: Callable[[dict[int, ActionOutcome]], None],
        on_error: ErrorCallback | None = None,
    ) -> Task[dict[int, ActionOutcome]] | None:
        """``on_done({outbox id: ActionOutcome})``: queued, done, conflict or refused."""
        account, ids = self._account(), list(outbox_ids)
        if account is None:
            on_done({})
            return None
        return self.tasks.run(
            lambda: acc.action_outcomes(account, ids),
            on_done=on_done,
            on_error=on_error,
            name="action-outcomes",
        )

    # --- conflicts --------------------------------------------------------------------------

    def conflicts(
        self, case_id: int | None, on_done: Callable[[list[ConflictItem]], None]
    ) -> Task[list[ConflictItem]] | None:
        """``on_done([ConflictItem])``: the unresolved conflicts of one case, or all."""
        account = self._account()
        if account is None:
            on_done([])
            return None
        return self.tasks.run(
            lambda: acc.conflict_items(account, case_id), on_done=on_done, name="conflicts"
        )

    def resolve_conflict(
        self,
        conflict_id: int,
        apply_again: bool,
        on_done: Callable[[None], None],
        on_error: ErrorCallback | None = None,
    ) -> Task[None] | None:
        """Apply the person's action again on the case as it is now (a new outbox entry), or
        discard it; ``on_done(None)``; without ``on_error`` a failure calls ``on_done`` too."""
        account = self._account()

        def failed(exc: BaseException) -> None:
            if on_error is not None:
                on_error(exc)
            else:
                on_done(None)

        if account is None:
            failed(NotSignedIn())
            return None

        def done(_: None) -> None:
            self._reload_inbox_soon()
            self._push_soon()
            on_done(None)

        return self.tasks.run(
            lambda: acc.resolve_conflict(account, conflict_id, apply_again),
            on_done=done,
            on_error=failed,
            name="conflict",
        )

    # --- the portal's reference lists -------------------------------------------------------

    def rejection_reasons(
        self, on_done: Callable[[list[ReasonOut]], None]
    ) -> Task[list[ReasonOut]] | None:
        """The portal's catalog; the built-in copy when the portal cannot be asked."""
        from labdesk.client.actions import default_reasons

        account = self._account()
        if account is None:
            on_done(default_reasons())
            return None

        def failed(exc: BaseException) -> None:
            log.info("rejection reasons from the portal unavailable (%s); using built-in", exc)
            on_done(default_reasons())

        return self.tasks.run(
            lambda: acc.rejection_reasons(account),
            on_done=on_done,
            on_error=failed,
            name="rejection-reasons",
        )

    def people(
        self, on_done: Callable[[list[Worker]], None], on_error: ErrorCallback
    ) -> Task[list[Worker]] | None:
        """The lab's people a case can be assigned to; ``on_done([schemas.Person])``."""
        account = self._account()
        if account is None:
            on_error(NotSignedIn())
            return None
        return self.tasks.run(
            lambda: acc.people(account), on_done=on_done, on_error=on_error, name="people"
        )
