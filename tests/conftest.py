"""Shared test setup. Qt runs offscreen unless a test run chose a platform (GL tests: xcb)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Never touch the real user's keyring, settings or cache from a test.
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")


# --- the lab portal (labdesk.server): a real server on 127.0.0.1 -----------------------------
# Parametrised over the database: "sqlite" always, "postgres" (marker ``postgres``) when
# LABDESK_TEST_PG_URL is set — skipped otherwise, failed when LABDESK_REQUIRE_PG=1.

import gc
import itertools
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any, ClassVar

import pytest

PG_URL_ENV = "LABDESK_TEST_PG_URL"
_fresh_schemas = itertools.count(1)


def _pg_url() -> str:
    url = os.environ.get(PG_URL_ENV, "").strip()
    if not url:
        if os.environ.get("LABDESK_REQUIRE_PG") == "1":
            pytest.fail(f"LABDESK_REQUIRE_PG=1 but {PG_URL_ENV} is not set")
        pytest.skip(f"{PG_URL_ENV} is not set")
    return url


def _reset_pg_schema(url: str, schema: str = "public") -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    finally:
        engine.dispose()


@pytest.fixture(
    scope="session",
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ],
)
def portal_db(request: pytest.FixtureRequest) -> str:
    """The database kind the portal tests run on."""
    kind: str = request.param
    if kind == "postgres":
        _pg_url()
    return kind


@dataclass
class SmtpSink:
    """Messages received by the loopback SMTP server."""

    port: int
    messages: list[Message] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def to(self, address: str) -> list[Message]:
        with self.lock:
            return [msg for msg in self.messages if address in str(msg["To"])]


@pytest.fixture(autouse=True)
def _qt_garbage_dies_on_the_gui_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    """In a test with Qt (``qtbot``), no automatic garbage collection: the portal these tests run
    in-process has worker threads, and a collection that starts on one of them and frees a
    QObject deadlocks PySide (seen in CI's PostgreSQL pass: ``~QObject`` waiting for the GIL on
    an AnyIO worker thread inside ``gc_collect_main``, every other thread waiting on it). The
    garbage is collected here instead, on the GUI thread, when the test ends."""
    if "qtbot" not in request.fixturenames:
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        gc.enable()


@pytest.fixture(scope="session")
def smtp_sink() -> Iterator[SmtpSink]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives."""
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = SmtpSink(port)

    class Handler:
        async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
            with sink.lock:
                sink.messages.append(message_from_bytes(envelope.original_content))
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


def _settings(db: str, data_dir: Path, *, schema: str = "public", **kw: Any) -> Any:
    from labdesk.server.settings import ServerSettings

    url = None
    if db == "postgres":
        url = _pg_url()
        _reset_pg_schema(url, schema)
        if schema != "public":
            sep = "&" if "?" in url else "?"
            url = f"{url}{sep}options=-csearch_path%3D{schema}"
    return ServerSettings(data_dir=data_dir, db_url=url, **kw)


@pytest.fixture(scope="session")
def portal_settings(
    portal_db: str, tmp_path_factory: pytest.TempPathFactory, smtp_sink: SmtpSink
) -> Any:
    """Settings of the session's portal: demo mode, a clean database, the loopback SMTP."""
    return _settings(
        portal_db,
        tmp_path_factory.mktemp(f"portal-{portal_db}"),
        demo=True,
        smtp=f"127.0.0.1:{smtp_sink.port}",
        notify_interval=0.2,
    )


# Mutation runs (scripts/mutation.py) set this: the portal hashes passwords with argon2 at its
# lowest cost, so that the many sign-ins of each mutant's session do not take ~0.5 s each on
# the shared machine. What the tests check does not depend on the cost; a normal test run
# keeps the production parameters.
FAST_PASSWORDS_ENV = "LABDESK_TEST_FAST_PASSWORDS"
if os.environ.get(FAST_PASSWORDS_ENV) == "1":
    from argon2 import PasswordHasher

    import labdesk.server.auth as _auth

    _auth._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    _auth._DUMMY_HASH = _auth._hasher.hash("not a password of anyone")

# A folder holding an SQLite portal already seeded with the demo (``scripts/mutation.py`` builds
# one with the unmutated code, so each mutant's session copies it instead of seeding again).
PORTAL_TEMPLATE_ENV = "LABDESK_TEST_PORTAL_TEMPLATE"


def _copy_seeded_template(portal_db: str, data_dir: Path) -> None:
    import shutil

    template = Path(os.environ.get(PORTAL_TEMPLATE_ENV, "") or "/nonexistent")
    if portal_db == "sqlite" and (template / "portal.db").is_file():
        shutil.copytree(template, data_dir, dirs_exist_ok=True)


@pytest.fixture(scope="session")
def portal(portal_db: str, portal_settings: Any) -> Iterator[Any]:
    """The session's running portal (``RunningPortal``), seeded with the demo data once."""
    from labdesk.server.demo import seed_demo
    from labdesk.server.embedded import start_portal

    _copy_seeded_template(portal_db, portal_settings.data_dir)
    seed_demo(portal_settings)  # nothing to do when the template was copied
    with start_portal(portal_settings) as running:
        yield running


@pytest.fixture
def fresh_portal(portal_db: str, tmp_path: Path) -> Iterator[Any]:
    """A portal of its own (empty database, no demo data) for tests that need one."""
    from labdesk.server.embedded import start_portal

    schema = f"fresh_{next(_fresh_schemas)}"
    settings = _settings(portal_db, tmp_path / "portal", schema=schema, notify_interval=0.2)
    with start_portal(settings) as running:
        yield running
    if portal_db == "postgres":
        from sqlalchemy import create_engine, text

        engine = create_engine(_pg_url())
        try:
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        finally:
            engine.dispose()


