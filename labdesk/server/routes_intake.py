"""``/intake``: a lab person turns a clinic's scanner export into a case.

``POST /intake/match`` finds the dentist the export names (licence, then name);
``POST /intake/cases`` creates the case with its files in one transaction, exactly once per
``Idempotency-Key`` and once per (format, order id) in the lab: a re-import answers 409
``already_imported`` with the case number.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Header, Response, UploadFile
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from labdesk.api import schemas
from labdesk.server import files as f
from labdesk.server import models as m
from labdesk.server.auth import Principal
from labdesk.server.deps import Portal, PortalDep, PrincipalDep, json_response
from labdesk.server.errors import ApiError, validation
from labdesk.server.intake import (
    ReceivedFile,
    already_imported,
    create_imported_case,
    existing_import,
    linked_dentists,
    match_dentist,
    require_importer,
)
from labdesk.server.models import utcnow
from labdesk.server.routes_actions import MAX_KEY
from labdesk.server.routes_cases import ERRORS, load_case
from labdesk.server.serialize import case_out

router = APIRouter(tags=["intake"])
_SCAN_TYPES = frozenset({f.STL, f.PLY, f.OBJ})
_TYPES = {
    schemas.FileKind.SCAN: _SCAN_TYPES,
    schemas.FileKind.PHOTO: frozenset({f.JPEG, f.PNG}),
    schemas.FileKind.DOCUMENT: frozenset({f.PDF, f.JPEG, f.PNG}),
}


@router.post("/intake/match", response_model=schemas.IntakeMatch, responses=ERRORS)
def match(body: schemas.IntakeHints, who: PrincipalDep, portal: PortalDep) -> Response:
    """The dentist of a linked clinic the export names, or the candidates to pick from."""
    require_importer(who)
    assert who.lab_id is not None
    with portal.db.read_session() as session:
        return json_response(match_dentist(linked_dentists(session, who.lab_id), body))


@router.post("/intake/cases", response_model=schemas.Case, status_code=201, responses=ERRORS)
def import_case(
    who: PrincipalDep,
    portal: PortalDep,
    order: Annotated[str, Form(description="schemas.ImportCase as JSON")],
    files: Annotated[list[UploadFile] | None, File()] = None,
    idempotency_key: Annotated[str | None, Header()] = None,
) -> Response:
    """Create a case for a linked clinic from a scanner export, with its scans and jaws."""
    require_importer(who)
    assert who.lab_id is not None
    key = (idempotency_key or "").strip()
    if not key or len(key) > MAX_KEY:
        raise ApiError(
            400,
            "idempotency_key_required",
            f"send an Idempotency-Key header (1-{MAX_KEY} characters, e.g. a UUID)",
        )
    try:
        wanted = schemas.ImportCase.model_validate_json(order)
    except ValidationError as exc:
        raise validation("the order is incomplete or wrong", problems=exc.errors(
            include_url=False, include_context=False, include_input=False)) from None  # fmt: skip
    uploads = files or []
    listed = {x.filename: x for x in wanted.files}
    if sorted(listed) != sorted(u.filename or "" for u in uploads):
        raise validation("the uploaded files must be exactly the files the order lists")
    received: list[ReceivedFile] = []
    try:
        for upload in uploads:
            received.append(_receive(portal, upload, listed[upload.filename or ""]))
        digest = hashlib.sha256(
            json.dumps({"order": wanted.model_dump(mode="json"),
                        "files": [r.sha256 for r in received]}, sort_keys=True).encode()
        ).hexdigest()  # fmt: skip
        return _create(portal, who, wanted, received, key, digest)
    finally:
        for r in received:
            r.temp.unlink(missing_ok=True)


def _receive(portal: Portal, upload: UploadFile, listing: schemas.ImportFile) -> ReceivedFile:
    if listing.kind is schemas.FileKind.ATTACHMENT:
        raise validation("an imported case carries scans, photos or documents", field="files")
    temp = portal.store.temp_path()
    try:
        sha, size = f.receive(upload.file, temp, portal.settings.max_upload_bytes)
        if size == 0:
            raise validation(f"{upload.filename} is empty", field="files")
        with temp.open("rb") as fh:
            head = fh.read(8192)
        media_type = f.check_type(head, size, _TYPES[listing.kind])
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return ReceivedFile(
        listing, temp, sha, size, media_type, f.clean_name(upload.filename, media_type)
    )


def _create(
    portal: Portal,
    who: Principal,
    wanted: schemas.ImportCase,
    received: list[ReceivedFile],
    key: str,
    digest: str,
) -> Response:
    now = utcnow()
    try:
        with portal.db.writing() as session:
            record = session.execute(
                select(m.IdempotencyRecord).where(
                    m.IdempotencyRecord.user_id == who.user_id, m.IdempotencyRecord.key == key
                )
            ).scalar_one_or_none()
            if record is not None:
                if record.request_hash != digest:
                    raise ApiError(422, "idempotency_mismatch",
                                   "this Idempotency-Key was used for a different request",
                                   {"key": key})  # fmt: skip
                return _answer(record.response, 201, {"Idempotent-Replayed": "true"})
            case = create_imported_case(session, who, wanted, received, portal.store, now)
            answer = case_out(load_case(session, who, case.id, fresh=True), who)
            payload = answer.model_dump(mode="json")
            session.add(
                m.IdempotencyRecord(user_id=who.user_id, key=key, request_hash=digest,
                                    status_code=201, response=payload, created_at=now)
            )  # fmt: skip
    except IntegrityError as exc:
        # Another request imported the same order (or used the key) at the same moment.
        with portal.db.read_session() as session:
            assert who.lab_id is not None
            earlier = existing_import(session, who.lab_id, wanted)
            if earlier is not None:
                raise already_imported(earlier, wanted) from exc
        raise ApiError(
            409, "idempotency_conflict", "this Idempotency-Key is in use by another request"
        ) from exc
    return _answer(payload, 201, {"Location": f"/api/v1/cases/{payload['id']}"})


def _answer(payload: dict[str, Any], status: int, headers: dict[str, str]) -> Response:
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    return Response(body, status_code=status, media_type="application/json",
                    headers={**headers, "ETag": f'"{payload.get("version")}"'})  # fmt: skip
