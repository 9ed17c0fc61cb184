"""The portal as a whole: start and stop in-process, restart on the same port and database,
the schema migrations, demo seeding and the ``labdesk-server`` command."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from labdesk.server import cli
from labdesk.server.db import Database
from labdesk.server.embedded import start_portal
from labdesk.server.models import Base


def test_restart_on_the_same_port_and_database_keeps_the_data(portal_factory: Any) -> None:
    from tests.conftest import PortalApi

    first = portal_factory(demo=True)
    from labdesk.server.demo import seed_demo

    assert seed_demo(first.settings, scans=False) is True
    api = PortalApi(first)
    case = api.new_case("dentist1")
    api.close()
    port, settings = first.port, first.settings
    first.stop()
    assert not first.running
    with start_portal(settings, port=port) as second:
        assert second.port == port
        assert second.url == f"http://127.0.0.1:{port}"
        again = PortalApi(second)
        assert again.get("reviewer", case["id"])["number"] == case["number"]
        assert seed_demo(settings, scans=False) is False  # already seeded: nothing changes
        again.close()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)


def test_the_migrations_match_the_models(fresh_portal: Any) -> None:
    db = Database(fresh_portal.settings.database_url)
    try:
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
            assert context.get_current_revision() == "0004"
    finally:
        db.dispose()


def test_health_and_openapi(fresh_portal: Any) -> None:
    health = httpx.get(f"{fresh_portal.url}/health").json()
    assert health["status"] == "ok"
    assert health["database"] in ("sqlite", "postgresql")
    paths = httpx.get(f"{fresh_portal.url}/openapi.json").json()["paths"]
    assert {"/api/v1/cases", "/api/v1/cases/{case_id}/actions", "/api/v1/files/{file_id}",
            "/api/v1/auth/login", "/api/v1/people", "/api/v1/audit"} <= set(paths)  # fmt: skip


def test_cors_is_off_by_default(fresh_portal: Any) -> None:
    response = httpx.options(
        f"{fresh_portal.url}/api/v1/cases",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in response.headers


def test_requests_over_the_size_limit_are_413(portal_factory: Any) -> None:
    running = portal_factory(max_upload_bytes=1000, max_request_bytes=2000)
    response = httpx.post(
        f"{running.url}/api/v1/auth/login",
        content=b'{"username": "' + b"x" * 5000 + b'", "password": "y"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"

    def chunks() -> Any:  # no Content-Length: counted as it arrives
        for _ in range(10):
            yield b"x" * 500

    streamed = httpx.post(f"{running.url}/api/v1/auth/login", content=chunks())
    assert streamed.status_code == 413


def test_cli_create_user_then_sign_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, portal_db: str
) -> None:
    if portal_db != "sqlite":
        pytest.skip("the command is the same on every database")
    data = tmp_path / "data"
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-password\n"))
    args = ["create-user", "--data-dir", str(data), "--username", "ines", "--role", "designer",
            "--role", "ceramist", "--lab", "Ines Lab", "--password-stdin"]  # fmt: skip
    assert cli.main(args) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert cli.main([*args[:5], "--username", "x", "--role", "dentist", "--clinic", "C",
                     "--password-stdin"]) == 2  # fmt: skip
    settings = cli.settings_from(cli.build_parser().parse_args(["--data-dir", str(data)]))
    assert settings.database_url == f"sqlite:///{data.as_posix()}/portal.db"
    with start_portal(settings) as running:
        login = httpx.post(
            f"{running.url}/api/v1/auth/login",
            json={"username": "ines", "password": "a-long-password"},
        )
        assert login.status_code == 200
        assert login.json()["user"]["roles"] == ["ceramist", "designer"]
        assert login.json()["user"]["organization"]["name"] == "Ines Lab"


def test_the_database_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABDESK_DB_URL", "postgresql+psycopg://u@h/db")
    args = cli.build_parser().parse_args([])
    assert cli.settings_from(args).database_url == "postgresql+psycopg://u@h/db"
    assert args.host == "127.0.0.1"
    assert args.port == 8765
    args = cli.build_parser().parse_args(["--db", "sqlite:///x.db"])
    assert cli.settings_from(args).database_url == "sqlite:///x.db"


def test_demo_seeding_is_quick_and_deterministic(tmp_path: Path, portal_db: str) -> None:
    if portal_db != "sqlite":
        pytest.skip("timing on the default database")
    from labdesk.server.demo import seed_demo
    from labdesk.server.settings import ServerSettings

    numbers = []
    for n in range(2):
        settings = ServerSettings(data_dir=tmp_path / f"d{n}")
        start = time.perf_counter()
        assert seed_demo(settings, scans=n == 0) is True
        assert time.perf_counter() - start < 15
        db = Database(settings.database_url)
        with db.read_session() as session:
            from sqlalchemy import select

            from labdesk.server import models

            rows = session.execute(
                select(models.Case.patient_name, models.Case.status).order_by(models.Case.number)
            ).all()
            numbers.append([tuple(r) for r in rows])
        db.dispose()
    assert numbers[0] == numbers[1]
    assert len(numbers[0]) >= 320
