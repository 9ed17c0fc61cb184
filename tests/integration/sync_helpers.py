"""Helpers for the client-core tests: case factories, a loopback TCP proxy that can cut or
hold connections, a byte-counting transport, and starting a demo portal on a chosen port.

Imported explicitly (not a conftest) so it never collides with other engineers' fixtures.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx

from labdesk.api.client import PortalClient
from labdesk.api.schemas import Case, HistoryEntry
from labdesk.api.tokens import TokenStore
from labdesk.client.account import Account
from labdesk.config import Settings

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def make_case(case_id: int = 1, **overrides: Any) -> Case:
    """A plausible case as the portal would send it."""
    data: dict[str, Any] = {
        "id": case_id,
        "number": f"C-2026-{case_id:05d}",
        "lab_id": 1,
        "clinic_id": 1,
        "clinic_name": "Riverside Dental",
        "dentist_id": 1,
        "dentist_name": "Dr. Ada Lind",
        "share_patient_name": True,
        "patient_name": "Mara Quist",
        "patient_initials": "MQ",
        "patient_ref": f"P-{case_id}",
        "items": [
            {
                "id": case_id * 10,
                "catalog_code": "ZR-CROWN",
                "catalog_name": "Zirconia crown",
                "kind": "crown",
                "material": "zirconia",
                "shade": "A2",
                "teeth": [11],
            }
        ],
        "due_date": date(2026, 3, 20),
        "status": "received",
        "version": 1,
        "seq": case_id,
        "created_at": T0,
        "updated_at": T0,
    }
    data.update(overrides)
    return Case.model_validate(data)


def file_meta(file_id: int, case_id: int, content: bytes, **overrides: Any) -> dict[str, Any]:
    import hashlib

    meta: dict[str, Any] = {
        "id": file_id,
        "case_id": case_id,
        "kind": "scan",
        "jaw": "upper",
        "filename": f"upper-{file_id}.stl",
        "media_type": "model/stl",
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
        "uploaded_at": T0,
        "uploaded_by": "dentist1",
    }
    meta.update(overrides)
    return meta


# --- a byte-counting transport ----------------------------------------------------------------


class CountingTransport(httpx.BaseTransport):
    """Wraps a real transport and records each request's path and response size."""

    def __init__(self, inner: httpx.BaseTransport | None = None) -> None:
        self.inner = inner or httpx.HTTPTransport()
        self.requests: list[tuple[str, str, int]] = []  # (method, path?query, body bytes)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        body = response.read()
        target = request.url.raw_path.decode()
        self.requests.append((request.method, target, len(body)))
        return httpx.Response(
            response.status_code, headers=response.headers, content=body, request=request
        )

    def close(self) -> None:
        self.inner.close()

    def reset(self) -> None:
        self.requests.clear()


# --- a loopback proxy that can lose answers -------------------------------------------------


@dataclass
class ProxyRule:
    """What to do with the next matching request: ``cut_response`` forwards the request
    and closes the client's connection before any of the answer reaches it; ``cut_after``
    lets that many answer bytes through, then closes; ``hold`` forwards the request and
    never answers (until the proxy stops)."""

    match: Callable[[bytes], bool]
    mode: str  # "cut_response" | "cut_after" | "hold"
    after: int = 0
    times: int = 1


@dataclass
class TcpProxy:
    """A TCP proxy on 127.0.0.1 in front of ``target_port``. One connection per thread;
    requests are seen as raw bytes (HTTP/1.1 over plain TCP)."""

    target_port: int
    rules: list[ProxyRule] = field(default_factory=list)
    seen: list[bytes] = field(default_factory=list)
    port: int = 0

    def __post_init__(self) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", self.port))
        self._sock.listen(64)
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._conns: list[socket.socket] = []
        self.fired: list[str] = []
        accept = threading.Thread(target=self._accept, daemon=True, name="test-proxy")
        accept.start()
        self._threads.append(accept)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        self._sock.settimeout(0.1)
        while not self._stop.is_set():
            try:
                client, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            worker = threading.Thread(target=self._serve, args=(client,), daemon=True)
            worker.start()
            self._threads.append(worker)

    def _take_rule(self, head: bytes) -> ProxyRule | None:
        with self._lock:
            for rule in self.rules:
                if rule.times > 0 and rule.match(head):
                    rule.times -= 1
                    self.fired.append(rule.mode)
                    return rule
        return None

    def _serve(self, client: socket.socket) -> None:
        upstream = socket.create_connection(("127.0.0.1", self.target_port))
        with self._lock:
            self._conns += [client, upstream]
        try:
            while not self._stop.is_set():
                request = _read_http_message(client)
                if not request:
                    return
                self.seen.append(request)
                rule = self._take_rule(request)
                upstream.sendall(request)
                response = _read_http_message(upstream)
                if rule is None:
                    client.sendall(response)
                    continue
                if rule.mode == "hold":
                    self._stop.wait()
                    return
                if rule.mode == "cut_after":
                    client.sendall(response[: rule.after])
                return  # cut: close both sides without (the rest of) the answer
        except OSError:
            return
        finally:
            for s in (client, upstream):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()

    def stop(self) -> None:
        self._stop.set()
        self._sock.close()
        with self._lock:
            conns = list(self._conns)
        for s in conns:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(timeout=5)


