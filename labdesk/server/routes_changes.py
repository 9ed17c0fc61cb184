"""``GET /changes``: the change feed, as server-sent events.

Why server-sent events and not a long-poll: the stream carries a heartbeat every
:data:`HEARTBEAT_S` seconds, so a workstation notices a dead portal or a cut network within a
few seconds (its read times out) instead of at the end of a 25 s poll; a change reaches every
open stream the moment it commits; and one long-lived request per workstation costs the portal
nothing between events but the heartbeats. The event carries only the new high-water ``seq`` of
the caller's lab (or clinic): the workstation then pulls ``GET /cases?since=…`` as always, so
the cursor rules and the page format are unchanged, and a workstation whose proxy buffers or
cuts streams simply keeps polling.

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
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from labdesk.api import schemas
from labdesk.server import models as m
from labdesk.server.auth import Principal
from labdesk.server.changes import clinic_key, lab_key
from labdesk.server.deps import Portal, PortalDep, PrincipalDep, _lookup
from labdesk.server.errors import ApiError

router = APIRouter()

HEARTBEAT_S: Final = 2.0
TOKEN_CHECK_S: Final = 10.0  # a revoked token's stream ends within this (and the token cache's TTL)


def tenant_of(who: Principal) -> str:
    return lab_key(who.lab_id) if who.lab_id is not None else clinic_key(who.clinic_id or 0)


def high_water(portal: Portal, who: Principal) -> int:
    """The highest seq of the caller's tenant: from the hub's mark, else one indexed lookup."""
    hub = portal.db.changes
    tenant = tenant_of(who)
    mark = hub.mark(tenant)
    if mark is not None:
        return mark
    generation = hub.generation(tenant)
    column = m.Case.lab_id if who.lab_id is not None else m.Case.clinic_id
    owner = who.lab_id if who.lab_id is not None else who.clinic_id
    with portal.db.read_session() as session:
        seq = session.execute(select(func.max(m.Case.seq)).where(column == owner)).scalar()
    value = int(seq or 0)
    hub.remember(tenant, value, generation)
    return value


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
) -> StreamingResponse:
    """``event: changed`` with ``data: <seq>`` whenever a case of yours changes after ``since``;
    a comment line every few seconds in between (the heartbeat)."""
    hub = portal.db.changes
    stream = hub.subscribe(tenant_of(who))
    digest = getattr(who, "token_hash", "")

    async def events() -> AsyncIterator[str]:
        try:
            if stream.closed:
                return
            yield f"retry: {int(HEARTBEAT_S * 1000)}\n\n"
            last = await run_in_threadpool(high_water, portal, who)
            if last > since:
                yield f"event: changed\ndata: {last}\n\n"
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
                    yield f"event: changed\ndata: {last}\n\n"
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
