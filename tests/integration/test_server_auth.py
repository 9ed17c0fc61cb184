"""Signing in to the portal: good and bad passwords, lockout, tokens, demo accounts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import update

from labdesk.api.schemas import LoginResponse, User
from labdesk.server import models
from labdesk.server.auth import token_digest


def _login(api: Any, username: str, password: str) -> Any:
    with api.anonymous() as client:
        return client.post("/auth/login", json={"username": username, "password": password})


def test_login_returns_a_token_and_the_user_with_roles_and_lab(portal_api: Any) -> None:
    response = _login(portal_api, "qc_manager", "demo")
    assert response.status_code == 200
    login = LoginResponse.model_validate(response.json())
    assert login.user.username == "qc_manager"
    assert [r.value for r in login.user.roles] == ["qc_manager"]
    assert login.user.organization.name == "Northside Dental Lab"
    assert login.user.organization.kind == "lab"
    assert login.expires_at > datetime.now(UTC) + timedelta(hours=11)
    with portal_api.anonymous() as client:
        me = client.get("/me", headers={"Authorization": f"Bearer {login.token}"})
    assert me.status_code == 200
    assert User.model_validate(me.json()).username == "qc_manager"


def test_a_dentist_belongs_to_a_clinic(portal_api: Any) -> None:
    me = portal_api.as_("dentist4").get("/me").json()
    assert me["roles"] == ["dentist"]
    assert me["organization"] == {"id": 2, "name": "Old Town Dental Care", "kind": "clinic"}


def test_wrong_password_and_unknown_user_are_both_401(portal_api: Any) -> None:
    for username in ("designer", "nobody-at-all"):
        response = _login(portal_api, username, "not the password")
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "invalid_credentials"


def test_more_than_ten_failures_lock_the_user_even_with_the_right_password(
    portal_api: Any,
) -> None:
    name = f"locked-{uuid.uuid4().hex[:8]}"
    portal_api.make_user(name, "right-horse-battery", ["designer"], lab="Northside Dental Lab")
    assert _login(portal_api, name, "right-horse-battery").status_code == 200
    for _ in range(10):
        assert _login(portal_api, name, "wrong").status_code == 401
    locked = _login(portal_api, name, "right-horse-battery")
    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "too_many_attempts"
    assert int(locked.headers["Retry-After"]) > 0
    # Others are not affected.
    assert _login(portal_api, "designer", "demo").status_code == 200


def test_a_success_resets_the_failure_count(portal_factory: Any) -> None:
    from tests.conftest import PortalApi

    running = portal_factory(login_max_failures=3)
    api = PortalApi(running)
    with running.app.state.portal.db.writing() as session:
        session.add(models.Lab(name="Small Lab"))
    api.make_user("careless", "pw-1234567", ["shipping"], lab="Small Lab")
    for _ in range(3):
        assert _login(api, "careless", "wrong").status_code == 401
    assert _login(api, "careless", "pw-1234567").status_code == 429
    # The window is what unlocks: pretend it has passed.
    with running.app.state.portal.db.writing() as session:
        session.execute(
            update(models.LoginFailure).values(at=datetime.now(UTC) - timedelta(minutes=16))
        )
    assert _login(api, "careless", "pw-1234567").status_code == 200
    for _ in range(2):
        assert _login(api, "careless", "wrong").status_code == 401
    assert _login(api, "careless", "pw-1234567").status_code == 200
    for _ in range(2):  # the success cleared the two failures before it
        assert _login(api, "careless", "wrong").status_code == 401
    assert _login(api, "careless", "pw-1234567").status_code == 200


def test_requests_without_a_valid_token_are_401(portal_api: Any) -> None:
    with portal_api.anonymous() as client:
        missing = client.get("/cases")
        assert missing.status_code == 401
        assert missing.json()["error"]["code"] == "auth_required"
        assert missing.headers["WWW-Authenticate"] == "Bearer"
        bogus = client.get("/cases", headers={"Authorization": "Bearer made-up"})
        assert bogus.status_code == 401
        assert bogus.json()["error"]["code"] == "auth_required"


def test_logout_revokes_the_token(portal_api: Any) -> None:
    token = _login(portal_api, "ceramist", "demo").json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    with portal_api.anonymous() as client:
        assert client.get("/me", headers=headers).status_code == 200
        assert client.post("/auth/logout", headers=headers).status_code == 204
        assert client.get("/me", headers=headers).status_code == 401


def test_an_expired_token_says_so(portal_api: Any, portal: Any) -> None:
    token = _login(portal_api, "finishing_tech", "demo").json()["token"]
    with portal.app.state.portal.db.writing() as session:
        session.execute(
            update(models.Token)
            .where(models.Token.token_hash == token_digest(token))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    with portal_api.anonymous() as client:
        response = client.get("/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_expired"


def test_tokens_are_stored_hashed(portal_api: Any, portal: Any) -> None:
    token = _login(portal_api, "shipping", "demo").json()["token"]
    with portal.app.state.portal.db.read_session() as session:
        stored = {t.token_hash for t in session.query(models.Token).all()}
        hashes = {u.password_hash for u in session.query(models.User).all()}
    assert token not in stored
    assert token_digest(token) in stored
    assert all(h.startswith("$argon2") for h in hashes)


def test_demo_accounts_are_refused_outside_demo_mode(fresh_portal: Any) -> None:
    from tests.conftest import PortalApi

    api = PortalApi(fresh_portal)
    with fresh_portal.app.state.portal.db.writing() as session:
        session.add(models.Lab(name="Demo-less Lab"))
    api.make_user("demo_person", "demo", ["lab_admin"], lab="Demo-less Lab", is_demo=True)
    api.make_user("real_person", "s3cret-pass", ["lab_admin"], lab="Demo-less Lab")
    refused = _login(api, "demo_person", "demo")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "demo_user"
    assert _login(api, "real_person", "s3cret-pass").status_code == 200


def test_audit_log_records_logins(portal_api: Any) -> None:
    _login(portal_api, "reviewer", "wrong password")
    entries = portal_api.as_("lab_admin").get("/audit", params={"limit": 1000}).json()
    events = {(e["actor"], e["event"]) for e in entries}
    assert ("reviewer", "login_failed") in events
    assert ("lab_admin", "login") in events
    assert portal_api.as_("reviewer").get("/audit").status_code == 403


def test_sign_in_answers_and_their_audit_entries(fresh_portal: Any) -> None:
    import re

    from tests.conftest import PortalApi

    api = PortalApi(fresh_portal)
    with fresh_portal.app.state.portal.db.writing() as session:
        session.add(models.Lab(name="Audit Lab"))
    api.make_user("demo_person", "demo", ["reviewer"], lab="Audit Lab", is_demo=True)
    api.make_user("admin", "s3cret-pass", ["lab_admin"], lab="Audit Lab")
    wrong = _login(api, "admin", "nope").json()["error"]
    assert (wrong["code"], wrong["message"]) == (
        "invalid_credentials",
        "wrong user name or password",
    )
    demo = _login(api, "demo_person", "demo").json()["error"]
    assert demo["message"] == "demo accounts can sign in only when the server runs in demo mode"
    token = _login(api, "admin", "s3cret-pass").json()["token"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)  # 32 random bytes, URL-safe base64
    entries = api.as_("admin", "s3cret-pass").get("/audit", params={"limit": 100}).json()
    seen = {(e["actor"], e["event"]): e["details"] for e in entries}
    assert seen[("admin", "login_failed")] == {"address": "127.0.0.1"}
    assert seen[("demo_person", "login_refused_demo")] == {"address": "127.0.0.1"}
    assert seen[("admin", "login")] == {"address": "127.0.0.1"}
    with fresh_portal.app.state.portal.db.read_session() as session:  # linked to the user too
        linked = {
            (row.actor, row.event, row.actor_id)
            for row in session.query(models.AuditRow).filter(models.AuditRow.actor == "admin")
        }
        admin_id = session.query(models.User).filter_by(username="admin").one().id
    assert ("admin", "login", admin_id) in linked
    assert ("admin", "login_failed", admin_id) in linked
    api.close()
