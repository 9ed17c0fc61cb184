"""One step for many cases, followed through the outbox until each case has its outcome.

The plan (:mod:`labdesk.client.bulk`) says which cases the step applies to; here the
step is queued for those through the workstation facade (each case on its own) and the
outbox is asked how far each entry got until every one is done, a conflict or refused — or
until the portal cannot be reached, when the rest waits in the outbox and goes out later.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QObject, QTimer, Signal

from labdesk.api.schemas import ActionRequest
from labdesk.client.bulk import BulkPlan, BulkResult, CaseOutcome, Outcome
from labdesk.client.state import ActionOutcome, OutboxState, QueuedAction

if TYPE_CHECKING:
    from labdesk.services.workstation import Workstation

log = logging.getLogger(__name__)

BULK_POLL_MS: Final = 200
BULK_TIMEOUT_MS: Final = 60_000

_OUTCOMES: Final[dict[OutboxState, Outcome]] = {
    OutboxState.DONE: Outcome.DONE,
    OutboxState.CONFLICT: Outcome.CONFLICT,
    OutboxState.REFUSED: Outcome.REFUSED,
}


class BulkRun(QObject):
    """One step queued for many cases; reports each case's end as the outbox learns it.

    ``progressed`` carries the :class:`BulkResult` so far, ``finished`` the final one: when
    every entry was applied or became a conflict, or when the portal cannot be reached (the
    rest then waits in the outbox and goes out later), or after ``BULK_TIMEOUT_MS``.
    """

    progressed = Signal(object)  # BulkResult
    finished = Signal(object)  # BulkResult

    def __init__(self, workstation: Workstation, plan: BulkPlan, request: ActionRequest) -> None:
        super().__init__(workstation)
        self.workstation = workstation
        self.plan = plan
        self.request = request
        self.result = BulkResult.from_plan(plan)
        self.entries: dict[int, int] = {}  # outbox id -> case id
        self.done = False
        self._saw_sync = False
        self._checking = False
        self._connected = False
        self._poll = QTimer(self)
        self._poll.setInterval(BULK_POLL_MS)
        self._poll.timeout.connect(self.on_poll_timeout)
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.setInterval(BULK_TIMEOUT_MS)
        self._deadline.timeout.connect(self.on_deadline_timeout)

    def start(self) -> None:
        if not self.plan.eligible:
            self._finish()
            return
        requests = [(case.id, self.request) for case in self.plan.eligible]
        self.workstation.actions.queue_actions(requests, on_done=self.on_queued)

    def _number(self, case_id: int) -> str:
        return self.result.outcomes[case_id].number

    def on_queued(self, queued: list[QueuedAction]) -> None:
        for entry in queued:
            if entry.outbox_id is None:
                number = self._number(entry.case_id)
                self.result.set(CaseOutcome(entry.case_id, number, Outcome.REFUSED, entry.error))
            else:
                self.entries[entry.outbox_id] = entry.case_id
        if not self.entries:
            self._finish()
            return
        self.workstation.status_changed.connect(self.on_workstation_status_changed)
        self._connected = True
        self.progressed.emit(self.result)
        self._poll.start()
        self._deadline.start()

    def on_workstation_status_changed(self, _status: object) -> None:
        self._saw_sync = True
        self.on_poll_timeout()

    def on_poll_timeout(self) -> None:
        if self.done or self._checking:
            return
        if self.workstation.session is None:  # signed out meanwhile: what is queued stays
            self._finish()
            return
        self._checking = True
        self.workstation.actions.action_outcomes(
            list(self.entries), self.on_outcomes_checked, self.on_outcomes_failed
        )

    def on_outcomes_checked(self, outcomes: dict[int, ActionOutcome]) -> None:
        self._checking = False
        for outbox_id, outcome in outcomes.items():
            result = _OUTCOMES.get(outcome.state)
            case_id = self.entries.get(outbox_id)
            if result is None or case_id is None:
                continue  # still queued
            self.result.set(CaseOutcome(case_id, self._number(case_id), result, outcome.message))
        self.progressed.emit(self.result)
        status = self.workstation.status
        if self.result.finished or (self._saw_sync and status.online is False):
            self._finish()

    def on_outcomes_failed(self, exc: BaseException) -> None:
        self._checking = False
        log.warning("bulk step: could not read the outbox: %s", exc)

    def on_deadline_timeout(self) -> None:
        self._finish()

    def _finish(self) -> None:
        if self.done:
            return
        self.done = True
        self._poll.stop()
        self._deadline.stop()
        if self._connected:
            self._connected = False
            self.workstation.status_changed.disconnect(self.on_workstation_status_changed)
        self.finished.emit(self.result)
