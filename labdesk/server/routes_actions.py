"""``POST /cases/{id}/actions``: one lifecycle action, exactly once per Idempotency-Key.

The first successful answer to a key is stored with a hash of the request; the same key with
the same request answers it again and changes nothing, with another request 422. Failed
requests change nothing and are not stored, so retrying them re-evaluates them.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any

from fastapi import APIRouter, Header, Response
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from labdesk.api import schemas
from labdesk.server import models as m
from labdesk.server.actions import perform
from labdesk.server.casework import lock_case
from labdesk.server.deps import PortalDep, PrincipalDep
from labdesk.server.errors import ApiError
from labdesk.server.models import utcnow
from labdesk.server.routes_cases import CHANGE_ERRORS, check_version, load_case, parse_if_match
from labdesk.server.serialize import case_out

router = APIRouter(tags=["cases"])
MAX_KEY = 200


def request_hash(case_id: schemas.WireId, body: schemas.ActionRequest) -> str:
    canonical = json.dumps({"case": case_id, "body": body.model_dump(mode="json")}, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


@router.post("/cases/{case_id}/actions", response_model=schemas.Case, responses=CHANGE_ERRORS)
def act(
    case_id: schemas.WireId,
    body: schemas.ActionRequest,
    who: PrincipalDep,
    portal: PortalDep,
    if_match: Annotated[str | None, Header()] = None,
    idempotency_key: Annotated[str | None, Header()] = None,
) -> Response:
    """Take a lifecycle action. 403: not your role; 409: not in this status; 412: stale
    If-Match (details.current is the case now); 422: a required field is missing."""
    key = (idempotency_key or "").strip()
    if not key or len(key) > MAX_KEY:
        raise ApiError(
            400,
            "idempotency_key_required",
            f"send an Idempotency-Key header (1-{MAX_KEY} characters, e.g. a UUID)",
        )
    expected = parse_if_match(if_match)
    digest = request_hash(case_id, body)
    now = utcnow()
    replayed: dict[str, Any] | None = None
    payload: dict[str, Any] = {}
    notified = False
    try:
        with portal.db.writing() as session:
            # The case lock also serialises two requests with one key.
            case = lock_case(session, who, case_id)
            record = session.execute(
                select(m.IdempotencyRecord).where(
                    m.IdempotencyRecord.user_id == who.user_id, m.IdempotencyRecord.key == key
                )
            ).scalar_one_or_none()
            if record is not None:
                if record.request_hash != digest:
                    raise ApiError(
                        422,
                        "idempotency_mismatch",
                        "this Idempotency-Key was used for a different request",
                        {"key": key},
                    )
                replayed = record.response
            else:
                check_version(session, who, case, expected)
                outcome = perform(session, who, case, body, now)
                notified = outcome.notified
                session.flush()
                answer = case_out(load_case(session, who, case.id, fresh=True), who)
                payload = answer.model_dump(mode="json")
                session.add(
                    m.IdempotencyRecord(
                        user_id=who.user_id,
                        key=key,
                        request_hash=digest,
                        status_code=200,
                        response=payload,
                        created_at=now,
                    )
                )
    except IntegrityError as exc:
        raise ApiError(
            409, "idempotency_conflict", "this Idempotency-Key is in use by another request"
        ) from exc
    if replayed is not None:
        return _answer(replayed, {"Idempotent-Replayed": "true"})
    if notified:
        portal.notifier.wake()
    return _answer(payload, {})


def _answer(payload: dict[str, Any], headers: dict[str, str]) -> Response:
    """The stored answer, byte for byte the same for the first request and every replay."""
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    headers = {**headers, "ETag": f'"{payload.get("version")}"'}
    return Response(body, media_type="application/json", headers=headers)
