"""Serving the portal: a uvicorn server that ends the change streams when it stops.

uvicorn waits for open responses before it stops, and a change stream (``GET /changes``)
never ends by itself: without this, stopping a portal would wait for its graceful-shutdown
timeout (or forever). Used by ``labdesk-server`` (each worker process) and the embedded portal.
"""

from __future__ import annotations

import logging
import os
import socket

import uvicorn
from fastapi import FastAPI

from labdesk.server.settings import ServerSettings

log = logging.getLogger(__name__)


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must say TCP: asyncio sets TCP_NODELAY on accepted sockets only then, and
    # without it every answer waits ~40 ms for the client's delayed ACK (Nagle).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(128)
    sock.setblocking(False)
    return sock


# Young-generation collections every 10,000 allocations instead of 700: a page of 500 cases
# allocates ~50,000 containers, and the default threshold spent a quarter of a full pull's CPU
# (0.72 s → 0.57 s for 10,000 cases) in collections that found nothing (nothing in a page
# refers to itself).
GC_THRESHOLD = (10_000, 20, 20)


def tune_gc() -> None:
    """For a portal process only (never the workstation's): once the app is built, move what
    start-up made (modules, tables, routes) out of the collector's sight, and collect young
    objects less often."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


class PortalServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, app: FastAPI) -> None:
        super().__init__(config)
        self._app = app

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self._app.state.portal.db.changes.close_all()
        await super().shutdown(sockets)


def serve_workers(
    settings: ServerSettings, *, host: str, port: int, workers: int, log_level: str
) -> int:
    """Serve with ``workers`` processes on one listening socket (PostgreSQL for more than one).

    This process does the once-only work (migrations, recovering interrupted deliveries),
    binds the socket and supervises: a worker that dies is started again; SIGTERM or SIGINT
    stops every worker gracefully (each ends its change streams first).
    """
    import multiprocessing
    import signal
    import time

    from labdesk.server.db import Database

    db = Database(settings.database_url)
    try:
        db.upgrade()
        from labdesk.server.notifications import Notifier

        Notifier(db, settings, None).recover()
    finally:
        db.dispose()
    sock = bind(host, port)
    context = multiprocessing.get_context("spawn")
    args = (settings, sock, log_level)
    processes = [context.Process(target=_worker, args=args, daemon=False) for _ in range(workers)]
    for process in processes:
        process.start()
    stopping = False

    def on_signal(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        while not stopping:
            for index, process in enumerate(processes):
                if not process.is_alive() and not stopping:
                    log.warning("portal worker %s exited (%s); starting it again",
                                process.pid, process.exitcode)  # fmt: skip
                    processes[index] = context.Process(target=_worker, args=args)
                    processes[index].start()
            time.sleep(0.5)
    finally:
        for process in processes:
            if process.is_alive() and process.pid is not None:
                os.kill(process.pid, signal.SIGTERM)
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
        sock.close()
    return 0


def _worker(settings: ServerSettings, sock: socket.socket, log_level: str) -> None:
    from labdesk.server.app import create_app

    logging.basicConfig(level=getattr(logging, log_level.upper(), logging.INFO))
    app = create_app(settings, primary=False)
    tune_gc()
    config = uvicorn.Config(
        app, log_level=log_level, access_log=False, lifespan="on", timeout_graceful_shutdown=10
    )
    PortalServer(config, app).run(sockets=[sock])