@pytest.fixture
def portal_factory(portal_db: str, tmp_path: Path) -> Iterator[Any]:
    """Start extra portals with chosen settings: ``portal_factory(max_upload_bytes=...)``."""
    from labdesk.server.embedded import start_portal

    started: list[Any] = []

    def start(**overrides: Any) -> Any:
        n = next(_fresh_schemas)
        settings = _settings(portal_db, tmp_path / f"portal{n}", schema=f"fresh_{n}", **overrides)
        running = start_portal(settings)
        started.append(running)
        return running

    yield start
    for running in started:
        running.stop()


class PortalApi:
    """Talk to a running portal as the demo users (signed in once each, then reused)."""

    STEPS: ClassVar[dict[str, tuple[str, str, dict[str, Any]]]] = {
        # status reached: (user, action, fields)
        "rejected": ("reviewer", "reject", {"reason_code": "unclear_margin"}),
        "design": ("reviewer", "accept", {}),
        "production": ("designer", "start_production", {}),
        "finishing": ("production_tech", "start_finishing", {}),
        "qc": ("ceramist", "send_to_qc", {}),
        "signed_off": ("qc_manager", "qc_pass", {"checklist": "all"}),
        "shipped": ("shipping", "ship", {"carrier": "UPS", "tracking_number": "1Z999"}),
        "delivered": ("dentist1", "deliver", {}),
    }
    ORDER = ("design", "production", "finishing", "qc", "signed_off", "shipped", "delivered")

    def __init__(self, running: Any) -> None:
        import httpx

        self.running = running
        self.url = running.url
        self.base = f"{running.url}/api/v1"
        self._clients: dict[str, httpx.Client] = {}
        self._keys = itertools.count(1)

    def close(self) -> None:
        for client in self._clients.values():
            client.close()

    def anonymous(self) -> Any:
        import httpx

        return httpx.Client(base_url=self.base, timeout=30)

    def as_(self, username: str, password: str = "demo") -> Any:
        """A client signed in as ``username``."""
        import httpx

        if username not in self._clients:
            client = httpx.Client(base_url=self.base, timeout=30)
            response = client.post("/auth/login", json={"username": username, "password": password})
            assert response.status_code == 200, response.text
            client.headers["Authorization"] = f"Bearer {response.json()['token']}"
            self._clients[username] = client
        return self._clients[username]

    def new_case(
        self, dentist: str = "dentist1", items: list[dict[str, Any]] | None = None, **fields: Any
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "patient_name": "Test Patient",
            "items": items or [{"catalog_code": "ZR-CROWN", "shade": "A2", "teeth": [11]}],
            **fields,
        }
        response = self.as_(dentist).post("/cases", json=body)
        assert response.status_code == 201, response.text
        case: dict[str, Any] = response.json()
        return case

    def get(self, username: str, case_id: int) -> dict[str, Any]:
        response = self.as_(username).get(f"/cases/{case_id}")
        assert response.status_code == 200, response.text
        case: dict[str, Any] = response.json()
        return case

    def act(
        self,
        username: str,
        case_id: int,
        action: str,
        *,
        version: int | None = None,
        key: str | None = None,
        **fields: Any,
    ) -> Any:
        """POST an action (If-Match: the case's current version unless given)."""
        from labdesk.domain.qc import CHECKLIST

        if version is None:
            version = self.get(username, case_id)["version"]
        if fields.get("checklist") == "all":
            fields["checklist"] = [{"point": p, "passed": True} for p, _ in CHECKLIST]
        return self.as_(username).post(
            f"/cases/{case_id}/actions",
            json={"action": action, **fields},
            headers={"If-Match": str(version), "Idempotency-Key": key or self.key()},
        )

    def key(self) -> str:
        import uuid

        return f"test-{next(self._keys)}-{uuid.uuid4()}"

    def advance(self, case_id: int, to: str) -> dict[str, Any]:
        """Walk a received case to ``to`` (one of ORDER, or rejected / on_hold)."""
        if to == "received":
            return self.get("lab_admin", case_id)
        if to == "rejected":
            steps = ["rejected"]
        elif to == "on_hold":
            steps = []
        else:
            steps = list(self.ORDER[: self.ORDER.index(to) + 1])
        case: dict[str, Any] = {}
        for step in steps:
            user, action, fields = self.STEPS[step]
            response = self.act(user, case_id, action, **dict(fields))
            assert response.status_code == 200, (step, response.text)
            case = response.json()
        if to == "on_hold":
            response = self.act("lab_admin", case_id, "hold", reason="Waiting for the shade")
            assert response.status_code == 200, response.text
            case = response.json()
        return case

    def make_user(
        self,
        username: str,
        password: str,
        roles: list[str],
        *,
        lab: str | None = None,
        clinic: str | None = None,
        is_demo: bool = False,
        **kw: Any,
    ) -> None:
        """Add a user straight to the portal's database (what ``create-user`` does)."""
        from sqlalchemy import select

        from labdesk.server import models
        from labdesk.server.auth import create_user

        db = self.running.app.state.portal.db
        with db.writing() as session:
            lab_row = clinic_row = None
            if lab:
                lab_row = session.execute(
                    select(models.Lab).where(models.Lab.name == lab)
                ).scalar_one()
            if clinic:
                clinic_row = session.execute(
                    select(models.Clinic).where(models.Clinic.name == clinic)
                ).scalar_one()
            create_user(
                session, username=username, password=password, roles=roles, lab=lab_row,
                clinic=clinic_row, is_demo=is_demo, **kw,
            )  # fmt: skip


@pytest.fixture(scope="session")
def portal_api(portal: Any) -> Iterator[PortalApi]:
    """:class:`PortalApi` on the session's demo portal."""
    api = PortalApi(portal)
    yield api
    api.close()
