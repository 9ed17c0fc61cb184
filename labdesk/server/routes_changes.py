"""``GET /changes``: the change feed, as server-sent events.

Why server-sent events and not a long-poll: the stream carries a heartbeat every
:data:`HEARTBEAT_S` seconds, so a workstation notices a dead portal or a cut network within a
few seconds (its read times out) instead of at the end of a 25 s poll; a change reaches every
open stream the moment it commits; and one long-lived request per workstation costs the portal
nothing between events but the heartbeats. The event carries the new high-water ``seq`` of the
caller's lab (or clinic), and the workstation pulls ``GET /cases?since=…`` as always — or, when
it asks for ``pages=1``, the event carries that pull's answer itself (``event: page``, data
``{"since": S, "page": <the CasePage of GET /cases?since=S>}``): the cursor rules and the page
format are unchanged, but a change no longer makes every workstation of the lab send the same
request in the same millisecond. The stream keeps the cursor its last page ended at; a
workstation whose cursor is elsewhere (it pulled meanwhile) ignores the page and pulls. A
workstation whose proxy buffers or cuts streams simply keeps polling.

Reverse proxies must not buffer this route (``X-Accel-Buffering: no`` is sent for nginx) and
must allow idle reads longer than the heartbeat (docs/deploy.md).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from typing import Annotated, Final

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from labdesk.api import schemas
from labdesk.server.case_page import page_cursor
from labdesk.server.deps import Portal, PortalDep, PrincipalDep, _lookup
from labdesk.server.errors import ApiError
from labdesk.server.sync_page import high_water, sync_page, tenant_of

router = APIRouter()

HEARTBEAT_S: Final = 2.0
FEED_PAGE_LIMIT: Final = 200  # a page in an event; a longer backlog is pulled (has_more)
TOKEN_CHECK_S: Final = 10.0  # a revoked token's stream ends within this (and the token cache's TTL)


@router.get(
    "/changes",
    tags=["cases"],
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "changed events"},
        401: {"model": schemas.ErrorResponse},
    },
)
async def change_stream(
    request: Request,
    who: PrincipalDep,
    portal: PortalDep,
    since: Annotated[int, Query(ge=0, le=schemas.MAX_WIRE_INT)] = 0,
    pages: Annotated[bool, Query(description="carry the page of changes in the event")] = False,
) -> StreamingResponse:
    """``event: changed`` with ``data: <seq>`` whenever a case of yours changes after ``since``
    (with ``pages``: ``event: page`` with the page of those changes after the first);
    a comment line every few seconds in between (the heartbeat)."""
    hub = portal.db.changes
    stream = hub.subscribe(tenant_of(who))
    digest = getattr(who, "token_hash", "")

    async def events() -> AsyncIterator[str | bytes]:
        try:
            if stream.closed:
                return
            yield f"retry: {int(HEARTBEAT_S * 1000)}\n\n"
            last = await run_in_threadpool(high_water, portal, who)
            told = since  # the cursor the workstation has once it took what we sent
            if last > since:
                # Connecting is a full sync round on the workstation: the seq is enough.
                yield f"event: changed\ndata: {last}\n\n"
                told = last
            checked = asyncio.get_running_loop().time()
            while True:
                try:
                    # asyncio.timeout, not wait_for: wait_for wraps the wait in a new task each
                    # time, which was a good part of a heartbeat's CPU.
                    async with asyncio.timeout(HEARTBEAT_S):
                        await stream.event.wait()
                except TimeoutError:
                    now = asyncio.get_running_loop().time()
                    if now - checked >= TOKEN_CHECK_S:
                        checked = now
                        if not await _still_valid(portal, digest):
                            return
                    yield ": heartbeat\n\n"
                    continue
                stream.event.clear()
                if stream.closed:
                    return
                if stream.seq > last:
                    last = stream.seq
                    if not pages:
                        yield f"event: changed\ndata: {last}\n\n"
                        continue
                    after, body = told, await sync_page(portal, who, told, FEED_PAGE_LIMIT)
                    told = page_cursor(body)[0]
                    if told > after:
                        yield b'event: page\ndata: {"since":%d,"page":%b}\n\n' % (after, body)
        finally:
            hub.unsubscribe(stream)

    headers = {
        "Cache-Control": "no-cache",
        "X-Accel-Buffering": "no",
        "X-LabDesk-Process": str(os.getpid()),  # which portal process holds it (operations)
    }
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)


async def _still_valid(portal: Portal, digest: str) -> bool:
    try:
        if not digest or portal.tokens.get(digest) is not None:
            return True
        principal, expires = await run_in_threadpool(_lookup, portal, digest)
    except ApiError:
        return False
    portal.tokens.put(principal, expires)
    return True
