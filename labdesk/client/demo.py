"""``labdesk --demo``: the reference portal, in this process, with its demo data.

The portal runs on 127.0.0.1 on a fixed port when it is free (so the demo's offline cache,
which is per portal address, is found again next time) with its database and files in the
demo folder (``<user data dir>/demo``). Imported only in demo mode: the server and its
dependencies (FastAPI, uvicorn) stay out of a normal start.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any, Final

from labdesk import config
from labdesk.config import Settings

log = logging.getLogger(__name__)

DEMO_PORT: Final = 47_651
DEMO_PASSWORD: Final = "demo"
# (username, label) of the demo role switcher.
DEMO_ROLES: Final[tuple[tuple[str, str], ...]] = (
    ("reviewer", "Reviewer"),
    ("designer", "Designer"),
    ("production_tech", "Production tech"),
    ("ceramist", "Ceramist"),
    ("finishing_tech", "Finishing tech"),
    ("qc_manager", "QC manager"),
    ("shipping", "Shipping"),
    ("lab_admin", "Lab admin"),
)
DEMO_FIRST_USER: Final = "reviewer"


def demo_dir() -> Path:
    return config.data_dir() / "demo"


@dataclasses.dataclass
class DemoPortal:
    """The running demo portal, and what the demo changes in the settings while it runs."""

    running: Any  # labdesk.server.embedded.RunningPortal
    folder: Path
    saved_fields: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def url(self) -> str:
        return str(self.running.url)

    def settings_for(self, settings: Settings) -> Settings:
        """The settings while the demo runs: its portal, its cache; the rest is the person's."""
        self.saved_fields = {
            "server_url": settings.server_url,
            "last_username": settings.last_username,
            "cache_dir": settings.cache_dir,
        }
        return dataclasses.replace(
            settings,
            server_url=self.url,
            last_username=DEMO_FIRST_USER,
            cache_dir=str(self.folder / "cache"),
        )

    def stop(self) -> None:
        self.running.stop()


def start(folder: Path | None = None, port: int = DEMO_PORT) -> DemoPortal:
    """Seed the demo (first time only; it generates scan files) and start serving it."""
    from labdesk.server.demo import seed_demo
    from labdesk.server.embedded import start_portal
    from labdesk.server.settings import ServerSettings

    folder = folder or demo_dir()
    folder.mkdir(parents=True, exist_ok=True)
    server_settings = ServerSettings(data_dir=folder / "portal", demo=True)
    if seed_demo(server_settings):
        log.info("demo data created in %s", folder)
    try:
        running = start_portal(server_settings, host="127.0.0.1", port=port)
    except OSError:
        log.info("port %s is taken; the demo portal takes a free one", port)
        running = start_portal(server_settings, host="127.0.0.1", port=0)
    log.info("demo portal at %s", running.url)
    return DemoPortal(running, folder)
