"""How a portal server is configured: one dataclass, filled by the CLI, the desktop's embedded
demo and the tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

MB = 1024 * 1024


@dataclass
class ServerSettings:
    """Settings of one portal server.

    ``db_url`` defaults to ``sqlite:///<data_dir>/portal.db``; ``smtp`` is ``"host:port"`` of the
    mail relay (None: e-mail notifications wait in the outbox). ``demo`` lets the demo users
    sign in; outside demo mode they are refused even with the right password.
    """

    data_dir: Path
    db_url: str | None = None
    demo: bool = False
    smtp: str | None = None
    smtp_sender: str = "portal@labdesk.invalid"
    token_ttl: timedelta = timedelta(hours=12)
    max_upload_bytes: int = 25 * MB
    max_request_bytes: int = 26 * MB
    # Sign-in throttling (labdesk/server/login_throttle.py): failures per user name and
    # address, then per address (free ones, then a doubling wait, then refused).
    login_max_failures: int = 10
    login_window: timedelta = timedelta(minutes=15)
    login_address_free_failures: int = 20
    login_address_max_failures: int = 100
    login_delay_cap: timedelta = timedelta(seconds=60)
    cors_origins: list[str] = field(default_factory=list)
    change_feed: bool = True  # GET /changes; off: workstations poll (tests the fallback)
    notify_interval: float = 2.0  # seconds between outbox sweeps (new rows wake it at once)
    # A staged attachment (uploaded for an action not yet taken) expires after staged_ttl;
    # store content no row references is removed once older than store_grace.
    staged_ttl: timedelta = timedelta(hours=24)
    store_grace: timedelta = timedelta(hours=1)
    sweep_interval: float = 600.0  # seconds between file store sweeps

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir)
        if not self.db_url:
            self.db_url = f"sqlite:///{(self.data_dir / 'portal.db').as_posix()}"
        if self.max_request_bytes < self.max_upload_bytes:
            # A multipart upload carries some framing around the file itself.
            self.max_request_bytes = self.max_upload_bytes + MB

    @property
    def database_url(self) -> str:
        """The URL used (``db_url``, which defaults to ``sqlite:///<data_dir>/portal.db``)."""
        assert self.db_url is not None  # set by __post_init__
        return self.db_url

    @property
    def files_dir(self) -> Path:
        """The content-addressed store of uploaded and generated files."""
        return self.data_dir / "files"

    @property
    def smtp_address(self) -> tuple[str, int] | None:
        if not self.smtp:
            return None
        host, _, port = self.smtp.rpartition(":")
        if not host or not port.isdigit():
            raise ValueError(f"smtp must be HOST:PORT, not {self.smtp!r}")
        return host, int(port)
