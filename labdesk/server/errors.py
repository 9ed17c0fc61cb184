"""Errors as the API answers them: ``{"error": {"code", "message", "details"}}``, always.

Route code raises :class:`ApiError` (or one of the shortcuts); the handlers installed by
:func:`install_handlers` turn it, FastAPI's validation errors and Starlette's 404/405 into
that shape.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from labdesk.api.schemas import ErrorBody, ErrorResponse

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An answer other than success: HTTP status, stable code, message for a person."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or {}
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        error = ErrorBody(code=self.code, message=self.message, details=self.details)
        return ErrorResponse(error=error).model_dump(mode="json")


_DESCRIPTIONS = {
    204: "done, nothing to answer",
    206: "the requested byte range",
    304: "not modified (If-None-Match matched)",
    400: "malformed header (If-Match, Idempotency-Key)",
    401: "not signed in, or the session expired",
    403: "not allowed for your role or organisation",
    404: "no such resource, or not yours (another tenant's ids answer the same)",
    409: "not possible in the case's current status",
    410: "the file's bytes are gone from the store",
    412: "stale If-Match: details.current is the case now",
    413: "too large",
    415: "a kind of file not accepted here",
    416: "the byte range is outside the file",
    422: "invalid request (fields, ids out of range, missing required fields)",
    428: "If-Match is required",
    429: "too many attempts; see Retry-After",
}


def documented(*codes: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: the status codes it really answers besides its success,
    errors with the API's error body (the OpenAPI is what the fuzzing test holds us to)."""
    return {
        code: (
            {"model": ErrorResponse, "description": _DESCRIPTIONS[code]}
            if code >= 400
            else {"description": _DESCRIPTIONS[code]}
        )
        for code in codes
    }


def not_found(what: str = "case") -> ApiError:
    return ApiError(404, "not_found", f"no such {what}")


def forbidden(message: str) -> ApiError:
    return ApiError(403, "forbidden", message)


def validation(message: str, **details: Any) -> ApiError:
    return ApiError(422, "validation_error", message, details)


def error_response(exc: ApiError) -> JSONResponse:
    return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)


_STATUS_CODES = {
    400: "bad_request",
    401: "auth_required",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
}


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def on_api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = [
            {
                "loc": [str(part) for part in err.get("loc", ())],
                "msg": str(err.get("msg", "")),
                "type": str(err.get("type", "")),
            }
            for err in exc.errors()
        ]
        summary = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'][1:] or err['loc'])}: {err['msg']}"
            for err in exc.errors()[:5]
        )
        return error_response(
            ApiError(422, "validation_error", f"invalid request: {summary}", {"fields": fields})
        )

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:
            # Only the framework raises these: a body that cannot be parsed (not JSON in UTF-8,
            # broken multipart). As invalid as any other bad body: 422, the documented answer.
            return error_response(validation("the request body cannot be read", reason=exc.detail))
        code = _STATUS_CODES.get(exc.status_code, f"http_{exc.status_code}")
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404:
            message = "no such resource"
        headers = dict(exc.headers) if exc.headers else None
        return error_response(ApiError(exc.status_code, code, message, headers=headers))

    @app.exception_handler(Exception)
    async def on_unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected error", exc_info=exc)
        return error_response(ApiError(500, "internal_error", "the server failed; see its log"))
