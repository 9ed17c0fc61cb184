"""The portal's sign-in rules that need no running server (docs/security.md "Sign-in and
lockout"): who a user may be, the bearer header, the token cache. Found unpinned by the
mutation run (docs/testing.md)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from labdesk.domain.lifecycle import Role
from labdesk.server import models as m
from labdesk.server.auth import (
    Principal,
    TokenCache,
    authenticate,
    bearer_digest,
    create_user,
    principal_of,
    purge_expired,
    token_digest,
    user_out,
    verify_password,
)
from labdesk.server.db import Database
from labdesk.server.errors import ApiError
from labdesk.server.settings import ServerSettings


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    """A session on a fresh portal database holding one lab and one clinic."""
    db = Database(f"sqlite:///{(tmp_path / 'portal.db').as_posix()}")
    db.upgrade()
    try:
        with db.writing() as session:
            session.add_all([m.Lab(name="Bright Lab"), m.Clinic(name="Riverside Dental")])
            session.flush()
            yield session
    finally:
        db.dispose()


def _lab(session: Session) -> m.Lab:
    return session.query(m.Lab).one()


def _clinic(session: Session) -> m.Clinic:
    return session.query(m.Clinic).one()


def _refusal(session: Session, **kw: object) -> str:
    with pytest.raises(ValueError, match=r".") as refused:
        create_user(session, username=str(kw.pop("username", "someone")), **kw)  # type: ignore[arg-type]
    return str(refused.value)


def test_a_user_needs_a_role_one_organisation_and_a_password(session: Session) -> None:
    lab, clinic = _lab(session), _clinic(session)
    assert _refusal(session, password="pw", roles=[], lab=lab) == "a user needs at least one role"
    both = _refusal(session, password="pw", roles=["dentist"], lab=lab, clinic=clinic)
    assert both == "a user belongs to exactly one lab or one clinic"
    assert _refusal(session, password="pw", roles=["dentist"]) == both
    assert (
        _refusal(session, password="pw", roles=["reviewer", "dentist"], lab=lab)
        == "lab members hold lab roles only"
    )
    assert _refusal(session, password="pw", roles=["reviewer"], clinic=clinic) == (
        "clinic users are dentists"
    )
    assert _refusal(session, roles=["reviewer"], lab=lab) == "a password is required"
    assert _refusal(session, password="", roles=["reviewer"], lab=lab) == "a password is required"


def test_a_lab_member_may_hold_every_lab_role(session: Session) -> None:
    from labdesk.domain.lifecycle import LAB_ROLES

    every = sorted(LAB_ROLES)
    user = create_user(session, username="all", password="pw", roles=every, lab=_lab(session))
    session.flush()
    assert sorted(user.roles) == sorted(r.value for r in every)


def test_a_user_name_is_taken_once(session: Session) -> None:
    create_user(session, username="anna", password="pw", roles=["reviewer"], lab=_lab(session))
    session.flush()
    assert (
        _refusal(
            session, username="anna", password="pw", roles=["dentist"], clinic=_clinic(session)
        )
        == "the user name 'anna' is taken"
    )


def test_a_new_user_is_active_with_its_roles_and_a_hashed_password(session: Session) -> None:
    user = create_user(
        session, username="bo", password="s3cret", roles=[Role.REVIEWER, "lab_admin"],
        lab=_lab(session), email="bo@lab.example", phone="+1 555 0100",
    )  # fmt: skip
    session.flush()
    assert (user.display_name, user.is_active, user.is_demo) == ("bo", True, False)
    assert (user.email, user.phone, user.lab_id) == (
        "bo@lab.example",
        "+1 555 0100",
        _lab(session).id,
    )
    assert sorted(user.roles) == ["lab_admin", "reviewer"]
    assert user.password_hash.startswith("$argon2")
    assert verify_password(user.password_hash, "s3cret")
    assert not verify_password(user.password_hash, "S3cret")
    assert not verify_password("not a hash", "s3cret")

    dentist = create_user(
        session, username="dr_c", password_hash=user.password_hash, roles=["dentist"],
        display_name="Dr C", clinic=_clinic(session), license_number="L-1", is_demo=True,
    )  # fmt: skip
    session.flush()
    assert (dentist.display_name, dentist.license_number, dentist.is_demo) == ("Dr C", "L-1", True)
    assert dentist.password_hash == user.password_hash  # a given hash is kept as it is

    who = principal_of(dentist, "digest")
    assert (who.username, who.display_name, who.org_name) == ("dr_c", "Dr C", "Riverside Dental")
    assert (who.roles, who.clinic_id, who.lab_id) == (
        frozenset({Role.DENTIST}), _clinic(session).id, None
    )  # fmt: skip
    assert (who.is_dentist, who.is_lab, who.token_hash) == (True, False, "digest")
    out = user_out(dentist)
    assert (out.organization.name, out.organization.kind.value) == ("Riverside Dental", "clinic")
    assert principal_of(user).org_name == "Bright Lab"
    assert user_out(user).organization.kind.value == "lab"


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer ", "Bearer    ", "Basic dXNlcjpwdw==", "Token abc", "abc"],
)
def test_anything_but_a_bearer_token_is_401_asking_for_one(header: str | None) -> None:
    with pytest.raises(ApiError) as refused:
        bearer_digest(header)
    assert (refused.value.status, refused.value.code) == (401, "auth_required")
    assert refused.value.headers == {"WWW-Authenticate": "Bearer"}
    expected = "sign in first" if not header else "use a bearer token"
    assert refused.value.message == expected


def test_the_bearer_token_is_known_by_its_sha256() -> None:
    assert bearer_digest("Bearer abc") == token_digest("abc")
    assert bearer_digest("bearer  abc ") == token_digest("abc")
    assert token_digest("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


def _principal(digest: str = "d1") -> Principal:
    return Principal(1, "anna", "Anna", frozenset({Role.REVIEWER}), 1, None, "Bright Lab", digest)


def test_the_token_cache_keeps_a_principal_until_its_time_is_up() -> None:
    cache = TokenCache(ttl=10.0)
    later = datetime.now(UTC) + timedelta(hours=1)
    assert cache.get("d1") is None
    cache.put(_principal("d1"), later)
    assert cache.get("d1") == _principal("d1")
    cache.drop("d1")
    assert cache.get("d1") is None

    short = TokenCache(ttl=0.05)
    short.put(_principal("d1"), later)
    time.sleep(0.1)
    assert short.get("d1") is None  # older than ttl: asked of the database again


def test_a_cached_token_past_its_expiry_is_refused_as_expired() -> None:
    cache = TokenCache(ttl=10.0)
    cache.put(_principal("d1"), datetime.now(UTC) - timedelta(seconds=1))
    with pytest.raises(ApiError) as refused:
        cache.get("d1")
    assert (refused.value.status, refused.value.code) == (401, "token_expired")
    assert refused.value.headers == {"WWW-Authenticate": "Bearer"}
    assert cache.get("d1") is None  # dropped


def test_a_full_token_cache_starts_over() -> None:
    cache = TokenCache(ttl=10.0, size=2)
    later = datetime.now(UTC) + timedelta(hours=1)
    for digest in ("d1", "d2", "d3"):
        cache.put(_principal(digest), later)
    assert [cache.get(d) is not None for d in ("d1", "d2", "d3")] == [False, False, True]
    assert TokenCache().ttl == 10.0
    assert TokenCache().size == 10_000


def test_a_principal_holds_its_roles() -> None:
    lab = _principal()
    assert lab.is_lab
    assert not lab.is_dentist
    assert lab.has(Role.REVIEWER)
    assert not lab.has(Role.LAB_ADMIN)
    orphan = Principal(2, "x", "x", frozenset({Role.DENTIST}), None, None, "")
    assert not orphan.is_dentist  # a dentist belongs to a clinic


def _token(session: Session, user: m.User, digest: str, expires: datetime, **kw: object) -> None:
    session.add(m.Token(user_id=user.id, token_hash=digest, expires_at=expires, **kw))
    session.flush()


def test_a_token_is_good_until_it_expires_is_revoked_or_its_user_leaves(
    session: Session,
) -> None:
    user = create_user(
        session, username="anna", password="pw", roles=["reviewer"], lab=_lab(session)
    )
    session.flush()
    later = datetime.now(UTC) + timedelta(hours=1)
    _token(session, user, "good", later)
    who, expires = authenticate(session, "good")
    assert (who.username, who.token_hash, who.org_name) == ("anna", "good", "Bright Lab")
    assert expires.replace(tzinfo=expires.tzinfo or UTC) == later  # SQLite keeps no zone

    _token(session, user, "revoked", later, revoked=True)
    _token(session, user, "old", datetime.now(UTC) - timedelta(seconds=1))
    for digest in ("unknown", "revoked"):
        with pytest.raises(ApiError) as refused:
            authenticate(session, digest)
        assert (refused.value.status, refused.value.code, refused.value.message) == (
            401, "auth_required", "the session is not valid; sign in"
        )  # fmt: skip
        assert refused.value.headers == {"WWW-Authenticate": "Bearer"}
    with pytest.raises(ApiError) as expired:
        authenticate(session, "old")
    assert (expired.value.code, expired.value.message) == (
        "token_expired", "the session has expired; sign in"
    )  # fmt: skip
    assert expired.value.headers == {"WWW-Authenticate": "Bearer"}

    user.is_active = False
    session.flush()
    with pytest.raises(ApiError) as left:
        authenticate(session, "good")
    assert left.value.code == "auth_required"


def test_purging_forgets_tokens_a_day_past_expiry_and_old_sign_in_failures(
    session: Session, tmp_path: Path
) -> None:
    settings = ServerSettings(data_dir=tmp_path / "portal")
    user = create_user(session, username="bo", password="pw", roles=["reviewer"], lab=_lab(session))
    session.flush()
    now = datetime.now(UTC)
    for digest, age in (("fresh", timedelta(hours=-1)), ("hours", timedelta(hours=23)),
                        ("days", timedelta(hours=25))):  # fmt: skip
        _token(session, user, digest, now - age)
    window = settings.login_window
    for name, age in (("recent", window), ("older", 2 * window - timedelta(minutes=1)),
                      ("oldest", 2 * window + timedelta(minutes=1))):  # fmt: skip
        session.add(m.LoginFailure(username=name, address="10.0.0.1", at=now - age))
    session.flush()
    purge_expired(session, settings)
    tokens = {t.token_hash for t in session.query(m.Token)}
    assert tokens == {"fresh", "hours"}
    failures = {f.username for f in session.query(m.LoginFailure)}
    assert failures == {"recent", "older"}
