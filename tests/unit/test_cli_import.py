"""``labdesk-cli import --dry-run``: no portal, one JSON object per package, honest exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from labdesk.cli.main import main
from tests import intake_fixtures as fx


def test_dry_run_json_prints_one_object_per_package(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    itero = fx.zip_folder(fx.write_itero(tmp_path / "i"), tmp_path / "itero.zip")
    shape = fx.write_threeshape(tmp_path / "ts")
    code = main(["import", "--dry-run", "--json", str(itero), str(shape)])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [o["format"] for o in out] == ["itero", "3shape"]
    first = out[0]
    assert first["order_id"] == fx.ORDER
    assert first["patient"]["name"] == "Testperson, Alma"
    assert first["dentist"] == {"name": "Dr. Emma Lindqvist", "license": "SE-40117", "id": "88231"}
    assert first["due_date"] == "2026-12-18"
    assert [i["teeth"] for i in first["items"]] == [[15, 14, 13], [36]]
    assert {(f["jaw"], f["path"]) for f in first["files"]} == {
        ("upper", f"iTero_Export_#{fx.ORDER}_u.stl"),
        ("lower", f"iTero_Export_#{fx.ORDER}_l.stl"),
        ("preop_upper", f"iTero_Export_#{fx.ORDER}_pre_u.stl"),
        ("margin", f"iTero_Export_#{fx.ORDER}_margin_19.pts"),
    }
    assert first["problems"] == []


def test_dry_run_exits_non_zero_when_a_package_cannot_be_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = fx.write_exocad(tmp_path / "exo")
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 cut short")
    code = main(["import", "--dry-run", "--json", str(good), str(broken)])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    assert out[0]["format"] == "exocad"
    assert out[1]["format"] is None
    assert "damaged zip" in out[1]["problems"][0]["message"]


def test_dry_run_text_names_each_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = f"iTero_Export_#{fx.ORDER}_l.stl"
    folder = fx.write_itero(tmp_path / "i", missing=(missing,))
    assert main(["import", "--dry-run", str(folder)]) == 1
    out = capsys.readouterr().out
    assert f"iTero order {fx.ORDER}" in out
    assert f"error: iTero_Export_#{fx.ORDER}_v50.xml: ExportedObjects/Object[2]" in out


def test_help_documents_import_and_the_cli_imports_no_qt(tmp_path: Path) -> None:
    folder = fx.write_plain(tmp_path / "plain")
    script = (
        "import sys; from labdesk.cli.main import main; "
        f"code = main(['import', '--dry-run', '--json', {str(folder)!r}]); "
        "assert not [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))]; "
        "sys.exit(code)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["format"] == "plain"
    helped = subprocess.run(
        [sys.executable, "-m", "labdesk.cli.main", "--help"], capture_output=True, text=True
    )
    assert helped.returncode == 0
    assert "import" in helped.stdout
