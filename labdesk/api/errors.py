"""Typed errors of the portal client, each with a message meant for a person.

The GUI shows ``str(error)``; the sync engine decides by type: an :class:`Offline` entry is
kept and retried, a :class:`StaleVersion` or :class:`Conflict` becomes a conflict the user
resolves, an :class:`AuthExpired` stops everything until the person signs in again.
"""

from __future__ import annotations

from labdesk.api.schemas import Case
from labdesk.errors import KnownError


class PortalError(KnownError):
    """Anything that went wrong talking to the portal; ``str()`` is for a person."""

    def __init__(self, message: str, *, code: str = "", status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code  # the portal's stable error code, when it sent one
        self.status = status  # the HTTP status, when there was an answer


class Offline(PortalError):
    """The portal could not be reached (no network, refused, DNS, timeout, connection cut)."""


class CertificateError(PortalError):
    """The portal's TLS certificate could not be verified (unknown CA, wrong host, expired)."""


class AuthExpired(PortalError):
    """The sign-in is no longer valid (401); the person must sign in again."""


class LoginFailed(PortalError):
    """Wrong username or password."""


class TooManyAttempts(PortalError):
    """Too many failed sign-ins (429): the account is locked for a while."""

    def __init__(
        self, message: str, *, retry_after: float | None = None, code: str = "too_many_attempts"
    ) -> None:
        super().__init__(message, code=code, status=429)
        self.retry_after = retry_after


class Forbidden(PortalError):
    """The person's roles do not allow this (403)."""


class NotFound(PortalError):
    """The case or file does not exist, or is not visible to this person (404)."""


class Conflict(PortalError):
    """The case's status does not allow this action (409, ``transition_not_allowed``)."""


class AlreadyImported(Conflict):
    """The scanner order was imported before (409 ``already_imported``): ``case_number``."""

    def __init__(self, message: str, *, case_number: str, case_id: int | None) -> None:
        super().__init__(message, code="already_imported", status=409)
        self.case_number = case_number
        self.case_id = case_id


class StaleVersion(PortalError):
    """Someone changed the case first (412); ``current`` is the case as the portal has it."""

    def __init__(self, message: str, *, current: Case, code: str = "stale_version") -> None:
        super().__init__(message, code=code, status=412)
        self.current = current


class Invalid(PortalError):
    """The request was refused as incomplete or wrong (422); ``fields`` says what, per field."""

    def __init__(
        self,
        message: str,
        *,
        fields: dict[str, str] | None = None,
        code: str = "invalid",
        status: int | None = 422,
    ) -> None:
        super().__init__(message, code=code, status=status)
        self.fields: dict[str, str] = dict(fields or {})


class ServerError(PortalError):
    """The portal failed (5xx) or answered something this LabDesk cannot read."""


class ChecksumMismatch(PortalError):
    """A downloaded file does not match the sha256 the portal published for it."""
