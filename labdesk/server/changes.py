"""Who must hear that a case changed, the moment it commits: the change feed's hub.

Every write that gives a case a new ``seq`` records (lab, clinic, seq) on its session
(:func:`record_change`); when the transaction commits, the hub is told. On PostgreSQL the
same facts go out as ``NOTIFY labdesk_changes`` inside the transaction, so every portal
process (``--workers N``) hears commits made by the others through its own ``LISTEN``
connection (:class:`PgListener`); on SQLite there is one process and the in-process path is
the whole story.

The hub does two things with a change:

- wakes the open change streams (``GET /changes``, server-sent events) of the lab and of the
  clinic the case belongs to — nobody else learns even that a seq moved;
- drops its cached *high-water mark* of that lab and clinic, the answer to "is there anything
  after ``since``?" that lets a poll that finds nothing cost no query at all. The mark is also
  dropped after :data:`MARK_TTL_S`, so a write that bypasses this process (a maintenance script)
  is seen within seconds, never missed.

Thread-safety: commits happen on worker threads; the streams live on the event loop. The hub
takes a lock for its own state and hands wake-ups to each stream's loop thread-safely.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final

from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

CHANNEL: Final = "labdesk_changes"
MARK_TTL_S: Final = 2.0
_PENDING: Final = "labdesk_changes"


@dataclass(frozen=True)
class Change:
    lab_id: int
    clinic_id: int
    seq: int

    def tenants(self) -> tuple[str, str]:
        return (lab_key(self.lab_id), clinic_key(self.clinic_id))


def lab_key(lab_id: int) -> str:
    return f"lab:{lab_id}"


def clinic_key(clinic_id: int) -> str:
    return f"clinic:{clinic_id}"


def record_change(session: Session, lab_id: int, clinic_id: int, seq: int) -> None:
    """Note on the session that a case of this lab and clinic got ``seq`` (told at commit)."""
    session.info.setdefault(_PENDING, []).append(Change(lab_id, clinic_id, seq))


def pending_changes(session: Session) -> list[Change]:
    changes: list[Change] = session.info.get(_PENDING, [])
    return changes


def take_changes(session: Session) -> list[Change]:
    changes: list[Change] = session.info.pop(_PENDING, [])
    return changes


def payload(changes: Iterable[Change]) -> str:
    return json.dumps([[c.lab_id, c.clinic_id, c.seq] for c in changes], separators=(",", ":"))


def parse_payload(text: str) -> list[Change]:
    try:
        return [Change(int(a), int(b), int(c)) for a, b, c in json.loads(text)]
    except (ValueError, TypeError):
        log.warning("ignoring a malformed change notification: %.80r", text)
        return []


class _Stream:
    """One open change stream: its loop and the event that wakes it."""

    def __init__(self, tenant: str, loop: asyncio.AbstractEventLoop) -> None:
        self.tenant = tenant
        self.loop = loop
        self.event = asyncio.Event()
        self.seq = 0
        self.closed = False

    def wake(self, seq: int) -> None:
        self.seq = max(self.seq, seq)
        self.event.set()

    def close(self) -> None:
        self.closed = True
        self.event.set()


class ChangeHub:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._streams: dict[str, set[_Stream]] = {}
        self._marks: dict[str, tuple[int, float]] = {}
        self._generations: dict[str, int] = {}
        self._clock = clock
        self._closing = False

    # --- the high-water marks --------------------------------------------------------------

    def mark(self, tenant: str) -> int | None:
        """The highest seq of ``tenant`` if known and fresh, else None (ask the database)."""
        with self._lock:
            found = self._marks.get(tenant)
            if found is None or self._clock() - found[1] > MARK_TTL_S:
                return None
            return found[0]

    def generation(self, tenant: str) -> int:
        """Take before asking the database; hand to :meth:`remember` with its answer."""
        with self._lock:
            return self._generations.get(tenant, 0)

    def remember(self, tenant: str, seq: int, generation: int) -> None:
        """Cache the database's answer, unless a change was published since ``generation``
        was taken (the answer may already be old)."""
        with self._lock:
            if self._generations.get(tenant, 0) == generation:
                self._marks[tenant] = (seq, self._clock())

    def forget_marks(self) -> None:
        with self._lock:
            self._marks.clear()
            for tenant in self._generations:
                self._generations[tenant] += 1

    # --- streams ---------------------------------------------------------------------------

    def subscribe(self, tenant: str) -> _Stream:
        stream = _Stream(tenant, asyncio.get_running_loop())
        with self._lock:
            self._streams.setdefault(tenant, set()).add(stream)
            stream.closed = self._closing
        return stream

    def close_all(self) -> None:
        """The portal is stopping: end every stream (a server waits for open responses
        before it stops; the workstations reconnect to whoever serves next)."""
        with self._lock:
            self._closing = True
            streams = [s for group in self._streams.values() for s in group]
        for stream in streams:
            with contextlib.suppress(RuntimeError):  # its loop has closed already
                stream.loop.call_soon_threadsafe(stream.close)

    def unsubscribe(self, stream: _Stream) -> None:
        with self._lock:
            streams = self._streams.get(stream.tenant)
            if streams is not None:
                streams.discard(stream)
                if not streams:
                    del self._streams[stream.tenant]

    @property
    def stream_count(self) -> int:
        with self._lock:
            return sum(len(s) for s in self._streams.values())

    # --- changes -------------------------------------------------------------------------

    def publish(self, changes: Iterable[Change]) -> None:
        """Committed changes (from this process or another): wake streams, drop marks."""
        woken: list[tuple[_Stream, int]] = []
        with self._lock:
            for change in changes:
                for tenant in change.tenants():
                    self._marks.pop(tenant, None)
                    self._generations[tenant] = self._generations.get(tenant, 0) + 1
                    woken.extend((s, change.seq) for s in self._streams.get(tenant, ()))
        for stream, seq in woken:
            try:
                stream.loop.call_soon_threadsafe(stream.wake, seq)
            except RuntimeError:  # its loop has closed: the stream is gone
                self.unsubscribe(stream)


class PgListener:
    """A thread that ``LISTEN``s on PostgreSQL and publishes what other processes commit."""

    def __init__(self, dsn: str, hub: ChangeHub) -> None:
        self._dsn = dsn
        self._hub = hub
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pg-listen", daemon=True)
        self.ready = threading.Event()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        import psycopg

        while not self._stop.is_set():
            try:
                with psycopg.connect(self._dsn, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.ready.set()
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=1.0):
                            self._hub.publish(parse_payload(note.payload))
            except Exception:  # the database restarted or the network failed: listen again
                log.warning("change listener lost its connection; reconnecting", exc_info=True)
                self._hub.forget_marks()  # what committed meanwhile was not heard
                self._stop.wait(1.0)
