"""How the portal client's failures become errors a person can read: transport problems
(offline, timeouts, certificates) and the portal's error bodies (code, message, field errors,
Retry-After). Split from :mod:`labdesk.api.client` so the client reads as what it does."""

from __future__ import annotations

import os
import ssl
from typing import Any

import httpx
from pydantic import ValidationError

from labdesk.api.errors import CertificateError, Offline, PortalError
from labdesk.api.schemas import ErrorResponse


def ssl_verify(verify: bool | str | os.PathLike[str]) -> bool | ssl.SSLContext:
    if isinstance(verify, bool):
        return verify
    try:
        return ssl.create_default_context(cafile=os.fspath(verify))
    except (OSError, ssl.SSLError) as exc:
        raise CertificateError(
            f"The certificate authority file {os.fspath(verify)} cannot be read ({exc})."
        ) from exc


def is_certificate_problem(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return True
        if "CERTIFICATE_VERIFY_FAILED" in str(current):
            return True
        current = current.__cause__ or current.__context__
    return False


def transport_error(exc: httpx.TransportError, base_url: str) -> PortalError:
    if is_certificate_problem(exc):
        return CertificateError(
            f"The portal at {base_url} could not be verified: its security certificate is not "
            "trusted by this computer. If your lab runs the portal with its own certificate "
            "authority, set the CA bundle in the settings.",
            code="certificate",
        )
    if isinstance(exc, httpx.TimeoutException):
        return Offline(f"The portal at {base_url} did not answer in time.", code="timeout")
    if isinstance(exc, httpx.UnsupportedProtocol):
        return PortalError(f"The portal address {base_url} is not valid.", code="bad_url")
    if isinstance(exc, httpx.ConnectError):
        return Offline(
            f"Cannot reach the portal at {base_url}. Check the network connection.",
            code="unreachable",
        )
    return Offline(f"The connection to the portal at {base_url} was lost.", code="connection_lost")


def error_body(resp: httpx.Response) -> tuple[str, str, dict[str, Any]]:
    try:
        body = ErrorResponse.model_validate_json(resp.content)
    except ValidationError:
        return "", "", {}
    return body.error.code, body.error.message, body.error.details


def field_errors(details: dict[str, Any], resp: httpx.Response) -> dict[str, str]:
    """Per-field messages from ``details.fields`` ({field: message}) or a list of
    ``{loc, msg}`` (``details.errors`` or FastAPI's own ``detail``)."""
    fields = details.get("fields")
    if isinstance(fields, dict):
        return {str(k): str(v) for k, v in fields.items()}
    errors = details.get("errors")
    if errors is None:
        try:
            raw = resp.json()
        except ValueError:
            raw = None
        errors = raw.get("detail") if isinstance(raw, dict) else None
    out: dict[str, str] = {}
    if isinstance(errors, list):
        for entry in errors:
            if not isinstance(entry, dict):
                continue
            loc = [str(p) for p in entry.get("loc", []) if p not in ("body", "query", "path")]
            out[".".join(loc) or "request"] = str(entry.get("msg", "invalid"))
    return out


def retry_after(resp: httpx.Response) -> float | None:
    value = resp.headers.get("Retry-After")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
