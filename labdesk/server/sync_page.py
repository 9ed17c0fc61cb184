"""The sync page of a tenant after a cursor — the one answer that ``GET /cases?since=…`` gives
and that the change feed carries in its ``page`` events.

Both routes ask :func:`sync_page`, so a change that wakes 200 workstations costs one page build
per portal process however the page travels (``page_cache``): as the body of a pull, or inside
the event of every stream whose cursor it continues. "Nothing new" is answered from the change
hub's cached high-water mark without a query, or with one indexed lookup when the mark has
expired.
"""

from __future__ import annotations

from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from labdesk.server import models as m
from labdesk.server.auth import Principal
from labdesk.server.case_page import case_page_json, nothing_new
from labdesk.server.changes import clinic_key, lab_key
from labdesk.server.deps import Portal


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


async def sync_page(portal: Portal, who: Principal, since: int, limit: int) -> bytes:
    """The JSON of ``schemas.CasePage``: ``who``'s cases with ``seq > since``, at most
    ``limit``, built once for everyone of the tenant asking at the same moment."""
    tenant = tenant_of(who)
    mark = portal.db.changes.mark(tenant)
    if mark is not None and since >= mark:
        return nothing_new(since)

    async def build() -> bytes:
        return await run_in_threadpool(_read_page, portal, who, since, limit)

    return await portal.pages.page((tenant, since, limit), build)


def _read_page(portal: Portal, who: Principal, since: int, limit: int) -> bytes:
    if since >= high_water(portal, who):  # the mark had expired: one indexed lookup
        return nothing_new(since)
    with portal.db.read_session() as session:
        return case_page_json(session, who, since, limit)
