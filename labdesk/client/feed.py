"""The live change feed: one long-lived request that tells this workstation, the moment it
commits, that something of its lab changed — and, by its heartbeat, that the portal is alive.

:class:`ChangeFeed` keeps ``GET /changes`` open on a thread of its own (a read blocks; it must
not hold up the sync worker) and reports to a :class:`FeedListener`:

- ``changed(seq)``: pull now (the sync engine pulls from its cursor as always);
- ``page(since, page)``: the portal sent the changes themselves — the answer a pull from
  ``since`` would get; the sync engine applies it when its cursor is ``since``, else pulls;
- ``alive()``: connected (again) — after a loss the listener syncs at once, so what committed
  while the stream was down is pulled, and the outbox goes out;
- ``lost(message)``: the portal went quiet or away (no heartbeat within ``read_timeout``,
  a refused connection): the status bar says "Reconnecting…" right away; the feed retries
  every few seconds (never more than ``reconnect_max``), and at once on :meth:`reconnect_now`
  ("Sync now", the network coming back);
- ``unsupported()``: this portal has no feed (an older portal, or a proxy that refuses
  streams): the workstation keeps polling on its interval, as before.

A signed-out or expired account ends the feed; the sync engine reports that to the person.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Final, Protocol

from labdesk.api.changes import stream_changes
from labdesk.api.client import PortalClient
from labdesk.api.errors import AuthExpired, NotFound, PortalError
from labdesk.api.schemas import CasePage

log = logging.getLogger(__name__)

READ_TIMEOUT_S: Final = 5.0  # the portal's heartbeat comes every 2 s
RECONNECT_MAX_S: Final = 4.0


class FeedListener(Protocol):
    def changed(self, seq: int) -> None: ...

    def page(self, since: int, page: CasePage) -> None: ...

    def alive(self) -> None: ...

    def lost(self, message: str) -> None: ...

    def unsupported(self) -> None: ...


class ChangeFeed:
    def __init__(
        self,
        client: PortalClient,
        cursor: Callable[[], int],
        listener: FeedListener,
        *,
        read_timeout: float = READ_TIMEOUT_S,
        reconnect_max: float = RECONNECT_MAX_S,
    ) -> None:
        self._client = client
        self._cursor = cursor
        self._listener = listener
        self._read_timeout = read_timeout
        self._reconnect_max = reconnect_max
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="labdesk-feed", daemon=True)
        self._http = client.new_http()
        self.connected = False

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """End the feed: closing its connections ends a blocked read at once."""
        self._stop.set()
        self._wake.set()
        try:
            self._http.close()
        except Exception:  # closing under a reading thread: it ends either way
            log.debug("closing the feed's connections", exc_info=True)
        if self._thread.is_alive():
            self._thread.join(timeout)

    def reconnect_now(self) -> None:
        """Skip the wait before the next attempt (a person asked, or the network is back)."""
        self._wake.set()

    def _run(self) -> None:
        try:
            self._loop()
        finally:
            self.connected = False
            self._http.close()

    def _loop(self) -> None:
        failures = 0
        lost = False
        while not self._stop.is_set():
            try:
                for event in stream_changes(
                    self._client, self._http, self._cursor(), read_timeout=self._read_timeout
                ):
                    if self._stop.is_set():
                        return
                    if not self.connected:
                        self.connected, failures, lost = True, 0, False
                        self._listener.alive()
                    if event.page is not None and event.since is not None:
                        self._listener.page(event.since, event.page)
                    elif event.seq is not None:
                        self._listener.changed(event.seq)
            except NotFound:
                log.info("the portal has no change feed; polling instead")
                self._listener.unsupported()
                return
            except AuthExpired:
                log.info("change feed ended: the sign-in is no longer valid")
                self.connected = False
                return
            except PortalError as exc:
                if self._stop.is_set():
                    return
                self.connected = False
                failures += 1
                if not lost:
                    lost = True
                    self._listener.lost(str(exc))
            except Exception:  # a bug (or the stop closing the pool): polling goes on anyway
                if self._stop.is_set():
                    return
                log.exception("change feed failed")
                self.connected = False
                failures += 1
            self._wake.clear()
            self._wake.wait(min(self._reconnect_max, 0.5 * 2 ** min(failures, 4)))
