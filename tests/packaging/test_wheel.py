"""The wheel: ``pip install .`` (not editable) into a fresh virtual environment outside the
checkout gives working commands, with the Designer forms, the compiled resources and the
portal's migrations inside.

Slow (it builds the wheel and installs every dependency): marked ``packaging`` and run in its
own step of scripts/test.sh, not in the ordinary passes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.packaging, pytest.mark.slow, pytest.mark.timeout(1200)]


def run(cmd: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 900):
    return subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def clean_env(home: Path) -> dict[str, str]:
    """No PYTHONPATH (the checkout must not leak in), a fresh home for settings and cache."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local/share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_STATE_HOME=str(home / ".local/state"),
        QT_QPA_PLATFORM="offscreen",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    # pip's own download cache may be shared; everything else is this test's.
    env["PIP_CACHE_DIR"] = os.environ.get("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))
    return env


def entry_points() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return sorted({*project.get("scripts", {}), *project.get("gui-scripts", {})})


def test_wheel_installs_into_a_fresh_venv_and_starts(tmp_path: Path) -> None:
    assert not tmp_path.is_relative_to(ROOT)
    env = clean_env(tmp_path / "home")
    built = run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(tmp_path / "wheels"), "."],
        cwd=ROOT,
        env=env,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = (tmp_path / "wheels").glob("labdesk-*.whl")
    from labdesk import __version__

    assert wheel.name.startswith(f"labdesk-{__version__}-")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "labdesk/gui/forms/rc_resources.py" in names  # icons and style sheets
    assert "labdesk/gui/forms/ui_reject_dialog.py" in names  # Designer forms
    assert "labdesk/server/migrations/script.py.mako" in names
    assert any(n.startswith("labdesk/server/migrations/versions/0001") for n in names)
    assert not any(n.startswith(("tests/", "resources/")) for n in names)

    venv = tmp_path / "venv"
    made = run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path, env=env)
    assert made.returncode == 0, made.stderr
    installed = run(
        [str(venv / "bin/python"), "-m", "pip", "install", "-q", str(wheel)],
        cwd=tmp_path,
        env=env,
    )
    assert installed.returncode == 0, installed.stderr[-3000:]

    where = run([str(venv / "bin/python"), "-c", "import labdesk; print(labdesk.__file__)"],
                cwd=tmp_path, env=env)  # fmt: skip
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout

    for command in entry_points():
        helped = run([str(venv / "bin" / command), "--help"], cwd=tmp_path, env=env, timeout=60)
        assert helped.returncode == 0, (command, helped.stderr)
    version = run([str(venv / "bin/labdesk"), "--version"], cwd=tmp_path, env=env, timeout=60)
    assert version.stdout.strip() == f"LabDesk {__version__}"

    started = run(
        [str(venv / "bin/labdesk"), "--demo", "--quit-when-ready"],
        cwd=tmp_path,
        env=env,
        timeout=300,
    )
    assert started.returncode == 0, started.stderr[-3000:]
    assert "inbox populated:" in started.stdout
