"""Files: lab attachments, clinic uploads (scans, photos, documents), downloads with Range."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Header, Response, UploadFile
from fastapi.responses import StreamingResponse
from sqlalchemy import select

from labdesk.api import schemas
from labdesk.domain.lifecycle import Status
from labdesk.server import files as f
from labdesk.server import models as m
from labdesk.server.auth import Principal
from labdesk.server.casework import audit, lock_case, touch, visible_case_query
from labdesk.server.deps import Portal, PortalDep, PrincipalDep, json_response
from labdesk.server.errors import ApiError, documented, forbidden, not_found, validation
from labdesk.server.models import utcnow
from labdesk.server.routes_cases import CLINIC_EDITABLE, READ_ERRORS, load_case
from labdesk.server.serialize import file_out
from labdesk.server.staging import lock_store, visible_file

router = APIRouter(tags=["files"])
UPLOAD_ERRORS = documented(401, 403, 404, 409, 413, 415, 422)
DOWNLOAD_ANSWERS = documented(206, 304, 401, 404, 410, 416, 422)

_KIND_TYPES = {
    schemas.FileKind.SCAN: {f.STL, f.PLY, f.OBJ},
    schemas.FileKind.PHOTO: {f.JPEG, f.PNG},
    schemas.FileKind.DOCUMENT: {f.PDF, f.JPEG, f.PNG},
}


@dataclass(frozen=True)
class _Received:
    """An upload checked and waiting in the store's temporary folder (not in the store)."""

    temp: Path
    sha256: str
    size: int
    media_type: str


def _check_open(who: Principal, case: m.Case) -> None:
    """409 when the clinic may no longer add files (the lab accepted the case)."""
    if not who.is_lab and Status(case.status) not in CLINIC_EDITABLE:
        raise ApiError(
            409, "case_locked", "the lab has accepted the case; files cannot be added now"
        )


def _receive(
    portal: Portal, upload: UploadFile, kind: schemas.FileKind, allowed: frozenset[str]
) -> _Received:
    """Copy the upload to a temporary file and check it (413 size, 415 content, 422 kind);
    photos lose their metadata. Nothing reaches the store here; on a refusal the temporary
    file is gone."""
    store = portal.store
    temp = store.temp_path()
    try:
        sha, size = f.receive(upload.file, temp, portal.settings.max_upload_bytes)
        if size == 0:
            raise validation("the file is empty", field="file")
        with temp.open("rb") as fh:
            head = fh.read(8192)
        media_type = f.check_type(head, size, allowed)
        if kind is not schemas.FileKind.ATTACHMENT and media_type not in _KIND_TYPES[kind]:
            raise validation(f"a {kind.value} cannot be a {media_type} file", field="kind")
        if media_type in (f.JPEG, f.PNG):
            clean = f.strip_metadata(temp.read_bytes(), media_type)
            temp.unlink(missing_ok=True)
            temp, sha, size = store.write_temp(clean)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return _Received(temp, sha, size, media_type)


def _add_file(
    portal: Portal,
    who: Principal,
    case_id: int,
    upload: UploadFile,
    kind: schemas.FileKind,
    jaw: schemas.Jaw | None,
    allowed: frozenset[str],
) -> Response:
    """Check (404, 409) before reading the upload, check the upload itself, then insert the
    row and move the bytes into the store as the transaction's last step (see
    :mod:`labdesk.server.staging`). A lab attachment is staged: it joins the case with the
    action that carries it."""
    with portal.db.read_session() as session:
        case = session.execute(visible_case_query(who, case_id)).scalar_one_or_none()
        if case is None:
            raise not_found()
        _check_open(who, case)
    received = _receive(portal, upload, kind, allowed)
    staged = kind is schemas.FileKind.ATTACHMENT
    now = utcnow()
    try:
        with portal.db.writing() as session:
            case = lock_case(session, who, case_id)
            _check_open(who, case)  # the lab may have accepted it meanwhile
            row = m.CaseFile(
                case_id=case.id,
                kind=kind.value,
                jaw=jaw.value if jaw else None,
                filename=f.clean_name(upload.filename, received.media_type),
                media_type=received.media_type,
                size=received.size,
                sha256=received.sha256,
                uploaded_at=now,
                uploaded_by_id=who.user_id,
                staged_until=now + portal.settings.staged_ttl if staged else None,
            )
            session.add(row)
            if not staged:  # a staged file is news to nobody until its action
                # Seen by sync (seq) without making pending actions stale (version).
                touch(session, case, now, bump_version=False)
            session.flush()
            audit(session, who, "file_upload", case=case, at=now, file_id=row.id,
                  sha256=received.sha256, staged=staged)  # fmt: skip
            session.refresh(row, ["uploaded_by"])
            answer = file_out(row)
            lock_store(session, exclusive=False)
            portal.store.put_file(received.temp, received.sha256)
    finally:
        received.temp.unlink(missing_ok=True)
    return json_response(answer, status_code=201)


