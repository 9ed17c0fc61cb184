"""Settings are declared once, saved atomically, and a bad file never stops LabDesk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from labdesk import config
from labdesk.config import Settings


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LABDESK_HOME", str(tmp_path))
    return tmp_path


def test_defaults_and_labels() -> None:
    settings = Settings()
    assert settings.sync_interval_s == 30
    assert settings.cache_limit_mb == 2048
    assert settings.tooth_notation == "fdi"
    assert settings.theme == "system"
    names = [name for name, _label, _default in config.describe()]
    assert names[:4] == ["server_url", "sync_interval_s", "cache_dir", "cache_limit_mb"]
    assert all(label for _name, label, _default in config.describe())


def test_paths_follow_labdesk_home(home: Path) -> None:
    assert config.config_dir() == home / "config"
    assert config.data_dir() == home / "data"
    assert config.log_dir() == home / "logs"
    assert Settings().resolved_cache_dir() == home / "data" / "cache"
    assert Settings(cache_dir=str(home / "elsewhere")).resolved_cache_dir() == home / "elsewhere"


def test_round_trip(home: Path) -> None:
    settings = Settings(server_url="https://portal.lab", sync_interval_s=60, theme="dark")
    settings.last_username = "reviewer"
    settings.save()
    assert config.settings_path().is_file()
    assert Settings.load() == settings
    assert not list(config.config_dir().glob(".settings-*"))  # no temp file left behind


def test_missing_file_gives_defaults(home: Path) -> None:
    assert Settings.load() == Settings()


def test_bad_values_fall_back_to_defaults(home: Path) -> None:
    path = config.settings_path()
    path.parent.mkdir(parents=True)
    path.write_text(
        json.dumps(
            {
                "server_url": "https://ok.lab",
                "sync_interval_s": "often",
                "cache_limit_mb": -5,
                "theme": "neon",
                "tooth_notation": "palmer",
                "rush": True,
                "unknown": 1,
            }
        )
    )
    loaded = Settings.load()
    assert loaded.server_url == "https://ok.lab"
    assert loaded.sync_interval_s == 30
    assert loaded.cache_limit_mb == 2048
    assert loaded.theme == "system"
    assert loaded.tooth_notation == "palmer"


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", ""])
def test_unreadable_file_gives_defaults(home: Path, text: str) -> None:
    path = config.settings_path()
    path.parent.mkdir(parents=True)
    path.write_text(text)
    assert Settings.load() == Settings()
