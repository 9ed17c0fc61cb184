"""One answer for every workstation that asks the same sync question at the same moment.

When a case changes, the change feed wakes every open stream of the lab at once, and each
workstation asks ``GET /cases?since=<its cursor>`` — with 200 workstations, 200 identical
questions within a few milliseconds. The page depends only on the tenant (a lab's members all
see a case the same way, a clinic's too: ``case_page`` varies by "is this a lab" and nothing
else), ``since`` and ``limit``; so the first request builds it and the others wait for that
build (*single flight*), and requests arriving shortly after take the built answer.

Why this is safe with the cursor rules: an answer is kept only while the change hub's
*generation* of the tenant is the one taken before the page was read (any published change of
the tenant ends it) and at most :data:`changes.MARK_TTL_S` seconds (the same bound as the
high-water mark, for writes this process does not hear of). An answer that is a little old is
still a correct page: a case changed since then has a higher seq than its ``next_since`` and
comes in the next pull, never skipped.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Final

from labdesk.server.changes import MARK_TTL_S, ChangeHub

MAX_ENTRIES: Final = 64
# Kept: the small pages a change makes everybody ask for (~1.4 kB a case: up to ~180 cases).
# A first sync's full pages are built for each asker (simultaneous askers still share one
# build): keeping them would hold up to MAX_ENTRIES × 1.4 MB per process for a rare reuse.
MAX_BODY_BYTES: Final = 256_000

_Key = tuple[str, int, int]  # tenant, since, limit


class SharedPages:
    """Recent and in-flight sync pages of one portal process (used on its event loop only)."""

    def __init__(self, hub: ChangeHub, clock: Callable[[], float] = time.monotonic) -> None:
        self._hub = hub
        self._done: OrderedDict[_Key, tuple[int, float, bytes]] = OrderedDict()
        self._building: dict[tuple[_Key, int], asyncio.Task[bytes]] = {}
        self._clock = clock
        self.built = 0  # pages read from the database (for tests and benchmarks)
        self.shared = 0  # answers handed out without reading

    async def page(self, key: _Key, build: Callable[[], Awaitable[bytes]]) -> bytes:
        """The page for ``key``: a recent one, the one being built, or ``build()``'s."""
        generation = self._hub.generation(key[0])
        found = self._done.get(key)
        if found is not None:
            if found[0] == generation and self._clock() - found[1] <= MARK_TTL_S:
                self.shared += 1
                return found[2]
            del self._done[key]
        flight = (key, generation)
        task = self._building.get(flight)
        if task is None:
            # A task of its own: a requester that goes away does not cancel the others' page.
            task = asyncio.ensure_future(self._build(flight, build))
            task.add_done_callback(_retrieve)
            self._building[flight] = task
        else:
            self.shared += 1
        return await asyncio.shield(task)

    async def _build(
        self, flight: tuple[_Key, int], build: Callable[[], Awaitable[bytes]]
    ) -> bytes:
        key, generation = flight
        try:
            body = await build()
        finally:
            del self._building[flight]
        self.built += 1
        if len(body) <= MAX_BODY_BYTES and self._hub.generation(key[0]) == generation:
            self._done[key] = (generation, self._clock(), body)
            while len(self._done) > MAX_ENTRIES:
                self._done.popitem(last=False)
        return body


def _retrieve(task: asyncio.Task[bytes]) -> None:
    """Mark a failure as seen: every requester got it already (or went away)."""
    if not task.cancelled():
        task.exception()
