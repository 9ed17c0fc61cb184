"""The reference lab portal: FastAPI + SQLAlchemy, SQLite by default, PostgreSQL supported.

Entry points: :func:`labdesk.server.app.create_app`, :func:`labdesk.server.embedded.start_portal`
and the ``labdesk-server`` command (:mod:`labdesk.server.cli`).
"""

__version__ = "0.1.0"
