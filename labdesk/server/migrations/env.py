"""Alembic environment: runs online against the engine handed in by ``labdesk.server.db``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine, text

from labdesk.server.models import Base

config = context.config
engine: Engine = config.attributes["engine"]

with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # SQLite changes a table by copying it (batch mode) and dropping the old one, which
        # foreign keys of populated rows refuse: off for the migration (outside any
        # transaction, where SQLite honours it), checked and back on afterwards.
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
    if connection.dialect.name == "postgresql":
        # Two servers starting at once on one database: one migrates, the other waits.
        connection.execute(text("SELECT pg_advisory_lock(4815162342)"))
        connection.commit()
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"the migration broke {len(broken)} foreign keys: {broken[:5]}")
    if sqlite:
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_unlock(4815162342)"))
        connection.commit()
