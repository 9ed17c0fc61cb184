"""Benchmark the portal's sync endpoint ``GET /api/v1/cases?since=&limit=``.

Two measurements against a real ``labdesk-server`` process on 127.0.0.1:

1. Full pull: one client pulls all cases (``seed_bulk``: 10,000 by default) in pages of 500,
   ``--pulls`` times after a warm-up (the median is reported, every run beside it).
2. Idle polling: 50 concurrent clients each poll ``since=<latest>`` (no changes) a fixed
   number of times (and, for reference, one client alone 200 times).

Prints p50/p99 latency and requests/s for each, on SQLite and (when a URL is given) on
PostgreSQL. The server runs in its own process so that the clients do not share its GIL.

    .venv/bin/python benchmarks/bench_sync_endpoint.py                    # SQLite only
    .venv/bin/python benchmarks/bench_sync_endpoint.py --pg-url URL       # and PostgreSQL
    (or set LABDESK_BENCH_PG_URL / LABDESK_TEST_PG_URL)

On PostgreSQL the benchmark works in its own schema ``labdesk_bench`` (dropped first and at
the end), never in ``public``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from labdesk.server.auth import create_user  # noqa: E402
from labdesk.server.db import Database  # noqa: E402
from labdesk.server.demo import seed_bulk  # noqa: E402
from labdesk.server.models import Lab  # noqa: E402
from labdesk.server.settings import ServerSettings  # noqa: E402

BENCH_SCHEMA = "labdesk_bench"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def pg_schema_url(url: str, *, reset: bool) -> str:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{BENCH_SCHEMA}" CASCADE'))
        if reset:
            conn.execute(text(f'CREATE SCHEMA "{BENCH_SCHEMA}"'))
    engine.dispose()
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{BENCH_SCHEMA}"


def prepare(settings: ServerSettings, cases: int, password: str) -> float:
    start = time.perf_counter()
    seed_bulk(settings, cases=cases, lab="Bench Lab")
    seeded = time.perf_counter() - start
    db = Database(settings.database_url)
    with db.writing() as session:
        lab = session.query(Lab).filter(Lab.name == "Bench Lab").one()
        create_user(
            session, username="bench_admin", password=password, roles=["lab_admin"], lab=lab
        )
    db.dispose()
    return seeded


def start_server(settings: ServerSettings, port: int) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "labdesk.server.cli", "--port", str(port),
        "--data-dir", str(settings.data_dir), "--log-level", "warning",
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if settings.db_url:
        command += ["--db", settings.db_url]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the server did not start")


def full_pull(base: str, token: str, page: int) -> tuple[list[float], int, float, int]:
    latencies: list[float] = []
    count, since, size = 0, 0, 0
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
        start = time.perf_counter()
        while True:
            t0 = time.perf_counter()
            response = client.get("/cases", params={"since": since, "limit": page})
            latencies.append(time.perf_counter() - t0)
            response.raise_for_status()
            size += len(response.content)
            body = response.json()
            count += len(body["cases"])
            since = body["next_since"]
            if not body["has_more"]:
                break
        total = time.perf_counter() - start
    return latencies, count, total, size


async def idle_polling(
    base: str, token: str, since: int, clients: int, per_client: int
) -> tuple[list[float], float]:
    """``clients`` keep-alive clients, each polling ``per_client`` times, nothing new.

    The clients are built (and connected) before the clock starts: an ``httpx.AsyncClient``
    costs ~20 ms to build (``ssl.create_default_context``), and building 50 of them one after
    another inside the timed window was most of the tail this benchmark used to report.
    """
    latencies: list[float] = []
    headers = {"Authorization": f"Bearer {token}"}
    pool = [httpx.AsyncClient(base_url=base, headers=headers, timeout=120) for _ in range(clients)]
    params = {"since": since, "limit": 500}
    await asyncio.gather(*(client.get("/cases", params=params) for client in pool))

    async def one_client(client: httpx.AsyncClient) -> None:
        for _ in range(per_client):
            t0 = time.perf_counter()
            response = await client.get("/cases", params=params)
            latencies.append(time.perf_counter() - t0)
            response.raise_for_status()
            assert response.json()["cases"] == []

    start = time.perf_counter()
    await asyncio.gather(*(one_client(client) for client in pool))
    elapsed = time.perf_counter() - start
    await asyncio.gather(*(client.aclose() for client in pool))
    return latencies, elapsed


def run(label: str, db_url: str | None, args: argparse.Namespace) -> dict[str, str]:
    with tempfile.TemporaryDirectory(prefix="labdesk-bench-") as tmp:
        settings = ServerSettings(data_dir=Path(tmp), db_url=db_url)
        password = secrets.token_urlsafe(16)
        seeded = prepare(settings, args.cases, password)
        port = free_port()
        server = start_server(settings, port)
        try:
            base = f"http://127.0.0.1:{port}/api/v1"
            login = httpx.post(
                f"{base}/auth/login", json={"username": "bench_admin", "password": password}
            )
            token = login.json()["token"]
            full_pull(base, token, args.page)  # warm-up: caches, connections
            pulls = [full_pull(base, token, args.page) for _ in range(args.pulls)]
            pull, count, _, size = pulls[0]
            totals = [found[2] for found in pulls]
            total = statistics.median(totals)
            pull = [latency for found in pulls for latency in found[0]]
            latest = _latest(base, token)
            single, _ = asyncio.run(idle_polling(base, token, latest, 1, 200))
            polls, poll_total = asyncio.run(
                idle_polling(base, token, latest, args.clients, args.requests)
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    ms = 1000.0
    result = {
        "db": label,
        "seed_s": f"{seeded:.1f}",
        "cases": str(count),
        "pages": str(len(pull)),
        "pull_total_s": f"{total:.2f}",
        "pull_runs_s": " / ".join(f"{t:.2f}" for t in totals),
        "pull_p50_ms": f"{statistics.median(pull) * ms:.0f}",
        "pull_p99_ms": f"{percentile(pull, 99) * ms:.0f}",
        "pull_cases_per_s": f"{count / total:.0f}",
        "pull_mb": f"{size / 1e6:.1f}",
        "1_client_poll_p50_ms": f"{statistics.median(single) * ms:.1f}",
        "poll_requests": str(len(polls)),
        "poll_p50_ms": f"{statistics.median(polls) * ms:.1f}",
        "poll_p99_ms": f"{percentile(polls, 99) * ms:.1f}",
        "poll_req_per_s": f"{len(polls) / poll_total:.0f}",
    }
    return result


def _latest(base: str, token: str) -> int:
    since = 0
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
        while True:
            body = client.get("/cases", params={"since": since, "limit": 1000}).json()
            since = body["next_since"]
            if not body["has_more"]:
                return since


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--page", type=int, default=500)
    parser.add_argument("--pulls", type=int, default=5, help="full pulls (median reported)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=40, help="polls per client")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("LABDESK_BENCH_PG_URL") or os.environ.get("LABDESK_TEST_PG_URL"),
    )
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    results = []
    if not args.skip_sqlite:
        results.append(run("SQLite", None, args))
    if args.pg_url:
        url = pg_schema_url(args.pg_url, reset=True)
        try:
            results.append(run("PostgreSQL", url, args))
        finally:
            pg_schema_url(args.pg_url, reset=False)
    keys = list(results[0])
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for row in results:
        print("| " + " | ".join(row[k] for k in keys) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
