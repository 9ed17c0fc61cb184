"""Passwords, bearer tokens, sign-in throttling and the signed-in principal.

Passwords are argon2 hashes. A token is ``secrets.token_urlsafe(32)`` handed to the client
once; the database keeps only its sha256 and expiry. Neither ever reaches a log.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from labdesk.api import schemas
from labdesk.domain.lifecycle import LAB_ROLES, Role
from labdesk.server import login_throttle
from labdesk.server import models as m
from labdesk.server.errors import ApiError
from labdesk.server.models import utcnow
from labdesk.server.settings import ServerSettings

_hasher = PasswordHasher()
# Verified against when the user does not exist, so that both answers take as long.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Principal:
    """Who is calling, detached from any session."""

    user_id: int
    username: str
    display_name: str
    roles: frozenset[Role]
    lab_id: int | None
    clinic_id: int | None
    org_name: str
    token_hash: str = ""

    @property
    def is_lab(self) -> bool:
        return self.lab_id is not None

    @property
    def is_dentist(self) -> bool:
        return Role.DENTIST in self.roles and self.clinic_id is not None

    def has(self, role: Role) -> bool:
        return role in self.roles


def principal_of(user: m.User, token_hash: str = "") -> Principal:
    org_name = user.lab.name if user.lab else (user.clinic.name if user.clinic else "")
    return Principal(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        roles=frozenset(Role(r) for r in user.roles),
        lab_id=user.lab_id,
        clinic_id=user.clinic_id,
        org_name=org_name,
        token_hash=token_hash,
    )


def user_out(user: m.User) -> schemas.User:
    if user.lab is not None:
        org = schemas.Organization(id=user.lab.id, name=user.lab.name, kind=schemas.OrgKind.LAB)
    elif user.clinic is not None:
        org = schemas.Organization(
            id=user.clinic.id, name=user.clinic.name, kind=schemas.OrgKind.CLINIC
        )
    else:  # pragma: no cover - create_user refuses users without an organisation
        raise ValueError(f"user {user.username} belongs to no organisation")
    return schemas.User(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        roles=[Role(r) for r in user.roles],
        organization=org,
    )


def login(
    session: Session,
    settings: ServerSettings,
    username: str,
    password: str,
    *,
    address: str,
) -> tuple[str, datetime, m.User] | ApiError:
    """Check a sign-in from client ``address``. Returns (token, expiry, user), or the error.

    Failures are recorded in ``session`` (the caller commits either way); the throttling
    policy is :mod:`labdesk.server.login_throttle`.
    """
    now = utcnow()
    refused = login_throttle.refusal(session, settings, username, address, now)
    if refused is not None:
        audit_login(session, None, username, "login_throttled", address=address, **refused.details)
        return refused
    user = session.execute(select(m.User).where(m.User.username == username)).scalar_one_or_none()
    ok = verify_password(user.password_hash if user else _DUMMY_HASH, password)
    if user is None or not ok or not user.is_active:
        audit_login(session, user, username, "login_failed", address=address)
        failures = login_throttle.record_failure(session, settings, username, address, now)
        if failures == settings.login_max_failures:
            audit_login(session, user, username, "login_alert", failures=failures)
        return ApiError(401, "invalid_credentials", "wrong user name or password")
    if user.is_demo and not settings.demo:
        audit_login(session, user, username, "login_refused_demo", address=address)
        return ApiError(
            403, "demo_user", "demo accounts can sign in only when the server runs in demo mode"
        )
    login_throttle.forget_failures(session, username, address)
    token = secrets.token_urlsafe(32)
    expires = now + settings.token_ttl
    session.add(m.Token(user_id=user.id, token_hash=token_digest(token), expires_at=expires))
    audit_login(session, user, username, "login", address=address)
    return token, expires, user


def audit_login(
    session: Session, user: m.User | None, username: str, event: str, **details: Any
) -> None:
    """A sign-in event; never the password. ``lab_id`` lets the lab admin see it."""
    session.add(
        m.AuditRow(
            actor_id=user.id if user else None,
            actor=username[:150],
            lab_id=user.lab_id if user else None,
            event=event,
            details=details,
        )
    )


_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def bearer_digest(authorization: str | None) -> str:
    """The sha256 of the token in ``Authorization: Bearer <token>``, or 401."""
    if not authorization:
        raise ApiError(401, "auth_required", "sign in first", headers=_CHALLENGE)
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "auth_required", "use a bearer token", headers=_CHALLENGE)
    return token_digest(token.strip())


def _expired() -> ApiError:
    return ApiError(401, "token_expired", "the session has expired; sign in", headers=_CHALLENGE)


def authenticate(session: Session, digest: str) -> tuple[Principal, datetime]:
    """The principal of a token (by its digest) and the token's expiry, or 401."""
    row = session.execute(
        select(m.Token, m.User)
        .join(m.User, m.User.id == m.Token.user_id)
        .where(m.Token.token_hash == digest)
    ).one_or_none()
    if row is None or row[0].revoked or not row[1].is_active:
        raise ApiError(
            401, "auth_required", "the session is not valid; sign in", headers=_CHALLENGE
        )
    token_row, user = row
    if token_row.expires_at <= utcnow():
        raise _expired()
    return principal_of(user, digest), token_row.expires_at


