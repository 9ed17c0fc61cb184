"""Benchmark of the client core (issue 4) against a real portal holding 10,000 cases.

    .venv/bin/python benchmarks/bench_client_sync.py [--cases 10000] [--page 500]

Measures, on this machine:
1. first sync of every case into an empty cache: wall time, requests and bytes, peak RSS of
   this process and the peak of the Python heap (tracemalloc, in a second run);
2. incremental sync after 100 cases were changed on the portal by another person;
3. opening the cache file and loading the inbox rows of all cases (median of 5).

The portal runs in a child process (``labdesk.server.embedded``, SQLite, demo users plus
``seed_bulk`` cases in the demo lab), so its work is not counted in this process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

import httpx

from labdesk.api.client import PortalClient
from labdesk.api.schemas import ActionRequest
from labdesk.api.tokens import TokenStore
from labdesk.cache.repository import CacheRepository
from labdesk.client.account import Account
from labdesk.config import Settings
from labdesk.domain.lifecycle import WORKING_STATUSES, Action

PORTAL = """
import sys
from pathlib import Path
from labdesk.server.demo import seed_demo, seed_bulk
from labdesk.server.demo_data import LAB_NAME
from labdesk.server.embedded import start_portal
from labdesk.server.settings import ServerSettings
settings = ServerSettings(data_dir=Path(sys.argv[1]), demo=True)
seed_demo(settings, scans=False)
seed_bulk(settings, cases=int(sys.argv[2]), lab=LAB_NAME)
portal = start_portal(settings, host="127.0.0.1", port=0)
print(portal.url, flush=True)
sys.stdin.readline()
portal.stop()
"""


class Counting(httpx.BaseTransport):
    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.requests = 0
        self.bytes = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        body = response.read()
        self.requests += 1
        self.bytes += len(body)
        return httpx.Response(
            response.status_code, headers=response.headers, content=body, request=request
        )

    def close(self) -> None:
        self.inner.close()


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def open_account(home: Path, url: str, transport: Counting, page: int) -> Account:
    settings = Settings(server_url=url, cache_dir=str(home / "cache"))
    account = Account.open(settings, "reviewer", TokenStore(), transport=transport, timeout=120)
    account.sign_in("demo")
    account.engine.page_size = page
    return account


def change_cases(url: str, count: int) -> None:
    """Another person (the lab admin) puts ``count`` working cases on hold."""
    with PortalClient(url, TokenStore(), timeout=120) as admin:
        admin.login("lab_admin", "demo")
        page = admin.list_cases(0, 1000)
        working = [c for c in page.cases if c.status in WORKING_STATUSES][:count]
        assert len(working) == count, "not enough working cases"
        hold = ActionRequest(action=Action.HOLD, reason="benchmark: waiting for the dentist")
        for case in working:
            admin.act(case.id, hold, version=case.version, idempotency_key=str(uuid.uuid4()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--page", type=int, default=500)
    args = parser.parse_args()
    results: dict[str, object] = {"cases_seeded": args.cases, "page_size": args.page}

    with tempfile.TemporaryDirectory(prefix="labdesk-bench-") as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        portal = subprocess.Popen(
            [sys.executable, "-c", PORTAL, str(root / "portal"), str(args.cases)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
        )
        assert portal.stdout is not None
        assert portal.stdin is not None
        url = portal.stdout.readline().strip()
        print(f"portal at {url} (seeded in {time.perf_counter() - started:.1f} s)")
        try:
            # 1. first sync into an empty cache
            counter = Counting()
            account = open_account(root / "ws1", url, counter, args.page)
            counter.requests = counter.bytes = 0
            rss_before = rss_mb()
            t0 = time.perf_counter()
            cpu0 = time.process_time()
            state = account.engine.sync(force=True)
            first = time.perf_counter() - t0
            cpu = time.process_time() - cpu0
            assert state.error is None, state.error
            total = account.repo.case_count()
            results["first_sync"] = {
                "cases": total,
                "seconds": round(first, 2),
                "cases_per_s": round(total / first),
                "client_cpu_s": round(cpu, 2),
                "requests": counter.requests,
                "mb_transferred": round(counter.bytes / 1e6, 1),
                "peak_rss_mb": round(rss_mb(), 1),
                "rss_before_mb": round(rss_before, 1),
            }
            print("first sync", results["first_sync"])

            # the same again with tracemalloc, for the Python heap peak
            tracemalloc.start()
            other = open_account(root / "ws2", url, Counting(), args.page)
            tracemalloc.reset_peak()
            other.engine.sync(force=True)
            _, heap_peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            other.close()
            results["first_sync"]["python_heap_peak_mb"] = round(heap_peak / 1e6, 1)  # type: ignore[index]
            print("python heap peak", round(heap_peak / 1e6, 1), "MB")

            # 2. nothing new, then 100 changed cases
            counter.requests = counter.bytes = 0
            t0 = time.perf_counter()
            account.engine.sync(force=True)
            results["empty_sync"] = {
                "seconds": round(time.perf_counter() - t0, 3),
                "requests": counter.requests,
                "bytes": counter.bytes,
            }
            change_cases(url, 100)
            counter.requests = counter.bytes = 0
            t0 = time.perf_counter()
            account.engine.sync(force=True)
            incremental = time.perf_counter() - t0
            on_hold = sum(1 for r in account.repo.load_inbox_rows() if r.status == "on_hold")
            results["incremental_sync_100"] = {
                "seconds": round(incremental, 3),
                "requests": counter.requests,
                "kb_transferred": round(counter.bytes / 1e3, 1),
                "on_hold_after": on_hold,
            }
            print("incremental", results["incremental_sync_100"])
            cache_file = account.cache_file
            account.close()

            # 3. open the cache and load the inbox
            assert cache_file is not None
            opens: list[float] = []
            loads: list[float] = []
            for _ in range(5):
                t0 = time.perf_counter()
                repo = CacheRepository.open(cache_file)
                t1 = time.perf_counter()
                rows = repo.load_inbox_rows()
                t2 = time.perf_counter()
                repo.close()
                opens.append(t1 - t0)
                loads.append(t2 - t1)
            results["open_and_load_inbox"] = {
                "rows": len(rows),
                "open_ms": round(statistics.median(opens) * 1000, 1),
                "load_ms": round(statistics.median(loads) * 1000, 1),
                "total_ms": round(
                    statistics.median(a + b for a, b in zip(opens, loads, strict=True)) * 1000, 1
                ),
                "cache_file_mb": round(cache_file.stat().st_size / 1e6, 1),
            }
            print("open + load", results["open_and_load_inbox"])
        finally:
            portal.stdin.close()
            portal.wait(timeout=60)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
