"""Engine, sessions, migrations and the global change counter.

SQLite runs in WAL mode with foreign keys on and a busy timeout. pysqlite's own transaction
handling is switched off so that SQLAlchemy emits ``BEGIN`` itself: read sessions use a plain
(deferred) ``BEGIN``, write sessions ``BEGIN IMMEDIATE`` so that concurrent writers queue on
the busy timeout instead of failing with "database is locked" on a lock upgrade.
PostgreSQL runs at READ COMMITTED; writers lock the rows they change (``FOR UPDATE``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from labdesk.server.changes import CHANNEL, ChangeHub, payload, pending_changes, take_changes
from labdesk.server.models import Counter

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
SEQ_COUNTER = "case_seq"
NUMBER_COUNTER = "case_number"
WRITE_OPTION = "labdesk_write"


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=20,
            max_overflow=20,
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_size=10, max_overflow=30, pool_recycle=1800)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        write = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


class Database:
    """One engine and its two session factories (reading and writing)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.backend = self.engine.dialect.name
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            self.engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )
        self.changes = ChangeHub()
        self._announce_changes()

    def _announce_changes(self) -> None:
        """Tell the change hub (and, on PostgreSQL, the other portal processes) what a write
        transaction changed, once it has committed."""

        @event.listens_for(self._write, "before_commit")
        def notify_others(session: Session) -> None:
            changes = pending_changes(session)
            if changes and self.backend == "postgresql":
                # delivered by PostgreSQL at commit, to every process listening (this one too)
                session.execute(
                    text("SELECT pg_notify(:channel, :payload)"),
                    {"channel": CHANNEL, "payload": payload(changes)},
                )

        @event.listens_for(self._write, "after_commit")
        def tell_hub(session: Session) -> None:
            changes = take_changes(session)
            if changes:
                self.changes.publish(changes)

        @event.listens_for(self._write, "after_rollback")
        def forget(session: Session) -> None:
            take_changes(session)

    def read_session(self) -> Session:
        return self._read()

    def write_session(self) -> Session:
        return self._write()

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A write transaction: committed when the block ends, rolled back on an exception."""
        with self._write() as session, session.begin():
            yield session

    def upgrade(self) -> None:
        upgrade(self.engine)

    def listen_dsn(self) -> str:
        """The libpq address of this PostgreSQL database (for a ``LISTEN`` connection)."""
        url = make_url(self.url).set(drivername="postgresql")
        return url.render_as_string(hide_password=False)

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config(engine: Engine) -> Config:
    """Alembic configured in code (no alembic.ini): the migrations inside the package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (run at every start)."""
    command.upgrade(alembic_config(engine), "head")


def next_value(session: Session, name: str, count: int = 1) -> int:
    """Take ``count`` values of counter ``name``; returns the last one taken.

    ``UPDATE ... RETURNING`` locks the counter row until the transaction ends, so values are
    handed out in commit order: a client reading ``seq > since`` never misses a case that
    commits later with a smaller seq.
    """
    value = session.execute(
        update(Counter)
        .where(Counter.name == name)
        .values(value=Counter.value + count)
        .returning(Counter.value)
    ).scalar_one()
    return int(value)


def ping(session: Session) -> None:
    session.execute(text("SELECT 1"))
