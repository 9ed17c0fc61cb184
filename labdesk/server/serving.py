"""Serving the portal: a uvicorn server that ends the change streams when it stops.

uvicorn waits for open responses before it stops, and a change stream (``GET /changes``)
never ends by itself: without this, stopping a portal would wait for its graceful-shutdown
timeout (or forever). Used by ``labdesk-server`` (each worker process) and the embedded portal.
"""

from __future__ import annotations

import socket

import uvicorn
from fastapi import FastAPI


class PortalServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, app: FastAPI) -> None:
        super().__init__(config)
        self._app = app

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self._app.state.portal.db.changes.close_all()
        await super().shutdown(sockets)
