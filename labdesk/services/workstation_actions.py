"""The workstation facade's actions: the outbox (one action or many, changes of the lab's own
fields, how far each got, with the files attached), the conflicts that come back, and the
portal's reference lists.

:class:`~labdesk.services.workstation.Workstation` is built on this class, so the window and
the action dialogs call these on the facade (``workstation.queue_action(...)``); it is a
module of its own only to keep the facade's modules short. Every method returns at once and
answers on the GUI thread; the work itself is in :mod:`labdesk.client.casework`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from labdesk.client import casework as acc
from labdesk.client.state import QueuedAction
from labdesk.services.tasks import Task, TaskRunner

if TYPE_CHECKING:
    from labdesk.api.schemas import ActionRequest, CasePatch
    from labdesk.services.sync_worker import SyncService

log = logging.getLogger(__name__)

Callback = Callable[[Any], None]
NOT_SIGNED_IN = "Sign in first: there is no account open."


class WorkstationActions(QObject):
    """The part of the facade that acts on cases; the facade sets the attributes below."""

    case_changed = Signal(int)  # a case's cached copy changed
    action_queued = Signal(int)  # case id
    action_failed = Signal(int, str)  # case id, message

    tasks: TaskRunner
    _opened: acc.Opened | None
    _service: SyncService | None
    _open_case: int | None
    _reload: QTimer  # reloads the inbox shortly

    # --- actions, through the outbox --------------------------------------------------------

    def queue_action(
        self,
        case_id: int,
        request: ActionRequest,
        on_done: Callback | None = None,
        *,
        attachments: Sequence[tuple[str, bytes, str]] = (),
    ) -> Task | None:
        """Put an action in the outbox now (shown as pending at once), then push it soon.

        ``attachments`` (``(filename, bytes, media_type)``, already cleaned) are kept locally
        with the action and uploaded by the sync before it is sent: offline works too.
        ``on_done(outbox id, or None when it was not queued)``; ``action_queued`` or
        ``action_failed`` tell the window too. The outbox is written from a task, not by the
        sync thread, so a sync waiting on a slow portal never delays it.
        """

        def done(queued: list[QueuedAction]) -> None:
            if on_done is not None:
                on_done(queued[0].outbox_id)

        return self.queue_actions([(case_id, request)], on_done=done, attachments=attachments)

    def queue_actions(
        self,
        requests: Sequence[tuple[int, ActionRequest | CasePatch]],
        on_done: Callback | None = None,
        *,
        attachments: Sequence[tuple[str, bytes, str]] = (),
    ) -> Task | None:
        """Several actions or changes (a bulk step), each into the outbox on its own;
        ``on_done`` gets a :class:`QueuedAction` per request, in order. They go out in one
        sync round."""
        batch = list(requests)
        account = self._opened

        def done(queued: list[QueuedAction]) -> None:
            for entry in queued:
                if entry.outbox_id is None:
                    self.action_failed.emit(entry.case_id, entry.error)
                else:
                    self.action_queued.emit(entry.case_id)
            self._reload.start()
            taken = {q.case_id for q in queued if q.outbox_id is not None}
            if self._open_case in taken:
                self.case_changed.emit(self._open_case)
            if taken and self._service is not None:
                self._service.push_soon()
            if on_done is not None:
                on_done(queued)

        def failed(exc: BaseException) -> None:
            done([QueuedAction(case_id, None, str(exc)) for case_id, _request in batch])

        if account is None:
            failed(RuntimeError(NOT_SIGNED_IN))
            return None
        return self.tasks.run(
            lambda: acc.queue_actions(account, batch, list(attachments)),
            on_done=done,
            on_error=failed,
            name="queue-actions",
        )

    def action_outcomes(
        self, outbox_ids: Collection[int], on_done: Callback, on_error: Callback | None = None
    ) -> Task | None:
        """``on_done({outbox id: ActionOutcome})``: queued, done, conflict or refused."""
        account, ids = self._opened, list(outbox_ids)
        if account is None:
            on_done({})
            return None
        return self.tasks.run(
            lambda: acc.action_outcomes(account, ids),
            on_done=on_done,
            on_error=on_error,
            name="action-outcomes",
        )

    def conflicts(self, case_id: int | None, on_done: Callback) -> Task | None:
        """``on_done([ConflictItem])``: the unresolved conflicts of one case, or all."""
        account = self._opened
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
        on_done: Callback,
        on_error: Callback | None = None,
    ) -> Task | None:
        """Apply the person's action again on the case as it is now (a new outbox entry), or
        discard it; ``on_done(None)``."""
        account = self._opened
        if account is None:
            (on_error or on_done)(RuntimeError(NOT_SIGNED_IN))
            return None

        def done(_: object) -> None:
            self._reload.start()
            if self._service is not None:
                self._service.push_soon()
            on_done(None)

        return self.tasks.run(
            lambda: acc.resolve_conflict(account, conflict_id, apply_again),
            on_done=done,
            on_error=on_error or on_done,
            name="conflict",
        )

    def queue_patch(
        self, case_id: int, patch: CasePatch, on_done: Callback | None = None
    ) -> Task | None:
        """Change the lab's fields of a case (expected date, assignee, tags, memo) through the
        outbox, like an action: shown at once as pending, sent with If-Match, a conflict when
        someone changed the case first. ``on_done(outbox id, or None)``."""

        def done(queued: list[QueuedAction]) -> None:
            if on_done is not None:
                on_done(queued[0].outbox_id)

        return self.queue_actions([(case_id, patch)], on_done=done)

    # --- the portal's reference lists -------------------------------------------------------

    def rejection_reasons(self, on_done: Callback) -> Task | None:
        """The portal's catalog; the built-in copy when the portal cannot be asked."""
        from labdesk.client.actions import default_reasons

        account = self._opened
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

    def people(self, on_done: Callback, on_error: Callback) -> Task | None:
        """The lab's people a case can be assigned to; ``on_done([schemas.Person])``."""
        account = self._opened
        if account is None:
            on_error(RuntimeError(NOT_SIGNED_IN))
            return None
        return self.tasks.run(
            lambda: acc.people(account), on_done=on_done, on_error=on_error, name="people"
        )
