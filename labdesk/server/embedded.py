"""Run the portal inside this process on a background thread (desktop demo mode, tests).

The listening socket is bound here, so ``port=0`` picks a free port and the caller learns it
before the server thread starts. uvicorn installs no signal handlers off the main thread.
"""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType

import uvicorn
from fastapi import FastAPI

from labdesk.server.app import create_app
from labdesk.server.notifications import SmsSender
from labdesk.server.serving import PortalServer, bind
from labdesk.server.settings import ServerSettings

STARTUP_TIMEOUT = 30.0


class RunningPortal:
    """A portal serving on ``url`` until :meth:`stop` (or the end of a ``with`` block)."""

    def __init__(
        self, settings: ServerSettings, app: FastAPI, sock: socket.socket, host: str
    ) -> None:
        self.settings = settings
        self.app = app
        self._sock = sock
        self.host = host
        self.port: int = sock.getsockname()[1]
        self.url = f"http://{host}:{self.port}"
        config = uvicorn.Config(
            app,
            log_level="warning",
            access_log=False,
            lifespan="on",
            timeout_graceful_shutdown=5,
        )
        self._server = PortalServer(config, app)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [sock]},
            name=f"labdesk-portal-{self.port}",
            daemon=True,
        )

    def _start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive():
                self._sock.close()
                raise RuntimeError("the portal failed to start; see the log")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the portal did not start in time")
            time.sleep(0.01)

    @property
    def running(self) -> bool:
        return self._thread.is_alive() and self._server.started

    def stop(self) -> None:
        """Stop serving, finish the lifespan (notifier, database) and release the port."""
        self._server.should_exit = True  # PortalServer ends the change streams first
        if self._thread.is_alive():
            self._thread.join(timeout=15)
        if self._thread.is_alive():  # pragma: no cover - a request that never ends
            self._server.force_exit = True
            self._thread.join(timeout=5)
        self._sock.close()

    def __enter__(self) -> RunningPortal:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start_portal(
    settings: ServerSettings,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    sms: SmsSender | None = None,
) -> RunningPortal:
    """Start a portal for ``settings`` and return once it accepts connections."""
    app = create_app(settings, sms=sms)
    sock = bind(host, port)
    portal = RunningPortal(settings, app, sock, host)
    portal._start()
    return portal
