"""What the action dialogs need from the workstation, asynchronously and on the GUI thread.

Actions go through the facade's outbox (:meth:`Workstation.queue_action`): they work offline,
show as pending, and conflicts land under "Needs attention". The rest — the portal's reason
catalog, the people to assign to, attachment uploads, the lab fields (``PATCH``), the
outcome of each entry of a bulk step — needs the signed-in account's client and cache, which
the facade does not offer publicly yet; :func:`_account` is the one place that reaches for it
(see the module's ``NEEDS`` list for what the facade should offer instead).
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from PySide6.QtCore import QObject, QTimer, Signal

from labdesk.api.schemas import ActionRequest, Case, CasePatch, Person, ReasonOut
from labdesk.domain.reasons import REJECTION_REASONS
from labdesk.services.actions_bulk import BulkPlan, BulkResult, CaseOutcome, Outcome
from labdesk.services.actions_files import Attachment

if TYPE_CHECKING:
    from labdesk.services.workstation import Workstation

log = logging.getLogger(__name__)

Callback = Callable[[Any], None]

# What the workstation facade should offer so this module needs no private access:
NEEDS: Final = (
    "queue_action(case_id, request, on_done=callback(outbox_id))",
    "outbox_outcomes(outbox_ids, on_done=callback({id: (state, conflict kind, message)}))",
    "upload_attachment(case_id, filename, data, media_type, on_done, on_error) -> FileMeta",
    "rejection_reasons(on_done, on_error) / people(on_done, on_error)",
    "queue_patch(case_id, CasePatch) through the outbox (today: PATCH online only)",
    "conflicts(case_id | None, on_done) -> ConflictRecord list",
)

BULK_POLL_MS = 200
BULK_TIMEOUT_MS = 60_000


def _account(workstation: Workstation) -> Any:
    """The signed-in account (``.client``, ``.repo``, ``.engine``); see ``NEEDS``."""
    for name in ("_opened", "_account"):  # the facade's private name for it, old and new
        account = getattr(workstation, name, None)
        if account is not None:
            return account
    raise RuntimeError("Sign in first: there is no account open.")


def default_reasons() -> list[ReasonOut]:
    """The catalog the portal serves (the domain's), for when the portal cannot be asked."""
    return [ReasonOut(code=r.code, label=r.label, note_required=r.note_required)
            for r in REJECTION_REASONS]  # fmt: skip


@dataclass(frozen=True)
class ConflictItem:
    """A conflict as the dialog needs it (plain data; no cache types in the GUI)."""

    conflict_id: int
    case_id: int
    intent: ActionRequest
    base_version: int | None
    kind: str
    message: str
    current: Case


class ActionBackend:
    """The workstation, as the action dialogs see it."""

    def __init__(self, workstation: Workstation) -> None:
        self.workstation = workstation

    @property
    def roles(self) -> frozenset[str]:
        return self.workstation.roles

    @property
    def notation(self) -> str:
        return str(self.workstation.settings.tooth_notation)

    def _run(
        self, fn: Callable[[], Any], on_done: Callback, on_error: Callback | None, name: str
    ) -> None:
        self.workstation.tasks.run(fn, on_done=on_done, on_error=on_error, name=name)

    # --- actions --------------------------------------------------------------------------

    def queue(self, case_id: int, request: ActionRequest) -> None:
        """Into the outbox; the facade's ``action_queued`` / ``action_failed`` answer."""
        self.workstation.queue_action(case_id, request)

    def patch(
        self, case: Case, patch: CasePatch, on_done: Callback, on_error: Callback | None = None
    ) -> None:
        """Change the lab's fields of ``case`` on the portal (If-Match: the case's version)."""
        try:
            account = _account(self.workstation)
        except RuntimeError as exc:
            if on_error is not None:
                on_error(exc)
            return

        def work() -> Case:
            updated: Case = account.client.patch_case(case.id, patch, version=case.version)
            account.repo.store_case(updated)
            return updated

        def done(updated: Case) -> None:
            self.workstation.reload_inbox()
            self.workstation.case_changed.emit(updated.id)
            on_done(updated)

        self._run(work, done, on_error, "patch-case")

    # --- reference data -------------------------------------------------------------------

    def rejection_reasons(self, on_done: Callback) -> None:
        """The portal's catalog; the built-in copy when the portal cannot be reached."""
        try:
            account = _account(self.workstation)
        except RuntimeError:
            on_done(default_reasons())
            return

        def failed(exc: BaseException) -> None:
            log.info("rejection reasons from the portal unavailable (%s); using built-in", exc)
            on_done(default_reasons())

        self._run(account.client.rejection_reasons, on_done, failed, "rejection-reasons")

    def people(self, on_done: Callback, on_error: Callback) -> None:
        try:
            account = _account(self.workstation)
        except RuntimeError as exc:
            on_error(exc)
            return

        def work() -> list[Person]:
            people: list[Person] = account.client.people()
            return people

        self._run(work, on_done, on_error, "people")

    # --- attachments ----------------------------------------------------------------------

    def uploader(self, case_id: int) -> Callable[[Sequence[Attachment], Callback, Callback], None]:
        """Uploads cleaned attachments of ``case_id`` one by one; answers with their ids."""

        def upload(items: Sequence[Attachment], on_done: Callback, on_error: Callback) -> None:
            try:
                account = _account(self.workstation)
            except RuntimeError as exc:
                on_error(exc)
                return
            batch = list(items)

            def work() -> list[int]:
                ids: list[int] = []
                with tempfile.TemporaryDirectory(prefix="labdesk-attach-") as folder:
                    for item in batch:
                        path = Path(folder) / item.filename
                        path.write_bytes(item.data)
                        ids.append(int(account.client.upload_attachment(case_id, path).id))
                        path.unlink()
                return ids

            self._run(work, on_done, on_error, "upload-attachments")

        return upload

    # --- conflicts ------------------------------------------------------------------------

    def conflicts(self, case_id: int | None, on_done: Callback) -> None:
        try:
            account = _account(self.workstation)
        except RuntimeError:
            on_done([])
            return

        def work() -> list[ConflictItem]:
            return [
                ConflictItem(
                    c.id, c.case_id, c.intent, c.base_version, c.kind, c.message, c.server_case
                )
                for c in account.repo.conflicts(case_id=case_id)
            ]

        self._run(work, on_done, None, "conflicts")

    def resolve(self, conflict_id: int, apply_again: bool, on_done: Callback) -> None:
        self.workstation.resolve_conflict(conflict_id, apply_again, on_done)

    # --- bulk -----------------------------------------------------------------------------

    def run_bulk(self, plan: BulkPlan, request: ActionRequest) -> BulkRun:
        run = BulkRun(self, plan, request)
        run.start()
        return run


class BulkRun(QObject):
    """One step queued for many cases; reports each case's end as the outbox learns it.

    ``progressed`` carries the :class:`BulkResult` so far, ``finished`` the final one: when
    every entry was applied or became a conflict, or when the portal cannot be reached (the
    rest then waits in the outbox and goes out later), or after ``BULK_TIMEOUT_MS``.
    """

    progressed = Signal(object)  # BulkResult
    finished = Signal(object)  # BulkResult

    def __init__(self, backend: ActionBackend, plan: BulkPlan, request: ActionRequest) -> None:
        super().__init__(backend.workstation)
        self.backend = backend
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
        try:
            account = _account(self.backend.workstation)
        except RuntimeError as exc:
            self.on_queue_failed(exc)
            return
        engine = account.engine
        cases = [(c.id, c.number) for c in self.plan.eligible]
        request = self.request

        def work() -> tuple[dict[int, int], list[CaseOutcome]]:
            queued: dict[int, int] = {}
            refused: list[CaseOutcome] = []
            for case_id, number in cases:
                try:
                    queued[engine.queue_action(case_id, request)] = case_id
                except Exception as exc:  # lifecycle, missing case, cache: this case only
                    refused.append(CaseOutcome(case_id, number, Outcome.REFUSED, str(exc)))
            return queued, refused

        self.backend._run(work, self.on_queued, self.on_queue_failed, "bulk-queue")

    def on_queued(self, answer: tuple[dict[int, int], list[CaseOutcome]]) -> None:
        queued, refused = answer
        self.entries = queued
        for outcome in refused:
            self.result.set(outcome)
        workstation = self.backend.workstation
        workstation.status_changed.connect(self.on_status_changed)
        self._connected = True
        workstation.reload_inbox()
        workstation.sync_now()
        self.progressed.emit(self.result)
        self._poll.start()
        self._deadline.start()

    def on_queue_failed(self, exc: BaseException) -> None:
        for case in self.plan.eligible:
            self.result.set(CaseOutcome(case.id, case.number, Outcome.REFUSED, str(exc)))
        self._finish()

    def on_status_changed(self, _status: object) -> None:
        self._saw_sync = True
        self.on_poll_timeout()

    def on_poll_timeout(self) -> None:
        if self.done or self._checking:
            return
        try:
            account = _account(self.backend.workstation)
        except RuntimeError:  # signed out meanwhile: what is queued stays queued
            self._finish()
            return
        self._checking = True
        entries = dict(self.entries)
        numbers = {case_id: o.number for case_id, o in self.result.outcomes.items()}

        def work() -> list[CaseOutcome]:
            outcomes: list[CaseOutcome] = []
            for outbox_id, case_id in entries.items():
                entry = account.repo.outbox_entry(outbox_id)
                number = numbers[case_id]
                if entry is None or entry.state == "queued":
                    continue
                if entry.state == "done":
                    outcomes.append(CaseOutcome(case_id, number, Outcome.DONE))
                    continue
                records = account.repo.conflicts(case_id=case_id, unresolved=False)
                record = next((c for c in records if c.outbox_id == outbox_id), None)
                kind = record.kind if record is not None else "stale"
                message = record.message if record is not None else "Not applied."
                outcome = Outcome.REFUSED if kind == "rejected" else Outcome.CONFLICT
                outcomes.append(CaseOutcome(case_id, number, outcome, message))
            return outcomes

        self.backend._run(work, self.on_checked, self.on_check_failed, "bulk-check")

    def on_checked(self, outcomes: list[CaseOutcome]) -> None:
        self._checking = False
        for outcome in outcomes:
            self.result.set(outcome)
        self.progressed.emit(self.result)
        status = self.backend.workstation.status
        if self.result.finished or (self._saw_sync and status.online is False):
            self._finish()

    def on_check_failed(self, exc: BaseException) -> None:
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
            self.backend.workstation.status_changed.disconnect(self.on_status_changed)
        self.finished.emit(self.result)
