"""A LabDesk workstation in its own process, for the load and fault tests.

    python -m tests.integration.load_child MODE URL HOME [ARGS...]

``work URL HOME INDEX COUNT ROUNDS CASES``: sign in as the lab admin, take this
workstation's share of the open cases (id % COUNT == INDEX, at most CASES), then ROUNDS
times put each on hold or resume it (through the outbox) and sync; sync on until nothing is
pending (the portal may be down for a while). Prints ``READY`` once signed in and a JSON
summary as the last line.
``flood URL HOME CASE``: hold/resume CASE through the outbox as fast as the cache takes it,
printing ``QUEUED <outbox id>`` after each commit, until killed (never sends).
``fill URL HOME CASE BYTES``: the cache files may grow by BYTES at most (RLIMIT_FSIZE): queue
actions until the cache refuses; print the error as JSON (type and message).
``sync URL HOME``: sync once; print the state as JSON.
"""

from __future__ import annotations

import json
import resource
import signal
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from labdesk.api.schemas import ActionRequest
from labdesk.cache import tables as t
from labdesk.client.account import Account
from labdesk.domain.lifecycle import Action
from tests.integration.sync_helpers import open_account

HOLDABLE = frozenset({"received", "invoicing", "design", "production", "finishing", "qc"})
HOLD = ActionRequest(action=Action.HOLD, reason="load test: waiting for the clinic")
RESUME = ActionRequest(action=Action.RESUME)


def toggle(account: Account, case_id: int) -> int:
    """Queue a hold, or a resume when the case is (shown) on hold."""
    shown = account.repo.get_case(case_id).case
    request = RESUME if shown.status.value == "on_hold" else HOLD
    return account.engine.queue_action(case_id, request)


def outbox(account: Account) -> list[dict[str, Any]]:
    with account.repo.engine.connect() as conn:
        rows = conn.execute(
            select(
                t.outbox.c.idempotency_key,
                t.outbox.c.case_id,
                t.outbox.c.state,
                t.outbox.c.result_version,
                t.outbox.c.action,
            )
        )
        return [dict(r._mapping) for r in rows]


def work(url: str, home: str, index: str, count: str, rounds: str, cases: str) -> int:
    account = open_account(Path(home), url, "lab_admin", timeout=30.0)
    engine = account.engine
    engine.sync(force=True)
    print("READY", flush=True)
    mine = sorted(
        r.case_id
        for r in account.repo.load_inbox_rows()
        if r.status in HOLDABLE and r.case_id % int(count) == int(index)
    )[: int(cases)]
    errors: list[str] = []
    for _ in range(int(rounds)):
        for case_id in mine:
            toggle(account, case_id)
        state = engine.sync(force=True)
        if state.error:
            errors.append(state.error)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        state = engine.sync(force=True)
        if state.pending == 0 and state.online:
            break
        time.sleep(0.2)
    summary = {"cases": mine, "pending": state.pending, "conflicts": state.conflicts,
               "errors": errors[-3:], "outbox": outbox(account),
               "versions": {c: account.repo.get_case(c).case.version for c in mine}}  # fmt: skip
    print(json.dumps(summary), flush=True)
    account.close()
    return 0


def flood(url: str, home: str, case: str) -> int:
    account = open_account(Path(home), url, "lab_admin", timeout=30.0)
    account.engine.pull()
    print("READY", flush=True)
    while True:
        print(f"QUEUED {toggle(account, int(case))}", flush=True)


def fill(url: str, home: str, case: str, room: str) -> int:
    account = open_account(Path(home), url, "lab_admin", timeout=30.0)
    account.engine.pull()
    queued = [toggle(account, int(case)) for _ in range(3)]
    cache = Path(home) / "cache"
    biggest = max(p.stat().st_size for p in cache.rglob("*") if p.is_file())
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a dead process
    limit = biggest + int(room)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    note = "x" * 20_000
    try:
        for _ in range(10_000):
            request = HOLD.model_copy(update={"note": note})
            if account.repo.get_case(int(case)).case.status.value == "on_hold":
                request = RESUME
            queued.append(account.engine.queue_action(int(case), request))
    except Exception as exc:  # what a person would be shown
        print(json.dumps({"type": type(exc).__name__, "message": str(exc),
                          "known": _known(exc), "queued": queued}), flush=True)  # fmt: skip
        return 0
    print(json.dumps({"type": None, "queued": queued}), flush=True)
    return 1


def _known(exc: BaseException) -> bool:
    from labdesk.errors import KnownError

    return isinstance(exc, KnownError)


def sync(url: str, home: str) -> int:
    account = open_account(Path(home), url, "lab_admin", timeout=10.0)
    state = account.engine.sync(force=True)
    print(json.dumps({"pending": state.pending, "conflicts": state.conflicts,
                      "online": state.online, "error": state.error,
                      "outbox": outbox(account)}), flush=True)  # fmt: skip
    account.close()
    return 0


MODES = {"work": work, "flood": flood, "fill": fill, "sync": sync}

if __name__ == "__main__":
    sys.exit(MODES[sys.argv[1]](*sys.argv[2:]))  # type: ignore[operator]
