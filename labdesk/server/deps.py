"""What every route needs: the running portal, the signed-in principal, JSON answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Header, Request, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from labdesk.server.auth import Principal, TokenCache, authenticate, bearer_digest
from labdesk.server.db import Database
from labdesk.server.files import FileStore
from labdesk.server.notifications import Notifier
from labdesk.server.page_cache import SharedPages
from labdesk.server.settings import ServerSettings


@dataclass
class Portal:
    """The parts of one running server, shared by its routes (``app.state.portal``)."""

    settings: ServerSettings
    db: Database
    store: FileStore
    notifier: Notifier
    tokens: TokenCache = field(default_factory=TokenCache)
    pages: SharedPages = field(init=False)

    def __post_init__(self) -> None:
        self.pages = SharedPages(self.db.changes)


def portal_of(request: Request) -> Portal:
    portal: Portal = request.app.state.portal
    return portal


async def get_portal(request: Request) -> Portal:
    """``async`` although it waits for nothing: FastAPI runs a plain ``def`` dependency in a
    worker thread, and that hand-off cost more CPU than an idle poll's whole answer."""
    return portal_of(request)


async def get_principal(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> Principal:
    """The signed-in principal: from the token cache, else looked up in a worker thread."""
    portal = portal_of(request)
    digest = bearer_digest(authorization)
    cached = portal.tokens.get(digest)
    if cached is not None:
        return cached
    principal, expires = await run_in_threadpool(_lookup, portal, digest)
    portal.tokens.put(principal, expires)
    return principal


def _lookup(portal: Portal, digest: str) -> tuple[Principal, datetime]:
    with portal.db.read_session() as session:
        return authenticate(session, digest)


PortalDep = Annotated[Portal, Depends(get_portal)]
PrincipalDep = Annotated[Principal, Depends(get_principal)]


def json_response(
    model: BaseModel | list[BaseModel],
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    """Serialise a wire model once (FastAPI would validate it a second time)."""
    if isinstance(model, BaseModel):
        body = model.model_dump_json()
    else:
        body = "[" + ",".join(item.model_dump_json() for item in model) + "]"
    return Response(body, status_code=status_code, media_type="application/json", headers=headers)