class TokenCache:
    """Recently checked tokens, so that polling clients cost no database lookup.

    An entry lives ``ttl`` seconds: a token revoked by another server process (or a
    deactivated user) stops working within that time; a sign-out through this process drops
    it at once.
    """

    def __init__(self, ttl: float = 10.0, size: int = 10_000) -> None:
        self.ttl = ttl
        self.size = size
        self._entries: dict[str, tuple[Principal, datetime, float]] = {}
        self._lock = threading.Lock()

    def get(self, digest: str) -> Principal | None:
        with self._lock:
            entry = self._entries.get(digest)
        if entry is None:
            return None
        principal, expires, cached_at = entry
        if time.monotonic() - cached_at > self.ttl:
            self.drop(digest)
            return None
        if expires <= utcnow():
            self.drop(digest)
            raise _expired()
        return principal

    def put(self, principal: Principal, expires: datetime) -> None:
        with self._lock:
            if len(self._entries) >= self.size:
                self._entries.clear()
            self._entries[principal.token_hash] = (principal, expires, time.monotonic())

    def drop(self, digest: str) -> None:
        with self._lock:
            self._entries.pop(digest, None)


def revoke(session: Session, token_hash: str) -> None:
    token = session.execute(
        select(m.Token).where(m.Token.token_hash == token_hash)
    ).scalar_one_or_none()
    if token is not None:
        token.revoked = True


def purge_expired(session: Session, settings: ServerSettings) -> None:
    """Forget expired tokens and old sign-in failures (run now and then)."""
    now = utcnow()
    session.execute(delete(m.Token).where(m.Token.expires_at < now - timedelta(days=1)))
    session.execute(
        delete(m.LoginFailure).where(m.LoginFailure.at < now - 2 * settings.login_window)
    )


def create_user(
    session: Session,
    *,
    username: str,
    password: str | None = None,
    password_hash: str | None = None,
    roles: list[Role] | list[str],
    display_name: str | None = None,
    lab: m.Lab | None = None,
    clinic: m.Clinic | None = None,
    email: str | None = None,
    phone: str | None = None,
    license_number: str | None = None,
    is_demo: bool = False,
) -> m.User:
    """Add a user; lab roles need a lab, the dentist role a clinic."""
    wanted = {Role(r) for r in roles}
    if not wanted:
        raise ValueError("a user needs at least one role")
    if (lab is None) == (clinic is None):
        raise ValueError("a user belongs to exactly one lab or one clinic")
    if lab is not None and not wanted <= LAB_ROLES:
        raise ValueError("lab members hold lab roles only")
    if clinic is not None and wanted != {Role.DENTIST}:
        raise ValueError("clinic users are dentists")
    if password_hash is None:
        if not password:
            raise ValueError("a password is required")
        password_hash = hash_password(password)
    if session.execute(select(m.User.id).where(m.User.username == username)).first():
        raise ValueError(f"the user name {username!r} is taken")
    user = m.User(
        username=username,
        display_name=display_name or username,
        password_hash=password_hash,
        lab=lab,
        clinic=clinic,
        email=email,
        phone=phone,
        license_number=license_number,
        is_demo=is_demo,
        is_active=True,
    )
    user.role_rows = [m.UserRole(role=r.value) for r in sorted(wanted)]
    session.add(user)
    return user
