"""Alembic migrations of the portal schema (configured in code by ``labdesk.server.db``)."""