def _read_http_message(sock: socket.socket) -> bytes:
    """One HTTP/1.1 message (head + Content-Length or chunked body); b"" at EOF."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            return b""
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    headers = {
        k.strip().lower(): v.strip()
        for k, _, v in (line.partition(b":") for line in head.split(b"\r\n")[1:])
    }
    if b"content-length" in headers:
        length = int(headers[b"content-length"])
        while len(rest) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            rest += chunk
        return head + b"\r\n\r\n" + rest[:length]
    if headers.get(b"transfer-encoding", b"").lower() == b"chunked":
        while not rest.endswith(b"0\r\n\r\n"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            rest += chunk
        return head + b"\r\n\r\n" + rest
    return head + b"\r\n\r\n"


def request_line(data: bytes) -> bytes:
    return data.split(b"\r\n", 1)[0]


def is_action(data: bytes) -> bool:
    line = request_line(data)
    return line.startswith(b"POST ") and b"/actions" in line


def is_file_get(data: bytes) -> bool:
    line = request_line(data)
    return line.startswith(b"GET ") and b"/files/" in line


# --- a demo portal the tests start and stop -------------------------------------------------

_TEMPLATES: dict[str, Path] = {}


def demo_template(root: Path) -> Path:
    """A portal data folder with the demo seeded, made once per test process under ``root``
    (copy it with :func:`portal_copy` for a test that changes things)."""
    if "demo" not in _TEMPLATES:
        from labdesk.server.demo import seed_demo
        from labdesk.server.settings import ServerSettings

        folder = root / "portal-template"
        folder.mkdir(parents=True)
        seed_demo(ServerSettings(data_dir=folder, demo=True))
        _TEMPLATES["demo"] = folder
    return _TEMPLATES["demo"]


def portal_copy(template: Path, dest: Path) -> Path:
    shutil.copytree(template, dest)
    return dest


def start_demo_portal(data_dir: Path, *, port: int = 0) -> Any:
    """The real portal on 127.0.0.1 serving ``data_dir`` (RunningPortal; ``.stop()`` it)."""
    from labdesk.server.embedded import start_portal
    from labdesk.server.settings import ServerSettings

    return start_portal(ServerSettings(data_dir=data_dir, demo=True), host="127.0.0.1", port=port)


def running_demo_portal(factory: Any, name: str) -> Iterator[Any]:
    """For a module-scoped ``portal`` fixture: a copy of the demo template served on
    127.0.0.1 for the module's tests, stopped afterwards (``yield from`` it)."""
    root = factory.mktemp(name)
    running = start_demo_portal(portal_copy(demo_template(factory.getbasetemp()), root / "portal"))
    yield running
    running.stop()


def open_account(
    home: Path, url: str, username: str, *, sign_in: bool = True, **client_options: Any
) -> Account:
    """A workstation account whose cache lives under ``home``; token in memory only."""
    settings = Settings(server_url=url, cache_dir=str(home / "cache"))
    client_options.setdefault("backoff", 0.01)
    client_options.setdefault("timeout", 10.0)
    account = Account.open(settings, username, TokenStore(), **client_options)
    if sign_in:
        account.sign_in("demo")
    return account


def server_history(url: str, case_id: int, username: str = "lab_admin") -> list[HistoryEntry]:
    """The case's status history as the portal has it (asked as another person)."""
    with PortalClient(url, TokenStore()) as client:
        client.login(username, "demo")
        return client.get_case(case_id).history


def actions_in_history(url: str, case_id: int, action: str) -> int:
    return sum(1 for h in server_history(url, case_id) if h.action == action)


def wait_for(predicate: Callable[[], bool], timeout: float = 10.0, step: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(step)


class Accounts:
    """Opens workstation accounts for a test and closes them all at the end."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.opened: list[Account] = []

    def open(self, url: str, username: str, *, home: str = "", **options: Any) -> Account:
        account = open_account(self.root / (home or username), url, username, **options)
        self.opened.append(account)
        return account

    def close_all(self) -> None:
        for account in self.opened:
            account.close()
        self.opened.clear()
