"""``labdesk-server --workers 4`` on PostgreSQL: what must happen once happens once, and what
one process commits every other process's clients hear.

- a change reaches change streams held by every worker (PostgreSQL LISTEN/NOTIFY);
- each notification e-mail is sent exactly once (rows claimed with SKIP LOCKED);
- seq follows commit order: a client pulling with its cursor while four processes write
  misses nothing;
- a signed-out token is refused by every worker within the token cache's TTL.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import PortalApi, SmtpSink, _pg_url, _reset_pg_schema
from tests.integration.test_change_feed import Feed

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
WORKERS = 4


class _Running:
    def __init__(self, url: str) -> None:
        self.url = url


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def workers_portal(
    tmp_path_factory: pytest.TempPathFactory, smtp_sink: SmtpSink
) -> Iterator[PortalApi]:
    base = _pg_url()
    _reset_pg_schema(base, "workers")
    sep = "&" if "?" in base else "?"
    db = f"{base}{sep}options=-csearch_path%3Dworkers"
    port = _free_port()
    data = tmp_path_factory.mktemp("workers")
    code = "from labdesk.server.cli import main; raise SystemExit(main())"
    args = [
        sys.executable, "-c", code, "--db", db, "--data-dir", str(data), "--port", str(port),
        "--workers", str(WORKERS), "--demo", "--smtp", f"127.0.0.1:{smtp_sink.port}",
        "--log-level", "warning",
    ]  # fmt: skip
    log = (data / "server.log").open("w")
    process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=os.environ.copy())
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert process.poll() is None, (data / "server.log").read_text()
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.3)
        api = PortalApi(_Running(url))
        yield api
        api.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _fresh(api: PortalApi, username: str) -> httpx.Client:
    """A client on a connection of its own (the kernel hands it to any worker)."""
    token = api.as_(username).headers["Authorization"]
    return httpx.Client(
        base_url=api.base, headers={"Authorization": token, "Connection": "close"}, timeout=30
    )


def _top(api: PortalApi, username: str) -> int:
    since, more = 0, True
    while more:
        page = api.as_(username).get("/cases", params={"since": since, "limit": 1000}).json()
        since, more = page["next_since"], page["has_more"]
    return int(since)


def test_a_change_reaches_streams_held_by_every_worker(workers_portal: PortalApi) -> None:
    api = workers_portal
    since = _top(api, "lab_admin")
    feeds = [Feed(api, name, since) for name in ("lab_admin", "reviewer", "designer") * 4]
    try:
        time.sleep(1.0)
        processes = {feed.process for feed in feeds}
        assert len(processes) >= 2, "the streams all landed on one worker; rerun"
        made = time.monotonic()
        case = api.new_case("dentist1")
        for feed in feeds:
            got = feed.next_event(timeout=5.0)
            assert got is not None, f"no event on the stream held by process {feed.process}"
            assert got[1] >= case["seq"]
            assert got[0] - made < 2.0
    finally:
        for feed in feeds:
            feed.close()


def test_each_notification_is_sent_exactly_once(
    workers_portal: PortalApi, smtp_sink: SmtpSink
) -> None:
    api = workers_portal
    address = api.as_("dentist1").get("/me").json().get("email") or "dentist1@riverside.example"
    before = len(smtp_sink.to(address))
    made = [api.new_case("dentist1")["id"] for _ in range(8)]
    for case_id in made:
        with _fresh(api, "reviewer") as client:
            version = client.get(f"/cases/{case_id}").json()["version"]
            response = client.post(
                f"/cases/{case_id}/actions",
                json={"action": "reject", "reason_code": "unclear_margin"},
                headers={"If-Match": str(version), "Idempotency-Key": api.key()},
            )
            assert response.status_code == 200, response.text
    deadline = time.monotonic() + 30
    while len(smtp_sink.to(address)) - before < len(made) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(3.0)  # long enough for a second delivery by another worker to show
    mails = smtp_sink.to(address)[before:]
    assert len(mails) == len(made)


def test_a_cursor_misses_nothing_while_four_processes_write(workers_portal: PortalApi) -> None:
    api = workers_portal
    since = _top(api, "lab_admin")
    created: list[int] = []
    lock = threading.Lock()

    def write() -> None:
        for _ in range(6):
            with _fresh(api, "dentist1") as client:
                body = {"patient_name": "P", "items": [{"catalog_code": "ZR-CROWN", "teeth": [11]}]}
                response = client.post("/cases", json=body)
                assert response.status_code == 201, response.text
                with lock:
                    created.append(response.json()["id"])

    seen: set[int] = set()
    cursor = since
    writers = [threading.Thread(target=write) for _ in range(4)]
    for thread in writers:
        thread.start()
    while any(t.is_alive() for t in writers):
        with _fresh(api, "lab_admin") as client:
            page = client.get("/cases", params={"since": cursor}).json()
        seen.update(c["id"] for c in page["cases"])
        cursor = page["next_since"]
    for thread in writers:
        thread.join()
    more = True
    while more:
        page = api.as_("lab_admin").get("/cases", params={"since": cursor}).json()
        seen.update(c["id"] for c in page["cases"])
        cursor, more = page["next_since"], page["has_more"]
    assert len(created) == 24
    assert set(created) <= seen


def test_a_signed_out_token_is_refused_by_every_worker(workers_portal: PortalApi) -> None:
    api = workers_portal
    with httpx.Client(base_url=api.base, timeout=30) as login:
        token = login.post("/auth/login", json={"username": "designer", "password": "demo"})
        assert token.status_code == 200
    bearer = {"Authorization": f"Bearer {token.json()['token']}", "Connection": "close"}
    for _ in range(8):
        assert httpx.get(f"{api.base}/me", headers=bearer, timeout=30).status_code == 200
    assert httpx.post(f"{api.base}/auth/logout", headers=bearer, timeout=30).status_code == 204
    time.sleep(11.0)  # the token cache's TTL (10 s) in every worker
    for _ in range(12):
        assert httpx.get(f"{api.base}/me", headers=bearer, timeout=30).status_code == 401


def test_sqlite_refuses_workers(tmp_path: Path) -> None:
    code = "from labdesk.server.cli import main; raise SystemExit(main())"
    args = [sys.executable, "-c", code, "--data-dir", str(tmp_path), "--workers", "2"]
    result = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "PostgreSQL" in result.stderr