@router.post(
    "/cases/{case_id}/attachments",
    response_model=schemas.FileMeta,
    status_code=201,
    responses=UPLOAD_ERRORS,
)
def upload_attachment(
    case_id: schemas.WireId,
    file: Annotated[UploadFile, File()],
    who: PrincipalDep,
    portal: PortalDep,
) -> Response:
    """A lab attachment (JPEG, PNG or PDF), e.g. a photo sent with a rejection: staged (seen
    only by its uploader) until an action carries it in ``attachment_ids``; unused, it
    expires."""
    if not who.is_lab:
        raise forbidden("clinics add files with POST /cases/{id}/files")
    return _add_file(
        portal, who, case_id, file, schemas.FileKind.ATTACHMENT, None, f.ATTACHMENT_TYPES
    )


@router.post(
    "/cases/{case_id}/files",
    response_model=schemas.FileMeta,
    status_code=201,
    responses=UPLOAD_ERRORS,
)
def upload_file(
    case_id: schemas.WireId,
    file: Annotated[UploadFile, File()],
    who: PrincipalDep,
    portal: PortalDep,
    kind: Annotated[schemas.FileKind, Form()] = schemas.FileKind.SCAN,
    jaw: Annotated[schemas.Jaw | None, Form()] = None,
) -> Response:
    """A clinic file: scan (STL, PLY, OBJ), photo (JPEG, PNG) or document (PDF)."""
    if who.is_lab:
        raise forbidden("the lab adds files with POST /cases/{id}/attachments")
    if kind is schemas.FileKind.ATTACHMENT:
        raise validation("clinics upload scans, photos or documents", field="kind")
    return _add_file(portal, who, case_id, file, kind, jaw, f.CLINIC_TYPES)


@router.get("/cases/{case_id}/files", response_model=list[schemas.FileMeta], responses=READ_ERRORS)
def list_files(case_id: schemas.WireId, who: PrincipalDep, portal: PortalDep) -> Response:
    with portal.db.read_session() as session:
        case = load_case(session, who, case_id)
        return json_response([file_out(x) for x in case.files])


@router.get("/files/{file_id}", responses=DOWNLOAD_ANSWERS, response_class=Response)
def download(
    file_id: schemas.WireId,
    who: PrincipalDep,
    portal: PortalDep,
    range_: Annotated[str | None, Header(alias="Range")] = None,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """The file's bytes. ``ETag`` is its sha256; one ``Range`` is served as 206."""
    with portal.db.writing() as session:
        row = session.execute(
            select(m.CaseFile)
            .join(m.Case, m.Case.id == m.CaseFile.case_id)
            .where(m.CaseFile.id == file_id, visible_file(who))
            .where(
                m.Case.lab_id == who.lab_id
                if who.lab_id is not None
                else m.Case.clinic_id == who.clinic_id
            )
        ).scalar_one_or_none()
        if row is None:
            raise not_found("file")
        case = session.get(m.Case, row.case_id)
        audit(
            session,
            who,
            "file_read",
            case=case,
            file_id=row.id,
            sha256=row.sha256,
            range=range_ or "",
        )
        sha, size, media_type, name = row.sha256, row.size, row.media_type, row.filename
    path = portal.store.path(sha)
    if not path.is_file():
        raise ApiError(410, "file_missing", "the file's bytes are missing from the store")
    etag = f'"{sha}"'
    headers = {
        "ETag": etag,
        "Accept-Ranges": "bytes",
        "Content-Disposition": _disposition(name),
        "Cache-Control": "private, max-age=31536000, immutable",
    }
    if if_none_match and etag in {t.strip() for t in if_none_match.split(",")}:
        return Response(status_code=304, headers=headers)
    wanted = f.parse_range(range_, size)
    if wanted is None:
        headers["Content-Length"] = str(size)
        return StreamingResponse(
            f.read_range(path, 0, size), media_type=media_type, headers=headers
        )
    headers["Content-Range"] = f"bytes {wanted.start}-{wanted.end}/{size}"
    headers["Content-Length"] = str(wanted.length)
    return StreamingResponse(
        f.read_range(path, wanted.start, wanted.length),
        status_code=206,
        media_type=media_type,
        headers=headers,
    )


def _disposition(name: str) -> str:
    """``attachment`` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987)."""
    fallback = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
