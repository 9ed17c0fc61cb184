"""Each scanner format, written by tests/intake_fixtures.py, reads into the expected order."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from labdesk.domain import teeth
from labdesk.intake import FileRole, IntakeOrder, Severity, SourceFormat, read_package
from labdesk.intake.xmltext import ManifestError, parse_xml
from tests import intake_fixtures as fx

# Universal (ADA) → FDI, written out by hand (not derived from labdesk.domain.teeth).
UNIVERSAL_TO_FDI = {
    **dict(zip(map(str, range(1, 17)), [18, 17, 16, 15, 14, 13, 12, 11,
                                        21, 22, 23, 24, 25, 26, 27, 28], strict=True)),
    **dict(zip(map(str, range(17, 33)), [38, 37, 36, 35, 34, 33, 32, 31,
                                         41, 42, 43, 44, 45, 46, 47, 48], strict=True)),
    **dict(zip("ABCDEFGHIJ", [55, 54, 53, 52, 51, 61, 62, 63, 64, 65], strict=True)),
    **dict(zip("KLMNOPQRST", [75, 74, 73, 72, 71, 81, 82, 83, 84, 85], strict=True)),
}  # fmt: skip


def _roles(order: IntakeOrder) -> dict[str, FileRole]:
    return {f.path: f.role for f in order.files}


def test_every_permanent_and_primary_tooth_maps_universal_to_fdi_through_the_domain() -> None:
    assert len(UNIVERSAL_TO_FDI) == 52
    assert set(UNIVERSAL_TO_FDI.values()) == set(teeth.ALL_TEETH)
    for label, fdi in UNIVERSAL_TO_FDI.items():
        assert teeth.parse(label, teeth.Notation.UNIVERSAL) == fdi, label


def test_an_itero_manifest_with_every_tooth_gives_fdi_numbers(tmp_path: Path) -> None:
    folder = fx.write_itero(tmp_path / "export", versions=("5.0",))
    manifest = folder / f"iTero_Export_#{fx.ORDER}_v50.xml"
    rows = "".join(
        f"<Tooth><AdaId>{label}</AdaId><RestorationType>1</RestorationType>"
        "<ToothMaterial>1</ToothMaterial></Tooth>"
        for label in UNIVERSAL_TO_FDI
    )
    text = manifest.read_text(encoding="utf-8-sig")
    start, end = text.index("<Teeth>") + len("<Teeth>"), text.index("</Teeth>")
    manifest.write_text(text[:start] + rows + text[end:], encoding="utf-8")
    order = read_package(folder, check_scans=False)
    assert order.errors == []
    (item,) = order.items
    assert item.teeth == list(UNIVERSAL_TO_FDI.values())


@pytest.mark.parametrize("as_zip", [False, True], ids=["folder", "zip"])
def test_itero_export_reads_the_newest_manifest_into_one_order(
    tmp_path: Path, as_zip: bool
) -> None:
    folder = fx.write_itero(tmp_path / "export")
    source = fx.zip_folder(folder, tmp_path / "export.zip") if as_zip else folder
    order = read_package(source)
    assert order.format is SourceFormat.ITERO
    assert order.manifest == f"iTero_Export_#{fx.ORDER}_v50.xml"
    assert order.problems == []
    assert order.order_id == fx.ORDER
    assert order.patient.name == "Testperson, Alma"
    assert order.patient.patient_id == "P-0042"
    assert order.patient.chart_number == ""  # empty element
    assert (order.dentist.name, order.dentist.license, order.dentist.dentist_id) == (
        "Dr. Emma Lindqvist",
        "SE-40117",
        "88231",
    )
    assert order.due_date == fx.DUE
    assert order.exported_at == datetime(
        2026, 11, 27, 14, 5, 9, tzinfo=timezone(timedelta(hours=1))
    )
    assert order.shade_system == "VITA classical"
    bridge, crown = order.items
    assert (bridge.restoration, bridge.material, bridge.teeth, bridge.pontics) == (
        "Bridge",
        "Zirconia",
        [15, 14, 13],
        [14],
    )
    assert bridge.shades == {"body": "A2"}  # "Null" incisal shade is no shade
    assert (crown.restoration, crown.teeth, crown.shades) == ("Crown", [36], {"body": "A3"})
    assert "margin Chamfer" in crown.notes
    assert _roles(order) == {
        f"iTero_Export_#{fx.ORDER}_u.stl": FileRole.UPPER,
        f"iTero_Export_#{fx.ORDER}_l.stl": FileRole.LOWER,
        f"iTero_Export_#{fx.ORDER}_pre_u.stl": FileRole.PREOP_UPPER,
        f"iTero_Export_#{fx.ORDER}_margin_19.pts": FileRole.MARGIN,
    }
    margin = next(f for f in order.files if f.role is FileRole.MARGIN)
    assert margin.tooth == 36
    assert margin.check is None
    for scan in order.scans():
        assert scan.check is not None
        assert scan.check.error == ""
        assert scan.check.triangles > 0


def test_itero_version_1_manifest_alone_says_case_id(tmp_path: Path) -> None:
    order = read_package(fx.write_itero(tmp_path / "old", versions=("1.0",)), check_scans=False)
    assert order.order_id == fx.ORDER
    assert order.problems == []


def test_exocad_project_with_its_jaws_bite_and_preop(tmp_path: Path) -> None:
    order = read_package(fx.write_exocad(tmp_path / "exo"))
    assert order.format is SourceFormat.EXOCAD
    assert order.problems == []
    assert order.order_id == "5f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b"
    assert order.patient.name == "Nilsson, Bo"
    assert order.patient.patient_id == "HV-1001"
    assert order.dentist.name == "Dr. Isabel Costa"
    assert (order.clinic.name, order.clinic.clinic_id) == ("Harbour View Dental", "HV-7")
    assert order.exported_at == datetime(2026, 11, 26, 9, 30)
    assert "Antagonist: Scan" in order.notes
    crown, veneer = order.items
    assert (crown.restoration, crown.teeth, crown.material) == ("Crown", [11], "Lithium disilicate")
    assert (veneer.restoration, veneer.teeth, veneer.material) == ("Veneer", [21], "")
    assert crown.shades == {"body": "A1"}
    assert _roles(order) == {
        "Novak_Case-UpperJaw.stl": FileRole.UPPER,
        "Novak_Case-LowerJaw.stl": FileRole.LOWER,
        "Novak_Case-TotalJaw0.stl": FileRole.BITE,
        "Novak_Case-upperjaw-situ.stl": FileRole.PREOP_UPPER,
    }


def test_medit_web_export_names(tmp_path: Path) -> None:
    order = read_package(fx.write_medit(tmp_path / "medit"))
    assert order.format is SourceFormat.MEDIT
    assert order.errors == []
    assert _roles(order) == {
        "Maxilla_Base.ply": FileRole.UPPER,
        "Mandible_Base.ply": FileRole.LOWER,
        "Maxilla_PreOP.ply": FileRole.PREOP_UPPER,
        "Case_MarginLine_26.xyz": FileRole.MARGIN,
    }
    assert next(f for f in order.files if f.role is FileRole.MARGIN).tooth == 26
    assert [p.severity for p in order.problems] == [Severity.WARNING]  # no Rx: enter it


def test_threeshape_order_in_utf16_with_namespace(tmp_path: Path) -> None:
    order = read_package(fx.write_threeshape(tmp_path / "ts"))
    assert order.format is SourceFormat.THREESHAPE
    assert order.problems == []
    assert order.order_id == "TS-2026-0815"
    assert order.patient.name == "Example, Carl"
    assert (order.dentist.name, order.dentist.license) == ("Dr. Lukas Weber", "DE-77120")
    assert order.clinic.name == "Old Town Dental Care"
    assert order.due_date == fx.DUE
    (item,) = order.items
    assert (item.restoration, item.teeth, item.material, item.shades) == (
        "Crown",
        [46],
        "Zirconia",
        {"body": "A3"},
    )
    assert _roles(order) == {
        "Scans/TS-2026-0815_1.stl": FileRole.UPPER,
        "TS-2026-0815_2.stl": FileRole.LOWER,
    }


def test_threeshape_dcm_scan_gets_the_loaders_message(tmp_path: Path) -> None:
    folder = fx.write_threeshape(tmp_path / "ts")
    (folder / "TS-2026-0815_2.stl").unlink()
    (folder / "TS-2026-0815_2.dcm").write_bytes(b'<?xml version="1.0"?><HPS></HPS>')
    xml = fx.THREESHAPE_ORDER.replace("TS-2026-0815_2.stl", "TS-2026-0815_2.dcm")
    (folder / "TS-2026-0815.xml").write_bytes(xml.encode("utf-16"))
    order = read_package(folder)
    (problem,) = order.errors
    assert problem.place == "TS-2026-0815_2.dcm"
    assert "3Shape DCM" in problem.message
    assert "STL" in problem.message
    assert [f.path for f in order.failed_scans()] == ["TS-2026-0815_2.dcm"]


def test_plain_folder_guesses_jaws_from_names(tmp_path: Path) -> None:
    order = read_package(fx.write_plain(tmp_path / "plain"))
    assert order.format is SourceFormat.PLAIN
    assert _roles(order) == {
        "upper.stl": FileRole.UPPER,
        "mandible scan.ply": FileRole.LOWER,
        "bite.stl": FileRole.BITE,
        "scan3.stl": FileRole.UNKNOWN,
    }
    assert order.errors == []
    assert any(p.place == "scan3.stl" for p in order.problems)


def test_dry_run_json_shape(tmp_path: Path) -> None:
    data = read_package(fx.write_itero(tmp_path / "e"), check_scans=False).to_json()
    assert data["format"] == "itero"
    assert data["due_date"] == "2026-12-18"
    assert data["items"][0]["teeth"] == [15, 14, 13]
    assert {f["jaw"] for f in data["files"]} == {"upper", "lower", "preop_upper", "margin"}
    assert data["problems"] == []


def test_xml_entities_are_refused() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><x>&b;</x>'
    with pytest.raises(ManifestError, match="entities"):
        parse_xml(bomb, "m.xml")
    external = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    )
    with pytest.raises(ManifestError, match="entities"):
        parse_xml(external, "m.xml")
