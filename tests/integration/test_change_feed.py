"""The change feed (GET /changes, server-sent events) against the real portal: a change made
by one person reaches every open stream of that lab within a second, heartbeats keep coming,
other tenants hear nothing, a poll that finds nothing costs no query, a revoked sign-in ends
the stream."""

from __future__ import annotations

import queue
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from tests.conftest import PortalApi


class Feed:
    """One open stream read on a thread: events and heartbeats as they arrive."""

    def __init__(self, api: PortalApi, username: str, since: int, password: str = "demo") -> None:
        token = api.as_(username, password).headers["Authorization"]
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        self.closed = threading.Event()
        self.process = ""  # the portal process that serves this stream
        self._client = httpx.Client(base_url=api.base, headers={"Authorization": token})
        self._thread = threading.Thread(target=self._read, args=(since,), daemon=True)
        self._thread.start()

    def _read(self, since: int) -> None:
        try:
            timeout = httpx.Timeout(5.0, read=5.0)
            with self._client.stream(
                "GET", "/changes", params={"since": since}, timeout=timeout
            ) as r:
                assert r.status_code == 200
                self.process = r.headers.get("X-LabDesk-Process", "")
                for line in r.iter_lines():
                    self.lines.put((time.monotonic(), line))
        except httpx.HTTPError:
            pass
        finally:
            self.closed.set()

    def next_event(self, timeout: float) -> tuple[float, int] | None:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                at, line = self.lines.get(timeout=left)
            except queue.Empty:
                return None
            if line.startswith("data: "):
                return at, int(line.removeprefix("data: "))
        return None

    def drain(self) -> list[str]:
        out = []
        while True:
            try:
                out.append(self.lines.get_nowait()[1])
            except queue.Empty:
                return out

    def close(self) -> None:
        self._client.close()
        self._thread.join(timeout=5)


@contextmanager
def feeds(api: PortalApi, *who: str, since: int) -> Iterator[list[Feed]]:
    opened = [Feed(api, name, since) for name in who]
    try:
        yield opened
    finally:
        for feed in opened:
            feed.close()


def _top(api: PortalApi, username: str) -> int:
    page = api.as_(username).get("/cases", params={"since": 0, "limit": 1000}).json()
    since = page["next_since"]
    while page["has_more"]:
        page = api.as_(username).get("/cases", params={"since": since, "limit": 1000}).json()
        since = page["next_since"]
    return int(since)


def test_a_change_reaches_every_open_stream_within_a_second(portal_api: PortalApi) -> None:
    since = _top(portal_api, "lab_admin")
    with feeds(portal_api, "lab_admin", "reviewer", "shipping", since=since) as open_feeds:
        time.sleep(0.5)  # connected, and the first heartbeat may go
        for feed in open_feeds:
            feed.drain()
        made = time.monotonic()
        case = portal_api.new_case("dentist1")
        for feed in open_feeds:
            got = feed.next_event(timeout=3.0)
            assert got is not None, "no event"
            at, seq = got
            assert seq >= case["seq"]
            assert at - made < 1.0
    pulled = portal_api.as_("reviewer").get("/cases", params={"since": since}).json()
    assert case["id"] in [c["id"] for c in pulled["cases"]]


def test_heartbeats_keep_an_idle_stream_alive(portal_api: PortalApi) -> None:
    since = _top(portal_api, "designer")
    with feeds(portal_api, "designer", since=since) as (feed,):
        time.sleep(4.6)
        beats = [line for line in feed.drain() if line.startswith(": heartbeat")]
        assert len(beats) >= 2


def test_another_clinic_and_another_lab_hear_nothing(portal_api: PortalApi) -> None:
    from labdesk.server.demo_data import LAB2_ADMIN

    other_lab = LAB2_ADMIN[0]
    listeners = ("dentist4", other_lab)  # dentist4 works at another clinic than dentist1
    tops = {name: _top(portal_api, name) for name in listeners}
    opened = [Feed(portal_api, name, tops[name]) for name in listeners]
    try:
        time.sleep(0.3)
        portal_api.new_case("dentist1")
        for feed in opened:
            assert feed.next_event(timeout=1.5) is None
    finally:
        for feed in opened:
            feed.close()


def test_a_poll_that_finds_nothing_costs_no_query(
    portal_api: PortalApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    since = _top(portal_api, "lab_admin")
    engine = portal_api.running.app.state.portal.db.engine
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    hub = portal_api.running.app.state.portal.db.changes
    monkeypatch.setattr(hub, "_clock", lambda: 1000.0)  # the mark stays fresh for the test
    portal_api.as_("lab_admin").get("/cases", params={"since": since})  # learns the mark
    event.listen(engine, "before_cursor_execute", count)
    try:
        for _ in range(5):
            page = portal_api.as_("lab_admin").get("/cases", params={"since": since}).json()
            assert page == {"cases": [], "next_since": since, "has_more": False}
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # the portal's own background work (notification and store sweeps) shares the engine
    assert [s for s in statements if re.search(r"\bcases\b", s)] == []


@pytest.mark.slow
def test_a_revoked_sign_in_ends_the_stream(portal_api: PortalApi) -> None:
    portal_api.make_user("feed_tech", "feed-pass-1", ["designer"], lab="Northside Dental Lab")
    since = _top(portal_api, "lab_admin")
    feed = Feed(portal_api, "feed_tech", since, password="feed-pass-1")
    try:
        time.sleep(0.5)
        client = portal_api.as_("feed_tech", "feed-pass-1")
        assert client.post("/auth/logout").status_code == 204
        assert feed.closed.wait(timeout=15.0), "the stream outlived its sign-in"
    finally:
        feed.close()
