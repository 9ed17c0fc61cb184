"""Sign in, sign out, who am I."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy import select

from labdesk.api import schemas
from labdesk.server import auth
from labdesk.server import models as m
from labdesk.server.deps import PortalDep, PrincipalDep, json_response
from labdesk.server.errors import ApiError, documented

router = APIRouter(tags=["auth"])


@router.post(
    "/auth/login", response_model=schemas.LoginResponse, responses=documented(401, 403, 422, 429)
)
def login(body: schemas.LoginRequest, request: Request, portal: PortalDep) -> Response:
    """Sign in. 429 with ``Retry-After`` while this user name and address, or this address,
    is throttled after failed attempts (see docs/security.md)."""
    address = request.client.host if request.client else ""
    with portal.db.writing() as session:
        result = auth.login(session, portal.settings, body.username, body.password, address=address)
        if isinstance(result, ApiError):
            error = result
        else:
            token, expires, user = result
            answer = schemas.LoginResponse(
                token=token, expires_at=expires, user=auth.user_out(user)
            )
            error = None
    if error is not None:
        raise error
    return json_response(answer)


@router.post("/auth/logout", status_code=204, responses=documented(401))
def logout(who: PrincipalDep, portal: PortalDep) -> Response:
    portal.tokens.drop(who.token_hash)
    with portal.db.writing() as session:
        auth.revoke(session, who.token_hash)
        auth.audit_login(session, session.get(m.User, who.user_id), who.username, "logout")
    portal.tokens.drop(who.token_hash)  # again: a request may have cached it meanwhile
    return Response(status_code=204)


@router.get("/me", response_model=schemas.User, responses=documented(401))
def me(who: PrincipalDep, portal: PortalDep) -> Response:
    with portal.db.read_session() as session:
        user = session.execute(select(m.User).where(m.User.id == who.user_id)).scalar_one()
        return json_response(auth.user_out(user))
