"""The portal's FastAPI application."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from labdesk.api.schemas import API_PREFIX
from labdesk.server import (
    __version__,
    routes_actions,
    routes_auth,
    routes_cases,
    routes_changes,
    routes_files,
    routes_intake,
    routes_links,
    routes_reference,
    routes_workload,
)
from labdesk.server.auth import purge_expired
from labdesk.server.changes import PgListener
from labdesk.server.db import Database
from labdesk.server.deps import Portal
from labdesk.server.errors import install_handlers
from labdesk.server.files import FileStore
from labdesk.server.middleware import BodyLimit
from labdesk.server.notifications import Notifier, SmsSender
from labdesk.server.settings import ServerSettings
from labdesk.server.staging import StoreSweeper

log = logging.getLogger(__name__)


def create_app(
    settings: ServerSettings, *, sms: SmsSender | None = None, primary: bool = True
) -> FastAPI:
    """The application for ``settings``. The ``primary`` process (the only one, or the
    supervisor's first step when there are several workers) migrates the database to the
    newest schema and recovers interrupted notification deliveries; other workers do not."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.database_url)
    if primary:
        db.upgrade()
    with db.writing() as session:
        purge_expired(session, settings)
    portal = Portal(
        settings=settings,
        db=db,
        store=FileStore(settings.files_dir),
        notifier=Notifier(db, settings, sms),
    )
    sweeper = StoreSweeper(db, portal.store, settings)

    listener = PgListener(db.listen_dsn(), db.changes) if db.backend == "postgresql" else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        portal.notifier.start(recover=primary)
        sweeper.start()
        if listener is not None:  # hear the changes other portal processes commit
            listener.start()
        try:
            yield
        finally:
            if listener is not None:
                listener.stop()
            sweeper.stop()
            portal.notifier.stop()
            db.dispose()

    app = FastAPI(
        title="LabDesk lab portal",
        version=__version__,
        lifespan=lifespan,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.portal = portal
    install_handlers(app)
    for module in (
        routes_auth,
        routes_cases,
        routes_actions,
        routes_files,
        routes_links,
        routes_reference,
        routes_workload,
        routes_intake,
    ):
        app.include_router(module.router, prefix=API_PREFIX)
    if settings.change_feed:
        app.include_router(routes_changes.router, prefix=API_PREFIX)
    app.add_api_route("/health", routes_reference.health, methods=["GET"], tags=["health"])
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "If-Match", "Idempotency-Key"],
            expose_headers=["ETag", "Idempotent-Replayed"],
        )
    app.add_middleware(BodyLimit, limit=settings.max_request_bytes)
    return app
