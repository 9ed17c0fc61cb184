"""The sync engine: pull the portal's changes, push the outbox, keep files at hand.

No Qt here: :mod:`labdesk.services.sync_worker` runs this on a thread and turns the
:class:`SyncEvents` callbacks into signals. The rules that keep work from being lost:

- an action — or a change of the lab's own fields (expected date, assignee, tags, memo) — is
  written to the outbox (fresh idempotency key, the case version it was made against) before
  anything else happens, and shown at once as pending;
- entries are sent oldest first, one case's entries strictly in order; a lost connection
  keeps the entry and retries it later with the SAME key, so the portal applies it once;
- files attached to an action are kept locally with its entry and uploaded just before it
  is sent, each uploaded id remembered at once, so none is uploaded twice or lost; the portal
  keeps them staged (seen by nobody else) until the action commits, so an action that ends
  in a conflict publishes nothing;
- a 412 or 409 (or a refusal) turns the entry into a conflict holding the person's intent and
  the portal's current case; it is never dropped and never re-sent on its own: the person
  retries it (against the current version, with a new key) or discards it;
- the sync cursor (highest ``seq``) is stored in the same transaction as the page it covers.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

from labdesk.api.client import PortalClient
from labdesk.api.errors import (
    AuthExpired,
    CertificateError,
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    Offline,
    PortalError,
    StaleVersion,
)
from labdesk.api.schemas import ActionRequest, Case, CasePage, CasePatch, User
from labdesk.cache.files import BlobStore
from labdesk.cache.migrations import CacheError
from labdesk.cache.optimistic import ALL_ROLES, Intent, apply_intent, patch_applied
from labdesk.cache.repository import CacheRepository
from labdesk.cache.rows import LocalAttachment, OutboxEntry
from labdesk.client.files import FileCache
from labdesk.domain import lifecycle
from labdesk.domain.lifecycle import Role
from labdesk.domain.required import ActionInputError, check_required

log = logging.getLogger(__name__)

PENDING_BACKOFF_MAX_S = 5.0  # retry at least this often while the outbox has work

IDEMPOTENCY_BUSY = "idempotency_conflict"  # 409: the same key is being handled right now
OUTBOX_FILES = "outbox"  # attachments of queued actions, under the file store's root


@dataclass(frozen=True)
class SyncState:
    """What the status bar shows."""

    online: bool | None  # None until the first attempt
    signed_in: bool
    last_sync_at: datetime | None  # last successful sync (UTC)
    pending: int  # actions waiting to be sent
    conflicts: int  # conflicts waiting for the person
    error: str | None  # the last problem, for a person
    syncing: bool = False


class SyncEvents:
    """Callbacks from the engine (called on the engine's thread). Override what you need."""

    def cases_changed(self, case_ids: list[int]) -> None:
        """Cases whose cached copy (or pending state) changed."""

    def state_changed(self, state: SyncState) -> None:
        """Online/offline, pending counts, last sync time."""

    def conflict_detected(self, case_id: int) -> None:
        """An action on this case was not applied and waits for the person."""

    def download_progress(self, file_id: int, done: int, total: int) -> None:
        """Bytes of a file downloaded so far."""


@dataclass(frozen=True)
class PushResult:
    sent: list[int]  # outbox ids applied by the portal
    conflicts: list[int]  # conflict ids created
    waiting: list[int]  # outbox ids still queued (a server problem on that case)


class SyncEngine:
    """Pull, push and files for one signed-in account.

    One sync runs at a time (a lock). Queuing, retrying and discarding only touch the cache
    (SQLite serialises the writers), so the GUI thread may call them while a sync runs.
    """

    def __init__(
        self,
        client: PortalClient,
        repo: CacheRepository,
        *,
        files: FileCache | None = None,
        events: SyncEvents | None = None,
        page_size: int = 500,
        backoff_base: float = 2.0,
        backoff_max: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.repo = repo
        self.files = files
        self.events = events or SyncEvents()
        self.page_size = page_size
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self._clock = clock
        self._failures = 0
        self._retry_at = 0.0
        self._online: bool | None = None
        self._signed_in = client.signed_in
        self._error: str | None = None
        self._user: User | None = repo.load_user()
        self._lock = threading.RLock()  # one sync at a time

    # --- who -----------------------------------------------------------------------------

    @property
    def user(self) -> User | None:
        return self._user

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(self._user.roles) if self._user is not None else ALL_ROLES

    def set_user(self, user: User) -> None:
        """The person signed in (from the login answer); remembered for offline use."""
        self._user = user
        self._signed_in = True
        self.repo.save_user(user)

    # --- state ---------------------------------------------------------------------------

    def state(self) -> SyncState:
        status = self.repo.sync_status()
        pending, conflicts = self.repo.outbox_counts()
        return SyncState(
            online=self._online,
            signed_in=self._signed_in,
            last_sync_at=status.last_sync_at,
            pending=pending,
            conflicts=conflicts,
            error=self._error,
        )

    def next_attempt_in(self) -> float:
        """Seconds until a sync is worth trying again (0 when now)."""
        return max(0.0, self._retry_at - self._clock())

    # --- the whole round -----------------------------------------------------------------

    def sync(self, *, force: bool = False) -> SyncState:
        """Push the outbox, then pull changes. Never raises for network or portal problems:
        they end up in the returned state (and backoff decides when to try again)."""
        with self._lock:
            if not force and self._clock() < self._retry_at:
                return self.state()
            self.events.state_changed(replace(self.state(), syncing=True))
            try:
                if self._user is None:
                    self.set_user(self.client.me())
                self.push()
                self.pull()
            except (Offline, CertificateError) as exc:
                self._went_offline(exc)
            except AuthExpired as exc:
                self._signed_in = False
                if exc.status is not None:  # the portal said so (not just "no token here")
                    self._online = True
                self._error = str(exc)
                self.repo.record_sync(error=str(exc))
            except PortalError as exc:
                self._online = True
                self._error = str(exc)
                self._schedule_retry()
                self.repo.record_sync(error=str(exc))
            else:
                self._online = True
                self._signed_in = True
                self._error = None
                self._failures = 0
                self._retry_at = 0.0
                self.repo.record_sync()
            state = self.state()
        self.events.state_changed(state)
        return state

    def _went_offline(self, exc: PortalError) -> None:
        self._online = False
        self._error = str(exc)
        self._schedule_retry()
        self.repo.record_sync(error=str(exc))

    def _schedule_retry(self) -> None:
        """Back off after a failure — to at most a few seconds while actions wait to go out
        (the person is waiting for them), longer when there is nothing to send."""
        self._failures += 1
        pending, _ = self.repo.outbox_counts()
        cap = min(self.backoff_max, PENDING_BACKOFF_MAX_S) if pending else self.backoff_max
        delay = min(cap, self.backoff_base * 2 ** (self._failures - 1))
        self._retry_at = self._clock() + delay

    def report_unreachable(self, message: str) -> None:
        """The change feed lost the portal: say so now, not at the next failed sync."""
        if self._online is False:
            return
        self._online = False
        self._error = message
        self.events.state_changed(self.state())

    # --- pull ----------------------------------------------------------------------------

    def pull(self) -> list[int]:
        """Fetch every case changed since the stored cursor, page by page."""
        with self._lock:
            since = self.repo.sync_status().last_seq
            changed: list[int] = []
            while True:
                page = self.client.list_cases(since, self.page_size)
                changed.extend(self._store_page(page))
                # The portal's cursor, not the page's highest seq (see upsert_page).
                if not page.has_more or page.next_since <= since:
                    break
                since = page.next_since
            return changed

    def _store_page(self, page: CasePage) -> list[int]:
        """Cases and cursor of a page into the cache (pulled or carried by the feed)."""
        ids = self.repo.upsert_page(page.cases, page.next_since)
        if ids:
            self.events.cases_changed(ids)
        return ids

    def apply_feed_page(self, since: int, page: CasePage) -> bool:
        """Store a page the change feed carried (the answer a pull from ``since`` would get).
        True when it was applied and nothing is left to pull; False when the cursor is not
        ``since`` (this workstation pulled meanwhile) or the page says there is more: then a
        normal sync round pulls, as for a ``changed`` event."""
        with self._lock:
            if self.repo.sync_status().last_seq != since:
                return False
            self._store_page(page)
            if self._error is None:  # in touch with the portal: "Last sync" is now
                self.repo.record_sync()
                self.events.state_changed(self.state())
            return not page.has_more

    # --- outbox --------------------------------------------------------------------------

    def queue_action(
        self,
        case_id: int,
        request: ActionRequest,
        attachments: Sequence[tuple[str, bytes, str]] = (),
    ) -> int:
        """Record an action the person took; returns its outbox id. Nothing is sent here.

        ``attachments`` — ``(filename, bytes, media_type)``, already cleaned and checked —
        are kept locally with the entry; :meth:`push` uploads them and sends the action with
        their ids, so an action with attachments works offline too.

        Raises ``lifecycle.LifecycleError`` when the action is not possible for this case
        and person, and :class:`Invalid` (from the domain's ``check_required``) when a
        required field is missing; then nothing is written.
        """
        try:
            check_required(request.action, dict(request))
        except ActionInputError as exc:
            # The rule is the domain's; the engine's callers (the sync worker) catch its
            # portal errors. Drop this translation once every caller catches KnownError.
            missing = dict.fromkeys(exc.fields, "This is required.")
            raise Invalid(str(exc), fields=missing, code="missing_fields") from exc
        kept: list[LocalAttachment] = []
        if attachments:
            store = self._outbox_store()
            kept = [
                LocalAttachment(store.put(data), filename, media_type, None)
                for filename, data, media_type in attachments
            ]
        return self._enqueue(case_id, request, attachments=kept)

    def queue_patch(self, case_id: int, patch: CasePatch) -> int:
        """Record a change of the lab's fields of a case (``PATCH`` with If-Match, like an
        action: offline it waits, a stale version becomes a conflict); returns its outbox id.

        Raises :class:`Invalid` when the patch changes nothing.
        """
        if not patch.model_fields_set:
            raise Invalid("Nothing to change.", code="nothing_to_change")
        return self._enqueue(case_id, patch)

    def _enqueue(
        self,
        case_id: int,
        intent: Intent,
        *,
        resolves: int | None = None,
        attachments: Sequence[LocalAttachment] = (),
    ) -> int:
        roles = self.roles
        if isinstance(intent, ActionRequest):
            # The person's own time, kept in the entry's body: an action sent later (offline,
            # a retry) still says when it was taken. A conflict taken again is a new decision.
            intent = intent.model_copy(update={"occurred_at": datetime.now(UTC)})

        def predict(shown: Case) -> Case:
            return apply_intent(shown, intent, roles)

        outbox_id = self.repo.enqueue(
            case_id,
            intent,
            str(uuid.uuid4()),
            predict,
            resolves_conflict=resolves,
            attachments=attachments,
        )
        self.events.cases_changed([case_id])
        self.events.state_changed(self.state())
        return outbox_id

    def push(self) -> PushResult:
        """Send the queued entries, oldest first, each case's in order."""
        sent: list[int] = []
        made: list[int] = []
        waiting: list[int] = []
        blocked: set[int] = set()
        with self._lock:
            for entry in self.repo.queued():
                if entry.base_version is None and entry.case_id not in blocked:
                    # waiting on the entry before it, which may have just been applied
                    entry = self.repo.outbox_entry(entry.id) or entry
                if entry.case_id in blocked or entry.base_version is None:
                    blocked.add(entry.case_id)
                    waiting.append(entry.id)
                    continue
                version = entry.base_version
                try:
                    entry = self._upload_attachments(entry)
                    result = self._send(entry, version)
                except (Offline, CertificateError, AuthExpired) as exc:
                    self.repo.record_attempt(entry.id, str(exc))
                    raise  # nothing else will get through either
                except StaleVersion as exc:
                    made += self._conflict(entry.id, entry.case_id, "stale", exc, exc.current)
                except Conflict as exc:
                    if exc.code == IDEMPOTENCY_BUSY:  # our own earlier try is still running
                        self.repo.record_attempt(entry.id, str(exc))
                        blocked.add(entry.case_id)
                        waiting.append(entry.id)
                        continue
                    made += self._conflict(entry.id, entry.case_id, "transition", exc)
                except (Forbidden, Invalid, NotFound) as exc:
                    made += self._conflict(entry.id, entry.case_id, "rejected", exc)
                except PortalError as exc:  # a server problem: keep it, try again later
                    log.warning("action %s on case %s: %s", entry.id, entry.case_id, exc)
                    self.repo.record_attempt(entry.id, str(exc))
                    blocked.add(entry.case_id)
                    waiting.append(entry.id)
                else:
                    self.repo.complete(entry.id, result)
                    self._forget_attachments(entry)
                    sent.append(entry.id)
                    self.events.cases_changed([entry.case_id])
        return PushResult(sent, made, waiting)

    def _outbox_store(self) -> BlobStore:
        """Where attachments wait for their upload: beside the file store, never evicted."""
        return BlobStore(self._files().store.root / OUTBOX_FILES)

    def _upload_attachments(self, entry: OutboxEntry) -> OutboxEntry:
        """Upload the entry's files not yet on the portal, each id remembered (committed) at
        once so a crash after an upload does not upload it again; returns the entry as it
        is now (its action carrying the ids)."""
        waiting = [(i, a) for i, a in enumerate(entry.attachments) if a.uploaded_id is None]
        if not waiting:
            return entry
        store = self._outbox_store()
        for index, item in waiting:
            try:
                data = store.read(item.sha256)
            except OSError:
                raise Invalid(
                    f"The attachment {item.filename} is no longer on this computer.",
                    code="attachment_lost",
                ) from None
            meta = self.client.upload_attachment_data(
                entry.case_id, item.filename, data, item.media_type
            )
            self.repo.record_upload(entry.id, index, meta.id)
        return self.repo.outbox_entry(entry.id) or entry

    def _forget_attachments(self, entry: OutboxEntry) -> None:
        """The action is on the portal: its files no longer need a local copy (unless a
        queued entry still holds the same bytes)."""
        if not entry.attachments:
            return
        still = {a.sha256 for e in self.repo.queued() for a in e.attachments}
        store = self._outbox_store()
        for item in entry.attachments:
            if item.sha256 not in still:
                store.remove(item.sha256)

    def _send(self, entry: OutboxEntry, version: int) -> Case:
        """One outbox entry to the portal: an action (idempotent by its key, so a lost
        answer is safe to repeat) or a change of the lab's fields. A change has no key; when
        its answer was lost, the portal's case already carrying it counts as applied."""
        intent = entry.intent
        if isinstance(intent, ActionRequest):
            return self.client.act(
                entry.case_id, intent, version=version, idempotency_key=entry.idempotency_key
            )
        try:
            return self.client.patch_case(entry.case_id, intent, version=version)
        except StaleVersion as exc:
            if exc.current is not None and entry.attempts and patch_applied(exc.current, intent):
                return exc.current
            raise

    def _conflict(
        self,
        entry_id: int,
        case_id: int,
        kind: str,
        exc: PortalError,
        current: Case | None = None,
    ) -> list[int]:
        if current is None:
            try:
                current = self.client.get_case(case_id)
            except NotFound:
                current = None  # gone or hidden: keep the cached copy as "theirs"
        ids = self.repo.to_conflict(entry_id, current, kind, str(exc))
        if ids:
            log.info("action %s on case %s: conflict %s (%s)", entry_id, case_id, ids, kind)
            self.events.cases_changed([case_id])
            self.events.conflict_detected(case_id)
        return ids

    def retry_conflict(self, conflict_id: int) -> int:
        """The person chose to take the action (or make the change) again on the case as it
        is now."""
        record = self.repo.conflict(conflict_id)
        if record is None or record.resolved is not None:
            raise CacheError("This conflict was already resolved.")
        entry = self.repo.outbox_entry(record.outbox_id) if record.outbox_id else None
        intent, files = self._fresh_attachments(record.intent, entry)
        return self._enqueue(record.case_id, intent, resolves=conflict_id, attachments=files)

    def _fresh_attachments(
        self, intent: Intent, entry: OutboxEntry | None
    ) -> tuple[Intent, list[LocalAttachment]]:
        """The files of a retried action, to upload again: the portal keeps an attachment
        staged (for its uploader only) until its action is taken, and drops it when the
        action never comes, so the earlier upload may be gone by the time the person
        decides. A file no longer on this computer keeps its earlier upload."""
        if entry is None or not entry.attachments:
            return intent, []
        store = self._outbox_store()
        again = {
            a.uploaded_id
            for a in entry.attachments
            if a.uploaded_id is not None and store.has(a.sha256)
        }
        files = [
            replace(a, uploaded_id=None)
            for a in entry.attachments
            if a.uploaded_id is None or a.uploaded_id in again
        ]
        if again and isinstance(intent, ActionRequest):
            kept = [i for i in intent.attachment_ids if i not in again]
            intent = intent.model_copy(update={"attachment_ids": kept})
        return intent, files

    def discard_conflict(self, conflict_id: int) -> None:
        """The person chose to drop the action; the portal's case stands."""
        record = self.repo.conflict(conflict_id)
        self.repo.resolve_conflict(conflict_id, "discarded")
        if record is not None:
            if record.outbox_id and (entry := self.repo.outbox_entry(record.outbox_id)):
                self._forget_attachments(entry)
            self.events.cases_changed([record.case_id])
        self.events.state_changed(self.state())

    # --- files -------------------------------------------------------------------------

    def _files(self) -> FileCache:
        if self.files is None:
            raise CacheError("This account has no file store.")
        return self.files

    def open_file(self, file_id: int) -> Path:
        """A verified local copy of a file (downloaded on demand; offline from the store)."""
        return self._files().open_file(file_id)

    def prefetch(
        self, case_ids: Iterable[int] | None = None, *, max_files: int | None = None
    ) -> list[int]:
        """Fetch scans of the cases in this person's inbox (or of ``case_ids``) ahead of
        time. Network problems end the prefetch quietly; it is only a head start."""
        if case_ids is None:
            case_ids = self.inbox_case_ids()
        try:
            return self._files().prefetch(case_ids, max_files=max_files)
        except (PortalError, OSError) as exc:
            log.info("prefetch stopped: %s", exc)
            return []

    def inbox_case_ids(self) -> list[int]:
        """Cases this person can act on now, soonest due first."""
        roles = self.roles
        rows = [
            r
            for r in self.repo.load_inbox_rows()
            if lifecycle.allowed_actions(r.status, roles, signed_off=r.signed_off)
        ]
        rows.sort(key=lambda r: (not r.rush, r.due_date or date.max, r.case_id))
        return [r.case_id for r in rows]

    def pin_case(self, case_id: int) -> None:
        self._files().pin_case(case_id)

    def unpin_case(self, case_id: int) -> None:
        self._files().unpin_case(case_id)
