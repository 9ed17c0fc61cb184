"""iTero exports (MyiTero download, iTero Lab Connector): manifests, Rx, teeth, scans.

An export holds one or more manifests ``iTero_Export_#<order>_v<NN>.xml``: the same order in
several format versions side by side. The newest version LabDesk understands is read and the
others are ignored (one order is one case). A manifest of a version never seen is read only
when nothing better is there, and then every element LabDesk skipped is named.

Teeth come as ``AdaId`` (Universal numbering) and are converted to FDI by
:mod:`labdesk.domain.teeth`, the one place that knows the tables.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from pathlib import PurePosixPath

from labdesk.domain import teeth
from labdesk.intake.model import (
    FileRole,
    IntakeFile,
    IntakeItem,
    IntakeOrder,
    Severity,
    SourceFormat,
)
from labdesk.intake.package import Package, PackageError
from labdesk.intake.xmltext import ManifestError, clean, parse_xml, text_of, us_date

MANIFEST = re.compile(r"^iTero_Export_#?(?P<order>[^_]*)_v(?P<version>\d+)\.xml$", re.IGNORECASE)
#: Manifest versions whose layout LabDesk knows (1.0 says CaseId where later ones say OrderID).
KNOWN_VERSIONS = ((1, 0), (2, 1), (2, 2), (2, 3), (2, 4), (5, 0))
_KNOWN_RX = frozenset(
    {
        "OrderID", "CaseId", "OrderCode", "Patient", "UniquePatientIdentifier", "ChartNumber",
        "Doctor", "DoctorLicense", "DoctorID", "LabName", "LabID", "DueDate", "ExportTime",
        "UtcOffset", "ScanRange", "ToothShadeSystem", "Notes", "Teeth", "ClinicName",
        "PracticeName",
    }
)  # fmt: skip
_KNOWN_TOP = frozenset({"RxInfo", "RxDefines", "ExportedObjects"})
_SHADES = (
    ("IncisalShade", "incisal"),
    ("MiddleShade", "body"),
    ("GingivalShade", "gingival"),
    ("DieShade", "die"),
)
_BRIDGE_WORDS = ("pontic", "bridge", "abutment")


def is_itero(package: Package) -> bool:
    return any(MANIFEST.match(PurePosixPath(n).name) for n in package.names)


def parse_itero(package: Package) -> IntakeOrder:
    order = IntakeOrder(SourceFormat.ITERO, str(package.source))
    candidates: list[tuple[tuple[int, int], str, ET.Element]] = []
    for name in sorted(n for n in package.names if MANIFEST.match(PurePosixPath(n).name)):
        try:
            root = parse_xml(package.read(name, limit=32 << 20), name)
        except (ManifestError, PackageError) as exc:
            order.problem(name, f"{exc}; this manifest was skipped")
            continue
        if root.tag != "iTeroExport":
            order.problem(name, f"not an iTero manifest (root <{root.tag}>); skipped")
            continue
        candidates.append((_version(root, name), name, root))
    if not candidates:
        order.problem(package.label, "no readable iTero manifest in the package")
        return order
    known = [c for c in candidates if c[0] in KNOWN_VERSIONS]
    chosen = max(known or candidates, key=lambda c: c[0])
    version, name, root = chosen
    for other_version, other_name, _ in candidates:
        if other_version not in KNOWN_VERSIONS and other_name != name:
            order.problem(
                other_name,
                f"manifest version {_label(other_version)} is not known to LabDesk; skipped, "
                f"read {PurePosixPath(name).name} (version {_label(version)}) instead",
                Severity.WARNING,
            )
    order.manifest = name
    if version not in KNOWN_VERSIONS:
        order.problem(
            name,
            f"manifest version {_label(version)} is not known to LabDesk: read what could be "
            "understood; check every detail against the scanner's Rx",
            Severity.WARNING,
        )
        _name_skipped(order, root, name)
    _read_manifest(order, package, root, name)
    return order


def _version(root: ET.Element, name: str) -> tuple[int, int]:
    text = clean(root.get("Version"))
    match = re.fullmatch(r"(\d+)(?:\.(\d+))?", text)
    if match:
        return int(match[1]), int(match[2] or 0)
    digits = MANIFEST.match(PurePosixPath(name).name)
    raw = digits["version"] if digits else "0"
    return (int(raw[0]), int(raw[1:] or 0)) if len(raw) > 1 else (int(raw), 0)


def _label(version: tuple[int, int]) -> str:
    return f"{version[0]}.{version[1]}"


def _name_skipped(order: IntakeOrder, root: ET.Element, name: str) -> None:
    rx = root.find("RxInfo")
    skipped = [f"<{c.tag}>" for c in root if c.tag not in _KNOWN_TOP]
    if rx is not None:
        skipped += [f"RxInfo/<{c.tag}>" for c in rx if c.tag not in _KNOWN_RX]
    if skipped:
        order.problem(
            name,
            "skipped what LabDesk does not know: " + ", ".join(dict.fromkeys(skipped)),
            Severity.WARNING,
        )


def _read_manifest(order: IntakeOrder, package: Package, root: ET.Element, name: str) -> None:
    rx = root.find("RxInfo")
    if rx is None:
        order.problem(name, "the manifest has no <RxInfo>: no order, patient or teeth")
        rx = ET.Element("RxInfo")
    from_name = MANIFEST.match(PurePosixPath(name).name)
    order.order_id = text_of(rx, "OrderID", "CaseId") or (from_name["order"] if from_name else "")
    if not order.order_id:
        order.problem(f"{name}: RxInfo/OrderID", "the order number is missing")
    order.patient.name = text_of(rx, "Patient")
    order.patient.patient_id = text_of(rx, "UniquePatientIdentifier")
    order.patient.chart_number = text_of(rx, "ChartNumber")
    if not order.patient.name:
        order.problem(f"{name}: RxInfo/Patient", "the patient's name is missing")
    order.dentist.name = text_of(rx, "Doctor")
    order.dentist.license = text_of(rx, "DoctorLicense")
    order.dentist.dentist_id = text_of(rx, "DoctorID")
    order.clinic.name = text_of(rx, "ClinicName", "PracticeName")
    order.notes = text_of(rx, "Notes")
    order.shade_system = text_of(rx, "ToothShadeSystem")
    due = text_of(rx, "DueDate")
    try:
        order.due_date = us_date(due)
    except ValueError:
        order.problem(f"{name}: RxInfo/DueDate", f"{due!r} is not a date (MM/DD/YYYY)")
    order.exported_at = _export_time(order, rx, name)
    defines = _defines(root.find("RxDefines"))
    order.items = _items(order, rx, defines, name)
    _files(order, package, root, name)


def _export_time(order: IntakeOrder, rx: ET.Element, name: str) -> datetime | None:
    text = text_of(rx, "ExportTime")
    if not text:
        return None
    try:
        moment = datetime.strptime(text, "%m/%d/%Y %H:%M:%S")
    except ValueError:
        order.problem(f"{name}: RxInfo/ExportTime", f"{text!r} is not a time", Severity.WARNING)
        return None
    offset = text_of(rx, "UtcOffset")
    match = re.fullmatch(r"([+-])?(\d{1,2}):?(\d{2})?", offset)
    if match:
        minutes = int(match[2]) * 60 + int(match[3] or 0)
        sign = -1 if match[1] == "-" else 1
        return moment.replace(tzinfo=timezone(timedelta(minutes=sign * minutes)))
    return moment


def _defines(defines: ET.Element | None) -> dict[str, dict[str, str]]:
    """``{"RestorationTypes": {"1": "Crown"}, "Materials": {...}, ...}`` from RxDefines."""
    tables: dict[str, dict[str, str]] = {}
    if defines is None:
        return tables
    for table in defines:
        entries: dict[str, str] = {}
        for entry in table:
            key = text_of(entry, "Id", "ID", "id")
            value = text_of(entry, "Name", "Description") or clean(entry.text)
            if key:
                entries[key] = value
        tables[table.tag] = entries
    return tables


def _lookup(
    order: IntakeOrder, defines: dict[str, dict[str, str]], table: str, raw: str, place: str
) -> str:
    if not raw or not raw.isdigit():
        return raw  # already a name (or missing)
    found = defines.get(table, {}).get(raw)
    if found is None:
        order.problem(place, f"id {raw} is not in RxDefines/{table}", Severity.WARNING)
        return f"{table} {raw}"
    return found


def _items(
    order: IntakeOrder, rx: ET.Element, defines: dict[str, dict[str, str]], name: str
) -> list[IntakeItem]:
    groups: dict[tuple[str, str, tuple[tuple[str, str], ...]], IntakeItem] = {}
    for n, tooth in enumerate(rx.findall("Teeth/Tooth"), start=1):
        place = f"{name}: RxInfo/Teeth/Tooth[{n}]"
        ada = text_of(tooth, "AdaId")
        try:
            fdi = teeth.parse(ada, teeth.Notation.UNIVERSAL)
        except ValueError:
            order.problem(f"{place}/AdaId", f"{ada!r} is not a tooth (Universal 1-32, A-T)")
            continue
        restoration = _lookup(
            order, defines, "RestorationTypes", text_of(tooth, "RestorationType"), place
        )
        material = _lookup(order, defines, "Materials", text_of(tooth, "ToothMaterial"), place)
        if not restoration:
            order.problem(f"{place}/RestorationType", f"tooth {fdi} has no restoration type")
            continue
        shades = {key: v for tag, key in _SHADES if (v := text_of(tooth, tag))}
        pontic = "pontic" in restoration.lower()
        bridge = any(w in restoration.lower() for w in _BRIDGE_WORDS)
        kind = "Bridge" if bridge else restoration
        key = (kind, material, tuple(sorted(shades.items())))
        item = groups.setdefault(key, IntakeItem(restoration=kind, teeth=[], material=material,
                                                 shades=shades))  # fmt: skip
        item.teeth.append(fdi)
        if pontic:
            item.pontics.append(fdi)
        design = [
            f"{label} {v}"
            for tag, label in (("MarginDesign", "margin"), ("PreparationDesign", "preparation"))
            if (v := text_of(tooth, tag))
        ]
        if design:
            note = f"{fdi}: " + ", ".join(design)
            item.notes = f"{item.notes}; {note}" if item.notes else note
    return list(groups.values())


def _files(order: IntakeOrder, package: Package, root: ET.Element, name: str) -> None:
    base = PurePosixPath(name).parent
    named: set[str] = set()
    for n, obj in enumerate(root.findall("ExportedObjects/Object"), start=1):
        place = f"{name}: ExportedObjects/Object[{n}]"
        file_name = text_of(obj, "FileName")
        if not file_name:
            order.problem(place, "an exported object without a file name", Severity.WARNING)
            continue
        path = (base / file_name).as_posix() if str(base) != "." else file_name
        named.add(path)
        role, tooth = _role(order, obj, place)
        if role is None:
            continue
        if path not in package.names:
            order.problem(place, f"the manifest names {file_name}, but it is not in the package")
            continue
        order.files.append(IntakeFile(path, role, tooth))
    for other in package.names:
        if other not in named and PurePosixPath(other).suffix.lower() in (".stl", ".ply", ".obj"):
            order.problem(
                other, "a scan the manifest does not name; it is not imported", Severity.WARNING
            )
    if not any(f.role in (FileRole.UPPER, FileRole.LOWER) for f in order.files):
        order.problem(name, "the export has no jaw scan (ExportedObjects names no upper or lower)")


def _role(order: IntakeOrder, obj: ET.Element, place: str) -> tuple[FileRole | None, int | None]:
    kind, sub = text_of(obj, "ObjectType"), text_of(obj, "SubType")
    jaw = text_of(obj, "JawId").lower()
    if kind == "Surface" and sub in ("Jaw", "PreTreatment_Jaw") and jaw in ("upper", "lower"):
        prefix = "preop_" if sub == "PreTreatment_Jaw" else ""
        return FileRole(prefix + jaw), None
    if kind == "Line" and sub == "Margin":
        ada = text_of(obj, "AdaId")
        try:
            return FileRole.MARGIN, teeth.parse(ada, teeth.Notation.UNIVERSAL)
        except ValueError:
            order.problem(f"{place}/AdaId", f"{ada!r} is not a tooth; margin line skipped",
                          Severity.WARNING)  # fmt: skip
            return None, None
    order.problem(place, f"object {kind}/{sub} {jaw} is not known; skipped", Severity.WARNING)
    return None, None
