"""Load and faults on loopback, bounded: workstations in their own processes act and sync at
once while the portal process is killed with SIGKILL and restarted; a workstation killed in
the middle of a cache write; a workstation whose disk is full (issue 12).

Every acknowledged action must be on the portal exactly once (history rows and idempotency
rows), and the versions must add up. ``LABDESK_LOAD_WORKSTATIONS`` raises the number of
workstations for a longer run (default 6).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from labdesk.cache.quick_rows import cache_path
from labdesk.server import models as m
from labdesk.server.db import Database
from tests.integration.sync_helpers import demo_template, portal_copy, wait_for

ROOT = Path(__file__).resolve().parents[2]
TOGGLES = ("hold", "resume")
WORKSTATIONS = int(os.environ.get("LABDESK_LOAD_WORKSTATIONS", "6"))
ROUNDS, CASES_EACH = 6, 3


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHON_KEYRING_BACKEND":
            "keyring.backends.fail.Keyring"}  # fmt: skip


@dataclass
class PortalProcess:
    """``labdesk-server`` in a process of its own, to be killed with SIGKILL."""

    data_dir: Path
    db_url: str | None = None
    port: int = field(default_factory=_free_port)
    proc: subprocess.Popen[bytes] | None = None
    kills: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> PortalProcess:
        args = [sys.executable, "-m", "labdesk.server.cli", "--port", str(self.port),
                "--data-dir", str(self.data_dir), "--demo", "--log-level", "warning"]  # fmt: skip
        if self.db_url:
            args += ["--db", self.db_url]
        with (self.data_dir / "portal.log").open("ab") as log:
            self.proc = subprocess.Popen(args, cwd=ROOT, env=_env(), stdout=log, stderr=log)
        wait_for(self._healthy, timeout=180, step=0.1)
        return self

    def _healthy(self) -> bool:
        assert self.proc is not None
        if self.proc.poll() is not None:
            raise AssertionError(f"the portal exited ({self.proc.returncode})")
        try:
            return httpx.get(f"{self.url}/health", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def kill(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.kills += 1

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def workstation(mode: str, url: str, home: Path, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.integration.load_child", mode, url, str(home),
         *map(str, args)],
        cwd=ROOT, env=_env(), stdout=subprocess.PIPE, text=True,
    )  # fmt: skip


def read_line(proc: subprocess.Popen[str], prefix: str) -> str:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith(prefix), line
    return line.strip()


def last_json(proc: subprocess.Popen[str], timeout: float = 240) -> dict[str, Any]:
    out, _ = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, out[-2000:]
    return dict(json.loads(out.strip().splitlines()[-1]))


@dataclass
class PortalFacts:
    """What the portal's database holds for some cases and idempotency keys."""

    toggles: dict[int, int]  # hold/resume history rows per case
    versions: dict[int, int]
    keys: Counter[str]  # idempotency rows per key


def portal_facts(db_url: str, cases: list[int], keys: list[str]) -> PortalFacts:
    db = Database(db_url)
    try:
        with db.read_session() as session:
            toggles = dict.fromkeys(cases, 0)
            toggles.update(
                (int(c), int(n))
                for c, n in session.execute(
                    select(m.HistoryRow.case_id, func.count())
                    .where(m.HistoryRow.case_id.in_(cases), m.HistoryRow.action.in_(TOGGLES))
                    .group_by(m.HistoryRow.case_id)
                )
            )
            versions = {
                int(c): int(v)
                for c, v in session.execute(
                    select(m.Case.id, m.Case.version).where(m.Case.id.in_(cases))
                )
            }
            found: Counter[str] = Counter()
            for start in range(0, len(keys), 500):
                found.update(
                    session.execute(
                        select(m.IdempotencyRecord.key).where(
                            m.IdempotencyRecord.key.in_(keys[start : start + 500])
                        )
                    ).scalars()
                )
        return PortalFacts(toggles, versions, found)
    finally:
        db.dispose()


