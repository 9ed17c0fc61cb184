"""Intake against the real portal: an iTero export becomes one case with its jaws, teeth, due
date and history; a re-import says "already imported"; nothing is half-created."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from labdesk.api.client import PortalClient
from labdesk.api.errors import AlreadyImported, Forbidden, Invalid
from labdesk.api.schemas import IntakeHints
from labdesk.api.tokens import TokenStore
from labdesk.client import intake
from labdesk.intake import IntakeOrder, read_package
from tests import intake_fixtures as fx


@pytest.fixture
def signed_in(portal: Any) -> Iterator[Any]:
    clients: list[PortalClient] = []

    def as_(username: str) -> PortalClient:
        client = PortalClient(portal.url, TokenStore(), retries=1)
        client.login(username, "demo")
        clients.append(client)
        return client

    yield as_
    for client in clients:
        client.close()


def _export(tmp_path: Path, order: str | None = None) -> IntakeOrder:
    number = order or str(uuid.uuid4().int)[:9]
    folder = fx.write_itero(tmp_path / number, order=number, versions=("2.4", "5.0"))
    return read_package(fx.zip_folder(folder, tmp_path / f"{number}.zip"))


def _plan(client: PortalClient, order: IntakeOrder) -> intake.ImportPlan:
    found = intake.match_dentist(client, order)
    assert found.dentist is not None
    return intake.plan_import(order, client.catalog(), found.dentist.id)


def test_an_itero_zip_becomes_one_case_and_a_reimport_is_refused(
    signed_in: Any, tmp_path: Path
) -> None:
    reviewer = signed_in("reviewer")
    order = _export(tmp_path)
    found = intake.match_dentist(reviewer, order)
    assert found.matched_by == "license"
    assert found.dentist is not None
    assert found.dentist.username == "dentist1"
    plan = intake.plan_import(order, reviewer.catalog(), found.dentist.id)
    assert plan.blockers == []
    case = intake.create_case(reviewer, order, plan)

    assert case.status == "received"
    assert case.dentist_name == "Dr. Emma Lindqvist"
    assert case.clinic_name == "Riverside Family Dentistry"
    assert case.patient_name == "Testperson, Alma"
    assert case.due_date == fx.DUE
    assert [(i.catalog_code, i.teeth, i.pontics, i.shade) for i in case.items] == [
        ("ZR-BRIDGE", [15, 14, 13], [14], "A2"),
        ("ZR-CROWN", [36], [], "A3"),
    ]
    jaws = sorted((f.jaw.value if f.jaw else "", f.filename) for f in case.files)
    number = order.order_id
    assert jaws == [
        ("", f"iTero_Export_{number}_pre_u.stl"),
        ("lower", f"iTero_Export_{number}_l.stl"),
        ("upper", f"iTero_Export_{number}_u.stl"),
    ]
    (submitted,) = case.history
    assert submitted.note == f"imported from iTero order {number}"
    assert submitted.by == "reviewer"
    assert "Margin lines in the export for 36" in case.instructions

    again = _export(tmp_path / "again", order=number)
    with pytest.raises(AlreadyImported) as refused:
        intake.create_case(reviewer, again, _plan(reviewer, again))
    assert refused.value.case_number == case.number
    assert f"already imported as {case.number}" in str(refused.value)


def test_a_repeated_idempotency_key_answers_the_same_case(signed_in: Any, tmp_path: Path) -> None:
    admin = signed_in("lab_admin")
    order = _export(tmp_path)
    plan = _plan(admin, order)
    assert plan.request is not None
    request = plan.request.model_copy(update={"files": []})
    key = f"intake-{order.order_id}"
    first = admin.import_case(request, [], idempotency_key=key)
    second = admin.import_case(request, [], idempotency_key=key)  # the answer was lost: again
    assert second.id == first.id
    assert second.number == first.number


def test_a_bad_scan_creates_nothing(signed_in: Any, tmp_path: Path) -> None:
    reviewer = signed_in("reviewer")
    order = _export(tmp_path)
    plan = _plan(reviewer, order)
    assert plan.request is not None
    with pytest.raises(Invalid):
        reviewer.import_case(
            plan.request,
            [(name, b"not a scan at all") for _, name in plan.uploads],
            idempotency_key=str(uuid.uuid4()),
        )
    case = intake.create_case(reviewer, order, plan)  # nothing was half-created before
    assert len(case.files) == 3


def test_only_lab_admins_and_reviewers_import(signed_in: Any, tmp_path: Path) -> None:
    order = _export(tmp_path)
    for username in ("designer", "dentist1"):
        client = signed_in(username)
        with pytest.raises(Forbidden):
            client.match_intake_dentist(intake.hints_of(order))
        with pytest.raises(Forbidden):
            client.import_case(
                _plan(signed_in("reviewer"), order).request,  # type: ignore[arg-type]
                [],
                idempotency_key=str(uuid.uuid4()),
            )


def test_dentists_of_clinics_not_linked_to_the_lab_are_not_found(
    signed_in: Any, tmp_path: Path
) -> None:
    order = _export(tmp_path)
    other_lab = signed_in("lab2_admin")
    assert other_lab.match_intake_dentist(intake.hints_of(order)).dentist is None
    request = _plan(signed_in("reviewer"), order).request
    assert request is not None
    with pytest.raises(Invalid, match="linked"):
        other_lab.import_case(
            request.model_copy(update={"files": []}), [], idempotency_key=str(uuid.uuid4())
        )


def test_dentist_matched_by_name_and_ambiguous_names_are_candidates(
    signed_in: Any, portal_api: Any
) -> None:
    reviewer = signed_in("reviewer")
    by_name = reviewer.match_intake_dentist(IntakeHints(name="Haddad, Omar"))
    assert by_name.matched_by == "name"
    assert by_name.dentist is not None
    assert by_name.dentist.username == "dentist2"
    twin = f"Dr. Kim Twin{uuid.uuid4().hex[:6]}"
    for n, clinic in enumerate(("Riverside Family Dentistry", "Old Town Dental Care")):
        portal_api.make_user(
            f"twin{n}-{twin[-6:]}", "pw-twin-123", ["dentist"], clinic=clinic, display_name=twin
        )
    both = reviewer.match_intake_dentist(IntakeHints(name=twin))
    assert both.dentist is None
    assert len(both.candidates) == 2
    narrowed = reviewer.match_intake_dentist(
        IntakeHints(name=twin, clinic_name="Old Town Dental Care")
    )
    assert narrowed.dentist is not None
    assert narrowed.dentist.clinic_name == "Old Town Dental Care"
    nobody = reviewer.match_intake_dentist(IntakeHints(name="Dr. Nobody Known", license="X-1"))
    assert nobody.dentist is None
    assert nobody.candidates == []


def test_the_console_command_creates_the_case_and_then_says_already_imported(
    portal: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    from labdesk.cli.main import main

    number = str(uuid.uuid4().int)[:9]
    package = fx.zip_folder(
        fx.write_itero(tmp_path / "e", order=number, versions=("5.0",)), tmp_path / "e.zip"
    )
    argv = ["import", str(package), "--server", portal.url, "--user", "reviewer",
            "--password-stdin"]  # fmt: skip
    monkeypatch.setattr("sys.stdin", io.StringIO("demo\n"))
    assert main(argv) == 0
    created = capsys.readouterr().out
    assert f"{package}: created C-" in created
    case_number = created.rsplit("created ", 1)[1].strip()
    monkeypatch.setattr("sys.stdin", io.StringIO("demo\n"))
    assert main([*argv, "--json"]) == 1
    (result,) = json.loads(capsys.readouterr().out)
    assert result["status"] == "already_imported"
    assert result["case_number"] == case_number
