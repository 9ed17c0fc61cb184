"""The reference lab portal: FastAPI + SQLAlchemy, SQLite by default, PostgreSQL supported.

Entry points: :func:`labdesk.server.app.create_app`, :func:`labdesk.server.embedded.start_portal`
and the ``labdesk-server`` command (:mod:`labdesk.server.cli`).
"""

# The portal ships with the workstation and carries its version (one home: labdesk/__init__.py).
from labdesk import __version__

__all__ = ["__version__"]
