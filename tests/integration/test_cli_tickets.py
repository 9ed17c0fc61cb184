"""``labdesk-cli tickets``: a PDF of tickets (or labels) in the order given, signed in on a real
portal with the password on stdin; an unknown number is named and nothing is written."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PortalApi
from tests.integration.test_tickets_pdf import _decode_pages

pytestmark = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed"
)


@pytest.fixture
def cli_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LABDESK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    return tmp_path


def _numbers(api: PortalApi, count: int) -> list[str]:
    cases = api.as_("lab_admin").get("/cases", params={"since": 0, "limit": 50}).json()["cases"]
    rush = [c["number"] for c in cases if c["rush"]][:1]
    return (rush + [c["number"] for c in cases if c["number"] not in rush])[:count]


def _run(monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> int:
    from labdesk.cli.main import main

    monkeypatch.setattr("sys.stdin", io.StringIO("demo\n"))
    return main(argv)


def test_tickets_in_the_order_given(
    qapp: Any, portal: Any, portal_api: PortalApi, cli_home: Path, monkeypatch: Any, capsys: Any
) -> None:
    numbers = list(reversed(_numbers(portal_api, 4)))
    out = cli_home / "out" / "tickets.pdf"
    sign_in = ["--server", portal.url, "--user", "lab_admin", "--password-stdin"]
    assert _run(monkeypatch, ["tickets", *numbers, "-o", str(out), *sign_in]) == 0
    assert _decode_pages(out) == [[n] for n in numbers]
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    lab = portal_api.as_("lab_admin").get("/me").json()["organization"]["name"]
    assert lab in text  # the lab name is the signed-in person's organization
    assert "tickets" in capsys.readouterr().out

    labels = cli_home / "labels.pdf"
    argv = ["tickets", *numbers[:2], "-o", str(labels), "--label", "62x29mm", *sign_in]
    assert _run(monkeypatch, argv) == 0
    assert _decode_pages(labels, dpi=300) == [[n] for n in numbers[:2]]


def test_an_unknown_number_is_named_and_nothing_is_written(
    qapp: Any, portal: Any, portal_api: PortalApi, cli_home: Path, monkeypatch: Any, capsys: Any
) -> None:
    known = _numbers(portal_api, 1)[0]
    out = cli_home / "tickets.pdf"
    argv = ["tickets", known, "LAB-NO-SUCH", "-o", str(out), "--server", portal.url,
            "--user", "lab_admin", "--password-stdin"]  # fmt: skip
    assert _run(monkeypatch, argv) != 0
    err = capsys.readouterr().err
    assert "LAB-NO-SUCH" in err
    assert known not in err
    assert not out.exists()
    assert not list(cli_home.glob(".tickets-*"))
