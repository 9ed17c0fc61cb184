"""The portal at lab scale (issue 17): N workstations holding the change feed.

    .venv/bin/python benchmarks/bench_portal_load.py [--ws 10,50,200] [--pg-url URL]
        [--pg-workers 1,4] [--cases 2000] [--changes 20] [--rate 20] [--feed pages,seq]

A real ``labdesk-server`` (its own process, or a supervisor and ``--workers`` processes on
PostgreSQL) on 127.0.0.1. The load comes from *other* processes (``--generators`` of them,
never the portal's): each holds its share of the N workstations, every one an
``httpx.AsyncClient`` built and connected to ``GET /changes`` *before* any timing starts (a
client costs ~20 ms to build; building them inside the timed window was most of the old
benchmark's tail). Three phases per run, each measured with the portal's CPU time (psutil,
user + system, summed over its processes):

1. idle streams: the N streams open, nothing happens; CPU per heartbeat received;
2. idle polls: ``GET /cases?since=<latest>`` (nothing new) back to back; CPU per poll;
3. load: a lab admin changes one case every ``--interval`` s (``PATCH`` tags, ``If-Match``);
   with ``--feed pages`` (the workstation's way) each stream's event carries the changed cases
   (``GET /changes?pages=1``) and a workstation pulls only when the page does not continue its
   cursor; with ``--feed seq`` (the way before) every workstation pulls ``GET /cases?since=``
   when its stream says so; all of them together open cases (``GET /cases/{id}``) at
   ``--rate`` per second. Change-to-seen: from sending the change until a workstation's stream
   carries its seq ("event"), and until it holds the changed case ("in hand": the page event,
   or the pull); a change is everywhere when the last of the N has it. Ordinary requests: the
   pulls, the opens, the changes.

Bounded (every phase has a fixed count or duration), loopback only. Output: a markdown table
with ``uptime`` at the start of each run (the machine is shared).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_sync_endpoint import free_port, percentile, pg_schema_url, prepare  # noqa: E402

from labdesk.server.settings import ServerSettings  # noqa: E402

# --- the load generator (a child process: ``--child``) ----------------------------------------


class Workstation:
    """One workstation: a client built up front, its change stream, its cursor."""

    def __init__(self, base: str, token: str, pages: bool) -> None:
        limits = httpx.Limits(max_connections=4, max_keepalive_connections=4)
        headers = {"Authorization": f"Bearer {token}"}
        self.http = httpx.AsyncClient(base_url=base, headers=headers, timeout=30, limits=limits)
        self.since = 0
        self.heartbeats = 0
        self.seen: dict[int, float] = {}  # seq -> monotonic time the stream carried it
        self.in_hand: dict[int, float] = {}  # seq -> the pull that brought it ended
        self.latencies: list[float] = []  # ordinary requests, seconds
        self.open_latencies: list[float] = []  # of those, the case opens
        self.errors = 0
        self.connected = asyncio.Event()
        self.pulling = False
        self.wanted = 0
        self.pages = pages  # the feed carries the changes (pages=1), as the workstation asks

    async def hold_stream(self) -> None:
        try:
            params = {"since": self.since, "pages": int(self.pages)}
            async with self.http.stream("GET", "/changes", params=params) as resp:
                resp.raise_for_status()
                event = ""
                async for line in resp.aiter_lines():
                    if line.startswith("retry:"):
                        self.connected.set()
                    elif line.startswith(": heartbeat"):
                        self.heartbeats += 1
                    elif line.startswith("event:"):
                        event = line[6:].strip()
                    elif line.startswith("data:") and event == "changed":
                        seq = int(line[5:])
                        self.seen.setdefault(seq, time.monotonic())
                        self.wanted = max(self.wanted, seq)
                        if not self.pulling:
                            asyncio.get_running_loop().create_task(self.pull())
                    elif line.startswith("data:") and event == "page":
                        self.take_page(json.loads(line[5:]))
        except (httpx.HTTPError, asyncio.CancelledError):
            if not self.connected.is_set():
                self.errors += 1
            self.connected.set()

    def take_page(self, data: dict[str, Any]) -> None:
        """The changes came in the event: kept when they continue the cursor (as the sync
        engine does), else pulled."""
        now, page = time.monotonic(), data["page"]
        self.seen.setdefault(page["next_since"], now)
        self.wanted = max(self.wanted, page["next_since"])
        if data["since"] == self.since and not self.pulling:
            for case in page["cases"]:
                self.in_hand.setdefault(case["seq"], now)
            self.since = page["next_since"]
            if not page["has_more"]:
                return
        if not self.pulling:
            asyncio.get_running_loop().create_task(self.pull())

    async def request(self, method: str, url: str, **kw: Any) -> httpx.Response | None:
        start = time.monotonic()
        try:
            resp = await self.http.request(method, url, **kw)
            resp.raise_for_status()
        except httpx.HTTPError as exc:
            self.errors += 1
            print(f"failed: {method} {url}: {exc!r}", file=sys.stderr, flush=True)
            return None
        self.latencies.append(time.monotonic() - start)
        if url.startswith("/cases/"):
            self.open_latencies.append(self.latencies[-1])
        return resp

    async def pull(self) -> None:
        """Pull until the cursor reaches what the stream announced (as the workstation does)."""
        self.pulling = True
        try:
            while self.since < self.wanted:
                resp = await self.request("GET", "/cases", params={"since": self.since})
                if resp is None:
                    return
                page = resp.json()
                now = time.monotonic()
                for case in page["cases"]:
                    self.in_hand.setdefault(case["seq"], now)
                self.since = page["next_since"]
                if not page["has_more"] and not page["cases"]:
                    return
        finally:
            self.pulling = False


async def child_main(config: dict[str, Any]) -> None:
    try:
        import uvloop  # the generator's own CPU is not the point: make it cheap where we can

        uvloop.install()
    except ImportError:
        pass
    loop = asyncio.get_running_loop()
    stations = [
        Workstation(config["base"], config["token"], config["pages"])
        for _ in range(config["count"])
    ]
    for ws in stations:
        ws.since = config["latest"]
    streams = [loop.create_task(ws.hold_stream()) for ws in stations]
    await asyncio.gather(*(ws.connected.wait() for ws in stations))
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    _say({"ready": len(stations)})
    while line := (await reader.readline()).decode().split():
        command, args = line[0], [float(a) for a in line[1:]]
        if command == "idle":
            before = sum(ws.heartbeats for ws in stations)
            await asyncio.sleep(args[0])
            _say({"heartbeats": sum(ws.heartbeats for ws in stations) - before})
        elif command == "poll":
            await _polls(stations, int(args[0]), config["latest"])
        elif command == "load":
            await _load(stations, args[0], args[1], config["case_ids"])
        elif command == "quit":
            break
    for task in streams:
        task.cancel()
    await asyncio.gather(*streams, return_exceptions=True)
    await asyncio.gather(*(ws.http.aclose() for ws in stations))


async def _polls(stations: list[Workstation], count: int, latest: int) -> None:
    """``count`` idle polls spread over the workstations, each a request that finds nothing."""
    for ws in stations:
        ws.latencies.clear()
    per = max(1, count // len(stations))

    async def one(ws: Workstation) -> None:
        for _ in range(per):
            await ws.request("GET", "/cases", params={"since": latest})

    start = time.monotonic()
    await asyncio.gather(*(one(ws) for ws in stations))
    _say(_latencies(stations, time.monotonic() - start))


async def _load(stations: list[Workstation], seconds: float, rate: float, ids: list[int]) -> None:
    """Open cases at ``rate`` per second (spread over the workstations) while changes come."""
    for ws in stations:
        ws.latencies.clear()
        ws.open_latencies.clear()
        ws.seen.clear()
        ws.in_hand.clear()
    tasks: list[asyncio.Task[Any]] = []
    start = time.monotonic()
    n = 0
    while (now := time.monotonic()) - start < seconds:
        if rate > 0 and n < (now - start) * rate:
            ws = stations[n % len(stations)]
            case_id = ids[n % len(ids)]
            tasks.append(
                asyncio.get_running_loop().create_task(ws.request("GET", f"/cases/{case_id}"))
            )
            n += 1
        await asyncio.sleep(0.005)
    await asyncio.gather(*tasks)
    await asyncio.sleep(2.0)  # the last change's pulls
    result = _latencies(stations, time.monotonic() - start)
    result["seen"] = [ws.seen for ws in stations]
    result["in_hand"] = [ws.in_hand for ws in stations]
    _say(result)


def _latencies(stations: list[Workstation], seconds: float) -> dict[str, Any]:
    return {
        "latencies": [x for ws in stations for x in ws.latencies],
        "opens": [x for ws in stations for x in ws.open_latencies],
        "errors": sum(ws.errors for ws in stations),
        "seconds": seconds,
    }


def _say(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


# --- the conductor (this process: the portal, the changes, the figures) ------------------------


class Portal:
    """``labdesk-server`` in processes of its own; CPU time summed over all of them."""

    def __init__(self, settings: ServerSettings, workers: int) -> None:
        self.port = free_port()
        command = [
            sys.executable, "-m", "labdesk.server.cli", "--port", str(self.port),
            "--data-dir", str(settings.data_dir), "--log-level", "warning",
            "--workers", str(workers),
        ]  # fmt: skip
        if settings.db_url:
            command += ["--db", settings.db_url]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{self.port}/api/v1"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/health", timeout=1).is_success:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            self.stop()
            raise RuntimeError("the portal did not start")
        time.sleep(2.0 if workers > 1 else 0.2)  # every worker up and listening

    def cpu(self) -> float:
        root = psutil.Process(self.process.pid)
        total = 0.0
        for proc in [root, *root.children(recursive=True)]:
            try:
                times = proc.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system
        return total

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Generators:
    """The load generator processes, each holding its share of the workstations."""

    def __init__(self, config: dict[str, Any], workstations: int, processes: int) -> None:
        shares = [
            workstations // processes + (i < workstations % processes) for i in range(processes)
        ]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.children = []
        for share in (s for s in shares if s):
            child = subprocess.Popen(
                [sys.executable, __file__, "--child", json.dumps({**config, "count": share})],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True,
            )  # fmt: skip
            self.children.append(child)
        for child in self.children:
            self._read(child)  # {"ready": n}: clients built, streams connected

    def send(self, command: str) -> None:
        for child in self.children:
            assert child.stdin is not None
            child.stdin.write(command + "\n")
            child.stdin.flush()

    def collect(self) -> list[dict[str, Any]]:
        return [self._read(child) for child in self.children]

    @staticmethod
    def _read(child: subprocess.Popen[str]) -> dict[str, Any]:
        assert child.stdout is not None
        line = child.stdout.readline()
        if not line:
            raise RuntimeError("a load generator ended early")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def close(self) -> None:
        self.send("quit")
        for child in self.children:
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()


def sign_in(base: str, username: str, password: str) -> str:
    token: str = httpx.post(
        f"{base}/auth/login", json={"username": username, "password": password}
    ).json()["token"]
    return token


def latest_seq_and_ids(base: str, token: str) -> tuple[int, list[int]]:
    headers = {"Authorization": f"Bearer {token}"}
    since, ids = 0, []
    with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
        while True:
            page = client.get("/cases", params={"since": since, "limit": 1000}).json()
            ids += [c["id"] for c in page["cases"]]
            since = page["next_since"]
            if not page["has_more"]:
                return since, ids


async def make_changes(
    base: str, token: str, case_id: int, count: int, interval: float
) -> list[tuple[int, float, float]]:
    """``count`` changes of one case: (seq, monotonic time sent, request seconds)."""
    headers = {"Authorization": f"Bearer {token}"}
    made = []
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
        version = (await client.get(f"/cases/{case_id}")).json()["version"]
        await asyncio.sleep(interval)
        for n in range(count):
            sent = time.monotonic()
            resp = await client.patch(
                f"/cases/{case_id}",
                json={"tags": [f"load-{n}"]},
                headers={"If-Match": str(version)},
            )
            took = time.monotonic() - sent
            resp.raise_for_status()
            body = resp.json()
            version = body["version"]
            made.append((body["seq"], sent, took))
            await asyncio.sleep(interval)
    return made


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def run(
    label: str, db_url: str | None, workers: int, args: argparse.Namespace
) -> list[dict[str, str]]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="labdesk-load-") as tmp:
        settings = ServerSettings(data_dir=Path(tmp), db_url=db_url)
        password = secrets.token_urlsafe(16)
        prepare(settings, args.cases, password)
        portal = Portal(settings, workers)
        try:
            token = sign_in(portal.base, "bench_admin", password)
            latest, ids = latest_seq_and_ids(portal.base, token)
            for feed in args.feed:
                for n in args.ws:
                    rows.append(measure(label, workers, n, feed, portal, token, latest, ids, args))
                    latest, _ = latest_seq_and_ids(portal.base, token)
        finally:
            portal.stop()
    return rows


def measure(
    label: str, workers: int, n: int, feed: str, portal: Portal, token: str, latest: int,
    ids: list[int], args: argparse.Namespace,
) -> dict[str, str]:  # fmt: skip
    load = uptime().split("load average:")[-1].strip()
    cpu = portal.cpu()
    time.sleep(args.idle)  # the portal alone (its background loops), to net out of heartbeats
    idle_per_s = (portal.cpu() - cpu) / args.idle
    config = {
        "base": portal.base, "token": token, "latest": latest, "case_ids": ids[:500],
        "pages": feed == "pages",
    }  # fmt: skip
    generators = Generators(config, n, min(args.generators, n))
    try:
        cpu, start = portal.cpu(), time.monotonic()
        generators.send(f"idle {args.idle}")
        beats = sum(r["heartbeats"] for r in generators.collect())
        streams_cpu = portal.cpu() - cpu - idle_per_s * (time.monotonic() - start)
        cpu_beat = streams_cpu / max(beats, 1)

        cpu = portal.cpu()
        generators.send(f"poll {args.polls // len(generators.children)}")
        polls = generators.collect()
        poll_lat = [x for r in polls for x in r["latencies"]]
        cpu_poll = (portal.cpu() - cpu) / max(len(poll_lat), 1)

        seconds = args.changes * args.interval + args.interval
        cpu = portal.cpu()
        # --rate is for all the workstations together: each generator takes its share
        generators.send(f"load {seconds} {args.rate / len(generators.children)}")
        made = asyncio.run(make_changes(portal.base, token, ids[-1], args.changes, args.interval))
        loaded = generators.collect()
        cpu_load = portal.cpu() - cpu
    finally:
        generators.close()
    lat = [x for r in loaded for x in r["latencies"]] + [took for _, _, took in made]
    errors = sum(r["errors"] for r in [*polls, *loaded])
    seen = [s for r in loaded for s in r["seen"]]
    in_hand = [s for r in loaded for s in r["in_hand"]]
    event_lat, hand_lat, everywhere, missing = [], [], [], 0
    for seq, sent, _ in made:
        latest_hand = 0.0
        for ws_seen, ws_hand in zip(seen, in_hand, strict=True):
            at = ws_seen.get(str(seq))
            hand = min((t for s, t in ws_hand.items() if int(s) >= seq), default=None)
            if at is None and hand is None:
                missing += 1
                continue
            if at is not None:
                event_lat.append(at - sent)
            if hand is not None:
                hand_lat.append(hand - sent)
                latest_hand = max(latest_hand, hand - sent)
        everywhere.append(latest_hand)
    ms = 1000.0
    return {
        "db": label,
        "processes": str(workers),
        "workstations": str(n),
        "feed": feed,
        "load average": load,
        "portal alone: CPU ms/s": f"{idle_per_s * ms:.1f}",
        "CPU per heartbeat ms (net)": f"{cpu_beat * ms:.3f}",
        "CPU per idle poll ms": f"{cpu_poll * ms:.3f}",
        "idle poll p50 / p99 ms": _p50_p99(poll_lat, 1),
        "load: requests/s": f"{len(lat) / loaded[0]['seconds']:.0f}",
        "load: CPU per request ms": f"{cpu_load / max(len(lat), 1) * ms:.2f}",
        "load: request p50 / p99 ms": _p50_p99(lat, 1),
        "of which case opens p50 / p99 ms": _p50_p99([x for r in loaded for x in r["opens"]], 1),
        "of which changes p50 / p99 ms": _p50_p99([took for _, _, took in made], 1),
        "change to event p50 / p99 ms": _p50_p99(event_lat, 0),
        "change to in hand p50 / p99 ms": _p50_p99(hand_lat, 0),
        "change everywhere (in hand) median / max ms": (
            f"{statistics.median(everywhere) * ms:.0f} / {max(everywhere) * ms:.0f}"
        ),
        "errors: failed requests / changes never seen": f"{errors} / {missing}",
    }


def _p50_p99(values: list[float], digits: int) -> str:
    if not values:
        return "-"
    p50, p99 = statistics.median(values) * 1000, percentile(values, 99) * 1000
    return f"{p50:.{digits}f} / {p99:.{digits}f}"


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        asyncio.run(child_main(json.loads(sys.argv[2])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--ws", type=lambda s: [int(x) for x in s.split(",")], default=[10, 50, 200]
    )
    parser.add_argument("--cases", type=int, default=2_000)
    parser.add_argument("--generators", type=int, default=2, help="load generator processes")
    parser.add_argument("--idle", type=float, default=6.0, help="seconds of idle streams")
    parser.add_argument("--polls", type=int, default=1_000, help="idle polls in all")
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between changes")
    parser.add_argument("--rate", type=float, default=20.0, help="case opens per second in all")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("LABDESK_BENCH_PG_URL") or os.environ.get("LABDESK_TEST_PG_URL"),
    )
    parser.add_argument(
        "--pg-workers", type=lambda s: [int(x) for x in s.split(",")], default=[1, 4]
    )
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument(
        "--feed",
        type=lambda s: s.split(","),
        default=["pages"],
        help="pages (the event carries the changes, as the workstation asks), "
        "seq (the event carries the seq and every workstation pulls), or both: pages,seq",
    )
    args = parser.parse_args()
    print(uptime(), flush=True)
    rows = []
    if not args.skip_sqlite:
        rows += run("SQLite", None, 1, args)
        _print(rows[-len(args.ws) * len(args.feed) :])
    if args.pg_url:
        for workers in args.pg_workers:
            url = pg_schema_url(args.pg_url, reset=True)
            try:
                rows += run("PostgreSQL", url, workers, args)
            finally:
                pg_schema_url(args.pg_url, reset=False)
            _print(rows[-len(args.ws) * len(args.feed) :])
    print("\nAll runs:")
    _print(rows)
    return 0


def _print(rows: list[dict[str, str]]) -> None:
    keys = list(rows[0])
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for row in rows:
        print("| " + " | ".join(row[k] for k in keys) + " |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
