"""Issue 12, defect 6: anyone could lock any account (failures were counted per user name
only) and one address could try any number of names. Failures now count per (user name,
address) and per address; requests come from distinct loopback addresses (the client binds
127.0.0.2 or 127.0.0.3 as its source address)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import httpx
import pytest
from sqlalchemy import update

from labdesk.server import models

LAB = "Throttle Lab"
ATTACKER, WORKSTATION = "127.0.0.2", "127.0.0.3"


class From:
    """Sign-in requests from one source address (closed with the test's portal)."""

    opened: ClassVar[list[httpx.Client]] = []

    def __init__(self, running: Any, address: str) -> None:
        transport = httpx.HTTPTransport(local_address=address)
        self.client = httpx.Client(
            base_url=f"{running.url}/api/v1", transport=transport, timeout=30
        )
        self.opened.append(self.client)

    def login(self, username: str, password: str) -> httpx.Response:
        return self.client.post("/auth/login", json={"username": username, "password": password})


@pytest.fixture
def throttled(portal_factory: Any) -> Iterator[tuple[Any, Any]]:
    """A portal with small limits and a lab with two users."""
    from tests.conftest import PortalApi

    running = portal_factory(
        login_max_failures=3, login_address_free_failures=5, login_address_max_failures=8
    )
    api = PortalApi(running)
    with running.app.state.portal.db.writing() as session:
        session.add(models.Lab(name=LAB))
    api.make_user("boss", "boss-password-1", ["lab_admin"], lab=LAB)
    api.make_user("tech", "tech-password-1", ["designer"], lab=LAB)
    yield running, api
    api.close()
    while From.opened:
        From.opened.pop().close()


def _audit(api: Any) -> list[dict[str, Any]]:
    client = api.as_("boss", "boss-password-1")
    entries: list[dict[str, Any]] = client.get("/audit", params={"limit": 1000}).json()
    return entries


def test_an_attacker_cannot_lock_the_admin_out_of_another_workstation(
    throttled: tuple[Any, Any],
) -> None:
    running, api = throttled
    attacker, workstation = From(running, ATTACKER), From(running, WORKSTATION)
    for _ in range(3):
        assert attacker.login("boss", "guess").status_code == 401
    locked = attacker.login("boss", "boss-password-1")
    assert locked.status_code == 429
    assert locked.json()["error"]["details"]["scope"] == "account"
    assert int(locked.headers["Retry-After"]) > 0
    # The admin at the workstation signs in all the same.
    assert workstation.login("boss", "boss-password-1").status_code == 200
    # And the account's owner learns about it in the audit log.
    entries = _audit(api)
    alerts = [e for e in entries if e["event"] == "login_alert"]
    assert len(alerts) == 1
    assert alerts[0]["actor"] == "boss"
    assert alerts[0]["details"] == {"failures": 3}
    failed = [e for e in entries if e["event"] == "login_failed"]
    assert {e["details"]["address"] for e in failed} == {ATTACKER}
    assert all("password" not in str(e["details"]) for e in entries)


def test_one_address_trying_many_names_is_slowed_then_refused(
    throttled: tuple[Any, Any],
) -> None:
    running, _api = throttled
    attacker, workstation = From(running, ATTACKER), From(running, WORKSTATION)
    for n in range(5):  # the free failures: different names, so no pair is locked
        assert attacker.login(f"name{n}", "guess").status_code == 401
    slowed = attacker.login("tech", "tech-password-1")
    assert slowed.status_code == 429
    assert slowed.json()["error"]["details"]["scope"] == "address"
    assert 1 <= int(slowed.headers["Retry-After"]) <= 2
    # Pretend the wait has passed, each time: the waits double until the address is refused.
    db = running.app.state.portal.db
    for _ in range(3):
        with db.writing() as session:
            for row in session.query(models.LoginFailure):
                row.at -= timedelta(minutes=1)
        assert attacker.login(f"other-{uuid.uuid4().hex[:6]}", "guess").status_code == 401
    refused = attacker.login("tech", "tech-password-1")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 60  # until the window passes
    # Another address is not affected.
    assert workstation.login("tech", "tech-password-1").status_code == 200


def test_the_waits_double_up_to_the_cap(throttled: tuple[Any, Any]) -> None:
    from labdesk.server.login_throttle import address_delay

    settings = throttled[0].settings
    waits = [address_delay(settings, n).total_seconds() for n in range(4, 14)]
    assert waits == [0, 1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_a_success_clears_only_its_own_pair(throttled: tuple[Any, Any]) -> None:
    running, _api = throttled
    here = From(running, WORKSTATION)
    for _ in range(2):
        assert here.login("tech", "typo").status_code == 401
    assert here.login("tech", "tech-password-1").status_code == 200
    for _ in range(2):  # the success cleared the two failures before it
        assert here.login("tech", "typo").status_code == 401
    assert here.login("tech", "tech-password-1").status_code == 200
    with running.app.state.portal.db.read_session() as session:
        left = session.query(models.LoginFailure).filter_by(username="tech").count()
    assert left == 0


def test_old_failures_fall_out_of_the_window(throttled: tuple[Any, Any]) -> None:
    running, _api = throttled
    attacker = From(running, ATTACKER)
    for _ in range(3):
        attacker.login("boss", "guess")
    assert attacker.login("boss", "boss-password-1").status_code == 429
    with running.app.state.portal.db.writing() as session:
        session.execute(
            update(models.LoginFailure).values(at=datetime.now(UTC) - timedelta(minutes=16))
        )
    assert attacker.login("boss", "boss-password-1").status_code == 200


def test_a_refused_sign_in_is_audited_with_its_address_scope_and_wait(
    throttled: tuple[Any, Any],
) -> None:
    running, _api = throttled
    attacker = From(running, ATTACKER)
    for _ in range(3):
        assert attacker.login("boss", "guess").status_code == 401
    locked = attacker.login("boss", "boss-password-1")
    assert locked.status_code == 429
    with running.app.state.portal.db.read_session() as session:
        rows = session.query(models.AuditRow).filter_by(event="login_throttled").all()
        audited = [(r.actor, r.details) for r in rows]
    assert audited == [("boss", {"address": ATTACKER, **locked.json()["error"]["details"]})]
