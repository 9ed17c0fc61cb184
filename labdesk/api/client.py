"""The HTTP client of the lab portal: typed requests in, shared schemas or typed errors out.

Synchronous on purpose: the sync worker thread calls it, the GUI thread never does. Retries
with backoff happen only where repeating is harmless: GET requests, and actions that carry an
``Idempotency-Key`` (the portal answers a repeated key with the first result). Sign-in,
PATCH and uploads are sent once. The token is asked from the :class:`TokenStore` for each
request and is never logged.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
import random
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from labdesk import __version__
from labdesk.api.errors import (
    AlreadyImported,
    AuthExpired,
    ChecksumMismatch,
    Conflict,
    Forbidden,
    Invalid,
    LoginFailed,
    NotFound,
    Offline,
    PortalError,
    ServerError,
    StaleVersion,
    TooManyAttempts,
)
from labdesk.api.schemas import (
    API_PREFIX,
    ActionRequest,
    Case,
    CasePage,
    CasePatch,
    CatalogItem,
    FileMeta,
    Health,
    ImportCase,
    IntakeHints,
    IntakeMatch,
    LoginRequest,
    LoginResponse,
    Person,
    ReasonOut,
    User,
    Workload,
    wire_body,
)
from labdesk.api.tokens import TokenStore
from labdesk.api.transport import (
    error_body,
    field_errors,
    retry_after,
    ssl_verify,
    transport_error,
)

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)
Progress = Callable[[int, int], None]  # (bytes done, bytes total; 0 when unknown)

RETRYABLE_STATUS = frozenset({502, 503, 504})
CHUNK = 256 * 1024


class PortalClient:
    """One portal, one signed-in person. ``transport`` lets tests hand in their own."""

    def __init__(
        self,
        base_url: str,
        token_store: TokenStore,
        *,
        username: str | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 10.0,
        verify: bool | str | os.PathLike[str] = True,
        retries: int = 3,
        backoff: float = 0.3,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token_store = token_store
        self.username = username
        self.retries = retries
        self.backoff = backoff
        self._transport = transport
        self._verify = verify
        self._http = self.new_http(timeout)

    # --- lifecycle ------------------------------------------------------------------------

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PortalClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def signed_in(self) -> bool:
        return self._token() is not None

    # --- auth -----------------------------------------------------------------------------

    def login(self, username: str, password: str) -> LoginResponse:
        """Sign in and keep the token in the token store. Never retried."""
        body = LoginRequest(username=username, password=password).model_dump(mode="json")
        resp = self._request("POST", "/auth/login", json=body, auth=False, retry=False, login=True)
        result = _parse(LoginResponse, resp)
        self.token_store.save(self.base_url, username, result.token)
        self.username = username
        return result

    def logout(self) -> None:
        """Sign out on the portal (best effort) and forget the token here in any case."""
        try:
            if self._token() is not None:
                self._request("POST", "/auth/logout", retry=False)
        except PortalError as exc:
            log.info("sign-out on the portal failed: %s", type(exc).__name__)
        finally:
            if self.username:
                self.token_store.clear(self.base_url, self.username)

    def me(self) -> User:
        return _parse(User, self._request("GET", "/me"))

    # --- cases ----------------------------------------------------------------------------

    def list_cases(self, since: int, limit: int = 500) -> CasePage:
        resp = self._request("GET", "/cases", params={"since": since, "limit": limit})
        return _parse(CasePage, resp)

    def get_case(self, case_id: int) -> Case:
        return _parse(Case, self._request("GET", f"/cases/{case_id}"))

    def act(
        self, case_id: int, request: ActionRequest, *, version: int, idempotency_key: str
    ) -> Case:
        """Take an action. Safe to repeat with the same key: retried on a lost connection."""
        headers = {
            "If-Match": str(version),
            "Idempotency-Key": idempotency_key,
            "Content-Type": "application/json",
        }
        path = f"/cases/{case_id}/actions"
        try:
            resp = self._request(
                "POST", path, content=wire_body(request).encode(), headers=headers, retry=True
            )
        except _StaleWithoutCurrent as exc:
            raise StaleVersion(exc.message, current=self.get_case(case_id)) from None
        return _parse(Case, resp)

    def patch_case(self, case_id: int, patch: CasePatch, *, version: int) -> Case:
        """Change lab fields. Not retried: a repeat after a lost answer would look stale."""
        body = patch.model_dump(mode="json", exclude_unset=True)
        path = f"/cases/{case_id}"
        try:
            resp = self._request(
                "PATCH", path, json=body, headers={"If-Match": str(version)}, retry=False
            )
        except _StaleWithoutCurrent as exc:
            raise StaleVersion(exc.message, current=self.get_case(case_id)) from None
        return _parse(Case, resp)

    # --- files ----------------------------------------------------------------------------

    def upload_attachment(self, case_id: int, path: str | os.PathLike[str]) -> FileMeta:
        """Upload a file from disk (see :meth:`upload_attachment_data`). Never retried."""
        source = Path(path)
        media_type = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
        return self.upload_attachment_data(case_id, source.name, source.read_bytes(), media_type)

    def upload_attachment_data(
        self, case_id: int, filename: str, data: bytes, media_type: str
    ) -> FileMeta:
        """Upload ``data`` as the multipart ``file`` field named ``filename``. Never retried
        (attachments are small: the portal's limit is checked before they are sent). The
        portal keeps it staged, seen only by this user, until an action carries its id."""
        files = {"file": (filename, data, media_type)}
        resp = self._request("POST", f"/cases/{case_id}/attachments", files=files, retry=False)
        return _parse(FileMeta, resp)

    def download_file(
        self,
        file_id: int,
        dest_path: str | os.PathLike[str],
        *,
        expected_sha256: str,
        offset: int = 0,
        progress: Progress | None = None,
    ) -> Path:
        """Stream a file to ``dest_path``, resuming at ``offset`` (bytes already there).

        A broken connection resumes with ``Range`` from what was written; the result is
        checked against ``expected_sha256`` and deleted when it does not match.
        """
        dest = Path(dest_path)
        dest.parent.mkdir(parents=True, exist_ok=True)
        have = min(offset, dest.stat().st_size) if dest.exists() else 0
        failures = 0
        while True:
            try:
                have = self._download_once(file_id, dest, have, progress)
                break
            except Offline:
                written = dest.stat().st_size if dest.exists() else 0
                if written > have:  # progress was made: the connection is worth retrying
                    failures = 0
                have = written
                failures += 1
                if failures > self.retries:
                    raise
                self._sleep(failures)
        digest = _sha256_of(dest)
        if digest != expected_sha256.lower():
            dest.unlink(missing_ok=True)
            raise ChecksumMismatch(
                f"The downloaded file {file_id} is damaged (its checksum does not match the "
                "portal's); it will be downloaded again.",
                code="checksum_mismatch",
            )
        return dest

    def _download_once(self, file_id: int, dest: Path, have: int, progress: Progress | None) -> int:
        headers = {"Range": f"bytes={have}-"} if have else {}
        headers["Accept"] = "*/*"
        for attempt in range(self.retries + 1):
            try:
                with self._http.stream(
                    "GET", f"/files/{file_id}", headers={**self._auth(True), **headers}
                ) as resp:
                    if resp.status_code == 416 and have:
                        return have  # already complete; the checksum decides
                    if resp.status_code in RETRYABLE_STATUS and attempt < self.retries:
                        resp.read()
                        self._sleep(attempt + 1)
                        continue
                    if not resp.is_success:
                        resp.read()
                        raise self._error_from(resp, login=False)
                    return _write_stream(resp, dest, have, progress)
            except httpx.TransportError as exc:
                raise transport_error(exc, self.base_url) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    # --- intake ---------------------------------------------------------------------------

    def import_case(
        self,
        order: ImportCase,
        files: list[tuple[str, bytes]],
        *,
        idempotency_key: str,
    ) -> Case:
        """Create a case for a clinic from a scanner export, with ``files`` (name, bytes), in
        one portal transaction. Safe to repeat with the same key (retried on a lost
        connection); a re-import of the same order raises :class:`AlreadyImported`."""
        parts = [("files", (name, data, "application/octet-stream")) for name, data in files]
        resp = self._request(
            "POST",
            "/intake/cases",
            data={"order": order.model_dump_json()},
            files=parts or None,
            headers={"Idempotency-Key": idempotency_key},
            retry=True,
        )
        return _parse(Case, resp)

    def match_intake_dentist(self, hints: IntakeHints) -> IntakeMatch:
        """The dentist of a linked clinic a scanner export names (licence, then name)."""
        resp = self._request(
            "POST", "/intake/match", json=hints.model_dump(mode="json"), retry=True
        )
        return _parse(IntakeMatch, resp)

    # --- reference data -------------------------------------------------------------------

    def rejection_reasons(self) -> list[ReasonOut]:
        return _parse_list(ReasonOut, self._request("GET", "/reference/rejection-reasons"))

    def catalog(self) -> list[CatalogItem]:
        return _parse_list(CatalogItem, self._request("GET", "/reference/catalog"))

    def people(self) -> list[Person]:
        return _parse_list(Person, self._request("GET", "/people"))

    def workload(
        self, *, clinic_id: int | None = None, catalog_code: str | None = None
    ) -> Workload:
        """The lab's workload figures (``GET /workload``), narrowed to a clinic or an item."""
        params: dict[str, str | int] = {}
        if clinic_id is not None:
            params["clinic_id"] = clinic_id
        if catalog_code:
            params["catalog_code"] = catalog_code
        return _parse(Workload, self._request("GET", "/workload", params=params))

    def health(self) -> Health:
        return _parse(Health, self._request("GET", "/health", auth=False))

    # --- plumbing -------------------------------------------------------------------------

    def new_http(self, timeout: float | httpx.Timeout = 10.0) -> httpx.Client:
        """A connection pool to this portal (the change feed holds one of its own, so that
        closing it ends a blocked read at once)."""
        return httpx.Client(
            base_url=self.base_url + API_PREFIX,
            transport=self._transport,
            timeout=timeout,
            verify=ssl_verify(self._verify),
            headers={"User-Agent": f"LabDesk/{__version__}", "Accept": "application/json"},
            follow_redirects=False,
        )

    def auth_headers(self) -> dict[str, str]:
        return self._auth(True)

    def error_from(self, resp: httpx.Response) -> PortalError:
        return self._error_from(resp, login=False)

    def _token(self) -> str | None:
        if not self.username:
            return None
        return self.token_store.get(self.base_url, self.username)

    def _auth(self, auth: bool) -> dict[str, str]:
        if not auth:
            return {}
        token = self._token()
        if token is None:
            raise AuthExpired("You are not signed in. Please sign in.", code="auth_required")
        return {"Authorization": f"Bearer {token}"}

    def _sleep(self, attempt: int) -> None:
        delay = self.backoff * (2 ** (attempt - 1))
        time.sleep(delay * (0.75 + random.random() / 2))

    def _request(
        self,
        method: str,
        path: str,
        *,
        retry: bool | None = None,
        auth: bool = True,
        login: bool = False,
        headers: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        if retry is None:
            retry = method == "GET"
        tries = self.retries + 1 if retry else 1
        for attempt in range(1, tries + 1):
            all_headers = {**self._auth(auth), **(headers or {})}
            try:
                resp = self._http.request(method, path, headers=all_headers, **kwargs)
            except httpx.TransportError as exc:
                error = transport_error(exc, self.base_url)
                if isinstance(error, Offline) and attempt < tries:
                    log.info("%s %s: %s; retrying", method, path, type(exc).__name__)
                    self._sleep(attempt)
                    continue
                raise error from exc
            if resp.status_code in RETRYABLE_STATUS and attempt < tries:
                log.info("%s %s: HTTP %s; retrying", method, path, resp.status_code)
                self._sleep(attempt)
                continue
            if resp.is_success:
                return resp
            raise self._error_from(resp, login=login)
        raise AssertionError("unreachable")  # pragma: no cover

    def _error_from(self, resp: httpx.Response, *, login: bool) -> PortalError:
        status = resp.status_code
        code, message, details = error_body(resp)
        if status == 401:
            if login:
                return LoginFailed(
                    message or "Wrong username or password.", code=code, status=status
                )
            if self.username:
                self.token_store.clear(self.base_url, self.username)
            return AuthExpired(
                message or "Your sign-in has expired. Please sign in again.",
                code=code or "token_expired",
                status=status,
            )
        if status == 429:
            return TooManyAttempts(
                message or "Too many failed sign-ins: the account is locked for a while.",
                retry_after=retry_after(resp),
                code=code or "too_many_attempts",
            )
        if status == 403:
            return Forbidden(message or "You are not allowed to do this.", code=code, status=status)
        if status == 404:
            return NotFound(
                message or "This case or file does not exist on the portal.",
                code=code,
                status=status,
            )
        if status == 409 and code == "already_imported":
            case_id = details.get("case_id")
            return AlreadyImported(
                message,
                case_number=str(details.get("case_number", "")),
                case_id=case_id if isinstance(case_id, int) else None,
            )
        if status == 409:
            return Conflict(
                message or "The case's status does not allow this any more.",
                code=code or "transition_not_allowed",
                status=status,
            )
        if status == 412:
            message = message or "Someone else changed this case first."
            try:
                current = Case.model_validate(details["current"])
            except (KeyError, TypeError, ValidationError):
                return _StaleWithoutCurrent(message, code=code, status=status)
            return StaleVersion(message, current=current, code=code or "stale_version")
        if status in (400, 413, 415, 422):
            return Invalid(
                message or "The portal refused the request as incomplete or wrong.",
                fields=field_errors(details, resp),
                code=code or "invalid",
                status=status,
            )
        if status >= 500:
            return ServerError(
                message or f"The portal had a problem (HTTP {status}). Try again later.",
                code=code,
                status=status,
            )
        return ServerError(
            message or f"The portal answered unexpectedly (HTTP {status}).",
            code=code,
            status=status,
        )


class _StaleWithoutCurrent(ServerError):
    """A 412 whose body lacks the current case; the caller fetches it."""


def _parse(model: type[M], resp: httpx.Response) -> M:
    try:
        return model.model_validate_json(resp.content)
    except ValidationError as exc:
        log.warning("unreadable %s from the portal: %s", model.__name__, exc.error_count())
        raise ServerError(
            "The portal sent an answer this version of LabDesk cannot read.", code="bad_response"
        ) from exc


def _parse_list(model: type[M], resp: httpx.Response) -> list[M]:
    try:
        return TypeAdapter(list[model]).validate_json(resp.content)  # type: ignore[valid-type]
    except ValidationError as exc:
        raise ServerError(
            "The portal sent an answer this version of LabDesk cannot read.", code="bad_response"
        ) from exc


def _content_range(resp: httpx.Response) -> tuple[int, int] | None:
    """(start, total) from ``Content-Range: bytes start-end/total``; total 0 when ``*``."""
    value = resp.headers.get("Content-Range", "")
    try:
        _unit, rest = value.split(" ", 1)
        span, total = rest.split("/", 1)
        start = int(span.split("-", 1)[0])
        return start, (0 if total.strip() == "*" else int(total))
    except ValueError:
        return None


def _write_stream(resp: httpx.Response, dest: Path, have: int, progress: Progress | None) -> int:
    if resp.status_code == 206:
        span = _content_range(resp)
        if span is None or span[0] != have:
            raise ServerError("The portal resumed the download at the wrong place.")
        start, total = span
    else:  # 200: the whole file, from the start
        start = 0
        total = int(resp.headers.get("Content-Length", "0") or 0)
    done = start
    mode = "r+b" if start and dest.exists() else "wb"
    with dest.open(mode) as handle:
        handle.seek(start)
        handle.truncate()
        if progress is not None:
            progress(done, total)
        for chunk in resp.iter_bytes(CHUNK):
            handle.write(chunk)
            done += len(chunk)
            if progress is not None:
                progress(done, total)
    return done


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()