def _db_url(backend: str, data_dir: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{(data_dir / 'portal.db').as_posix()}"
    from tests.conftest import _pg_url, _reset_pg_schema

    url = _pg_url()
    _reset_pg_schema(url, "load_faults")
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3Dload_faults"


@pytest.fixture
def portal_data(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Path:
    return portal_copy(demo_template(tmp_path_factory.getbasetemp()), tmp_path / "portal")


@pytest.mark.slow
@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_workstations_acting_at_once_through_portal_kills_lose_and_double_nothing(
    backend: str, portal_data: Path, tmp_path: Path
) -> None:
    if backend == "postgres" and not os.environ.get("LABDESK_TEST_PG_URL"):
        pytest.skip("LABDESK_TEST_PG_URL is not set")
    db_url = _db_url(backend, portal_data)
    portal = PortalProcess(portal_data, None if backend == "sqlite" else db_url).start()
    baseline = portal_facts(db_url, list(range(1, 2000)), [])  # before anyone acts
    children: list[subprocess.Popen[str]] = []
    try:
        for index in range(WORKSTATIONS):
            home = tmp_path / f"ws{index}"
            children.append(workstation("work", portal.url, home, index, WORKSTATIONS,
                                        ROUNDS, CASES_EACH))  # fmt: skip
        for proc in children:
            read_line(proc, "READY")
        # Kill the portal twice while the workstations act and sync.
        for _ in range(2):
            before = sum(baseline.toggles.values())

            def progressed(before: int = before) -> bool:
                now = portal_facts(db_url, list(baseline.toggles), []).toggles
                return sum(now.values()) >= before + WORKSTATIONS

            wait_for(progressed, timeout=120, step=0.05)
            portal.kill()
            time.sleep(0.5)
            portal.start()
        summaries = [last_json(proc) for proc in children]
    finally:
        for proc in children:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    try:
        entries = [e for s in summaries for e in s["outbox"]]
        acked = [e for e in entries if e["state"] == "done"]
        cases = sorted({c for s in summaries for c in s["cases"]})
        facts = portal_facts(db_url, cases, [e["idempotency_key"] for e in entries])
    finally:
        portal.stop()
    per_case = Counter(e["case_id"] for e in acked)
    lost = sum(1 for e in acked if facts.keys[e["idempotency_key"]] == 0)
    doubled = sum(max(0, facts.toggles[c] - baseline.toggles[c] - per_case[c]) for c in cases)
    print(f"\nLOAD {backend}: workstations={WORKSTATIONS} acknowledged={len(acked)} "
          f"lost={lost} doubled={doubled} portal_kills={portal.kills}")  # fmt: skip
    assert all(s["pending"] == 0 and s["conflicts"] == 0 for s in summaries), summaries
    assert len(acked) == len(entries) == WORKSTATIONS * ROUNDS * CASES_EACH
    assert (lost, doubled) == (0, 0)
    assert all(facts.keys[e["idempotency_key"]] == 1 for e in acked)
    for case_id in cases:
        # each acknowledged hold/resume is one history row and one version more
        assert facts.toggles[case_id] - baseline.toggles[case_id] == per_case[case_id]
        assert facts.versions[case_id] - baseline.versions[case_id] == per_case[case_id]
    shown = {int(c): v for s in summaries for c, v in s["versions"].items()}
    assert shown == {c: facts.versions[c] for c in cases}  # the workstations agree


def _cache_file(home: Path, url: str) -> Path:
    return cache_path(home / "cache", url, "lab_admin")


def _intact(path: Path) -> list[tuple[int, str, str]]:
    """The cache passes SQLite's integrity check; its outbox (id, key, state)."""
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = conn.execute("SELECT id, idempotency_key, state FROM outbox ORDER BY id")
        return [(int(i), str(k), str(s)) for i, k, s in rows]


@pytest.fixture
def portal(portal_data: Path) -> Iterator[PortalProcess]:
    running = PortalProcess(portal_data).start()
    yield running
    running.stop()


def _open_case(portal: PortalProcess) -> int:
    facts = Database(f"sqlite:///{portal.data_dir / 'portal.db'}")
    try:
        with facts.read_session() as session:
            return int(session.execute(
                select(func.min(m.Case.id)).where(m.Case.status == "design")
            ).scalar_one())  # fmt: skip
    finally:
        facts.dispose()


def _portal_db(portal: PortalProcess) -> str:
    return f"sqlite:///{portal.data_dir / 'portal.db'}"


def test_workstation_killed_during_a_cache_write_opens_intact_and_sends_once(
    portal: PortalProcess, tmp_path: Path
) -> None:
    case = _open_case(portal)
    before = portal_facts(_portal_db(portal), [case], []).toggles[case]
    proc = workstation("flood", portal.url, tmp_path, case)
    read_line(proc, "READY")
    printed = [int(read_line(proc, "QUEUED").split()[1]) for _ in range(40)]
    os.kill(proc.pid, signal.SIGKILL)  # it is writing the next entry right now
    proc.wait(timeout=10)
    assert proc.stdout is not None
    proc.stdout.close()

    outbox = _intact(_cache_file(tmp_path, portal.url))
    ids = [i for i, _, _ in outbox]
    assert ids[: len(printed)] == printed  # every committed entry is there, in order
    assert len(ids) <= len(printed) + 1  # at most the one being written when killed
    assert {s for _, _, s in outbox} == {"queued"}

    state = last_json(workstation("sync", portal.url, tmp_path))
    assert (state["pending"], state["conflicts"], state["error"]) == (0, 0, None)
    keys = [k for _, k, _ in outbox]
    facts = portal_facts(_portal_db(portal), [case], keys)
    assert all(facts.keys[k] == 1 for k in keys)  # each sent once
    assert facts.toggles[case] - before == len(keys)
    again = last_json(workstation("sync", portal.url, tmp_path))
    assert again["pending"] == 0
    assert portal_facts(_portal_db(portal), [case], keys).toggles[case] - before == len(keys)


def test_a_full_disk_is_reported_in_plain_words_and_corrupts_nothing(
    portal: PortalProcess, tmp_path: Path
) -> None:
    case = _open_case(portal)
    report = last_json(workstation("fill", portal.url, tmp_path, case, 256 * 1024))
    assert report["type"] == "CacheError", report
    assert report["known"] is True
    message = report["message"]
    assert "disk" in message
    assert "full" in message
    for internal in ("sqlite", "OperationalError", "errno", "Traceback", "SQL"):
        assert internal not in message
    outbox = _intact(_cache_file(tmp_path, portal.url))
    assert [i for i, _, _ in outbox][: len(report["queued"])] == report["queued"]
    # With room again, everything queued before the disk filled up is sent, once.
    state = last_json(workstation("sync", portal.url, tmp_path))
    assert (state["pending"], state["conflicts"]) == (0, 0)
    keys = [k for _, k, _ in _intact(_cache_file(tmp_path, portal.url))]
    facts = portal_facts(_portal_db(portal), [case], keys)
    assert all(facts.keys[k] == 1 for k in keys)
