"""Where LabDesk keeps its files, and the person's settings, declared once.

Each setting is a field of :class:`Settings` with its type, its default and a label for the
settings dialog (``metadata["label"]``). Settings are stored as JSON in the user's config
directory; a value of the wrong type or an unknown choice falls back to the default, so a
hand-edited file never stops LabDesk from starting. ``LABDESK_HOME`` moves every path under
one folder (tests, portable installs). No Qt here: the GUI reads and writes through this.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import MISSING, asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

from labdesk.atomic import write_text_atomically
from labdesk.domain.paper import LABEL_SIZES, TICKET_SIZES

log = logging.getLogger(__name__)

APP_NAME = "labdesk"
SETTINGS_FILE = "settings.json"


def _home() -> Path | None:
    value = os.environ.get("LABDESK_HOME")
    return Path(value) if value else None


def config_dir() -> Path:
    home = _home()
    return home / "config" if home else Path(platformdirs.user_config_dir(APP_NAME))


def data_dir() -> Path:
    home = _home()
    return home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME))


def log_dir() -> Path:
    home = _home()
    return home / "logs" if home else Path(platformdirs.user_log_dir(APP_NAME))


def _setting(default: Any, label: str, choices: tuple[str, ...] = ()) -> Any:
    return field(default=default, metadata={"label": label, "choices": choices})


@dataclass
class Settings:
    """The person's settings. Add a setting here and nowhere else."""

    server_url: str = _setting("http://127.0.0.1:8765", "Portal address")
    sync_interval_s: int = _setting(30, "Check the portal every (seconds)")
    cache_dir: str = _setting("", "Cache folder (empty: the default folder)")
    cache_limit_mb: int = _setting(2048, "Space for downloaded scans and files (MB)")
    tooth_notation: str = _setting("fdi", "Tooth numbering", ("fdi", "universal", "palmer"))
    theme: str = _setting("system", "Theme", ("system", "light", "dark"))
    last_username: str = _setting("", "Last username")
    intake_watch_dir: str = _setting("", "Watch this folder for scanner exports (empty: none)")
    # What the lab's barcode scanners send around a code (empty: the code, then Enter). A
    # prefix also lets a scan through while the cursor is in a text field.
    scanner_prefix: str = _setting("", "Barcode scanner prefix")
    scanner_suffix: str = _setting("", "Barcode scanner suffix")
    ticket_size: str = _setting("a5", "Work ticket paper", tuple(TICKET_SIZES))
    label_size: str = _setting("62x29mm", "Tray label size", tuple(LABEL_SIZES))
    print_ticket_on_accept: bool = _setting(False, "Print the work ticket when accepting a case")

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        """The saved settings; the defaults for anything missing or unreadable."""
        path = path or settings_path()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            log.warning("settings file %s unreadable (%s); using defaults", path, exc)
            return cls()
        if not isinstance(raw, dict):
            return cls()
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in raw:
                continue
            value = raw[f.name]
            if _valid(f.type, value, f.metadata.get("choices", ())):
                values[f.name] = value
            else:
                log.warning("setting %s=%r is not valid; using the default", f.name, value)
        return cls(**values)

    def save(self, path: Path | None = None) -> None:
        """Write atomically (a crash leaves the old file or the new one, never half)."""
        path = path or settings_path()
        write_text_atomically(path, json.dumps(asdict(self), indent=2, sort_keys=True))

    def resolved_cache_dir(self) -> Path:
        return Path(self.cache_dir).expanduser() if self.cache_dir else data_dir() / "cache"


_TYPES: dict[str, type] = {"str": str, "int": int, "bool": bool, "float": float}


def _valid(type_name: object, value: object, choices: tuple[str, ...]) -> bool:
    expected = _TYPES.get(str(type_name))
    if expected is None or type(value) is not expected:  # bool is not an int here
        return False
    if expected is int and isinstance(value, int) and value < 0:
        return False
    return not choices or value in choices


def describe() -> list[tuple[str, str, object]]:
    """(name, label, default) of every setting, in declaration order, for a settings dialog."""
    out: list[tuple[str, str, object]] = []
    for f in fields(Settings):
        default = f.default if f.default is not MISSING else None
        out.append((f.name, str(f.metadata["label"]), default))
    return out


def settings_path() -> Path:
    return config_dir() / SETTINGS_FILE
