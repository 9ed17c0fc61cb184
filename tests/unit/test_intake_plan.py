"""What the client core sends for an order, and what stops it (no portal needed)."""

from __future__ import annotations

from pathlib import Path

from labdesk.api.schemas import CatalogItem, Jaw
from labdesk.client.intake import plan_import
from labdesk.domain.restorations import RestorationKind as K
from labdesk.intake import FileRole, read_package
from labdesk.mesh.scan import Scan
from labdesk.mesh.synthetic import generate_arch, write_binary_stl
from tests import intake_fixtures as fx

CATALOG = [
    CatalogItem(code="EMAX-CROWN", name="e.max crown", kind=K.CROWN, turnaround_days=6),
    CatalogItem(code="ZR-CROWN", name="Zirconia crown", kind=K.CROWN, turnaround_days=5),
    CatalogItem(code="ZR-BRIDGE", name="Zirconia bridge", kind=K.BRIDGE, turnaround_days=7),
]


def test_a_clean_itero_order_maps_to_catalog_items_and_jaws(tmp_path: Path) -> None:
    order = read_package(fx.write_itero(tmp_path / "e"))
    plan = plan_import(order, CATALOG, dentist_id=7)
    assert plan.blockers == []
    assert plan.request is not None
    assert [(i.catalog_code, i.teeth, i.pontics) for i in plan.request.case.items] == [
        ("ZR-BRIDGE", [15, 14, 13], [14]),
        ("ZR-CROWN", [36], []),
    ]
    assert [(f.jaw, f.filename) for f in plan.request.files] == [
        (Jaw.UPPER, f"iTero_Export_#{fx.ORDER}_u.stl"),
        (Jaw.LOWER, f"iTero_Export_#{fx.ORDER}_l.stl"),
        (None, f"iTero_Export_#{fx.ORDER}_pre_u.stl"),
    ]
    assert plan.request.source_label == "iTero"
    assert plan.request.case.due_date == fx.DUE


def test_an_unknown_dentist_and_an_unconfirmed_jaw_stop_the_import(tmp_path: Path) -> None:
    order = read_package(fx.write_plain(tmp_path / "plain"))
    plan = plan_import(order, CATALOG, dentist_id=None)
    assert not plan.ready
    text = "\n".join(plan.blockers)
    assert "pick the dentist" in text
    assert "scan3.stl: say which jaw" in text
    assert "patient's name is missing" in text
    assert "no restoration" in text
    unknown = next(f for f in order.files if f.role is FileRole.UNKNOWN)
    unknown.role = FileRole.LOWER  # the person says which jaw it is
    assert "scan3.stl: say which jaw" not in "\n".join(plan_import(order, CATALOG, 1).blockers)


def test_a_scan_check_warning_stops_the_import_unless_accepted(tmp_path: Path) -> None:
    folder = fx.write_itero(tmp_path / "e", versions=("5.0",))
    arch = generate_arch("lower", triangles=1_000, seed=3)
    in_metres = Scan(vertices=arch.vertices / 1000.0, faces=arch.faces)
    write_binary_stl(folder / f"iTero_Export_#{fx.ORDER}_l.stl", in_metres)
    order = read_package(folder)
    assert order.errors == []
    assert any("metres" in p.message for p in order.problems)
    assert not plan_import(order, CATALOG, 7).ready
    assert plan_import(order, CATALOG, 7, accept_scan_warnings=True).ready


def test_a_restoration_the_catalog_lacks_is_named(tmp_path: Path) -> None:
    order = read_package(fx.write_exocad(tmp_path / "exo"), check_scans=False)
    plan = plan_import(order, CATALOG, 7)
    assert plan.request is None
    assert plan.blockers == ["Veneer on 21: no item of the lab's catalog fits; choose one"]
    assert "Crown Lithium disilicate on 11 → e.max crown" in plan.notes
