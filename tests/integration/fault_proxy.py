"""An HTTP proxy on 127.0.0.1 in front of the real portal that misbehaves on purpose, once per
rule: answers 503 without asking the portal, forwards a request without its ``Range`` header,
cuts a response body half-way, or answers 412 with no body. The client under test talks to it
exactly as it talks to a portal behind a flaky load balancer.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


@dataclass
class Fault:
    """``mode``: "503", "412" (answered here), "drop_range" (forwarded without Range) or
    "cut_body" (forwarded, then half the body and the connection closed)."""

    method: str
    path: str  # a regular expression matched against the whole path
    mode: str
    times: int = 1

    def matches(self, method: str, path: str) -> bool:
        wanted = method == self.method and re.fullmatch(self.path, path) is not None
        return self.times > 0 and wanted


@dataclass
class FaultProxy:
    target: str  # the portal's base URL
    faults: list[Fault] = field(default_factory=list)
    seen: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    fired: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._upstream = httpx.Client(base_url=self.target, timeout=30)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: Any) -> None:  # quiet
                pass

            def _handle(self) -> None:
                proxy._serve(self)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def add(self, method: str, path: str, mode: str, times: int = 1) -> None:
        with self._lock:
            self.faults.append(Fault(method, path, mode, times))

    def requests(self, method: str, path: str) -> list[dict[str, str]]:
        return [h for m, p, h in self.seen if m == method and re.fullmatch(path, p)]

    def _take(self, method: str, path: str) -> str | None:
        with self._lock:
            for fault in self.faults:
                if fault.matches(method, path):
                    fault.times -= 1
                    self.fired.append(fault.mode)
                    return fault.mode
        return None

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        method, path = handler.command, handler.path
        headers = {k.lower(): v for k, v in handler.headers.items()}
        length = int(headers.get("content-length", "0") or 0)
        body = handler.rfile.read(length) if length else b""
        short_path = path.split("?", 1)[0]
        with self._lock:
            self.seen.append((method, short_path, headers))
        mode = self._take(method, short_path)
        if mode in ("503", "412"):
            handler.send_response(int(mode))
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        forward = {k: v for k, v in headers.items() if k not in HOP_BY_HOP}
        if mode == "drop_range":
            forward.pop("range", None)
        answer = self._upstream.request(method, path, headers=forward, content=body)
        handler.send_response(answer.status_code)
        for name, value in answer.headers.items():
            if name.lower() not in HOP_BY_HOP and name.lower() != "content-encoding":
                handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(answer.content)))
        if mode == "cut_body":
            handler.send_header("Connection", "close")
        handler.end_headers()
        if mode == "cut_body":
            handler.wfile.write(answer.content[: len(answer.content) // 2])
            handler.wfile.flush()
            handler.close_connection = True
            handler.connection.shutdown(2)
            return
        handler.wfile.write(answer.content)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._upstream.close()
