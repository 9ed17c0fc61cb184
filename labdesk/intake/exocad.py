"""exocad ``.dentalProject`` folders (written by Medit Link, Shining 3D and other scanners for
exocad) and Medit's own web export.

The project file holds the order (practice, patient, teeth in FDI with their restoration);
the jaws are the meshes beside it, told apart by their names (:mod:`labdesk.intake.jaws`).
Medit's web export has no Rx at all: only its meshes, so the person enters the rest.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import PurePosixPath

from labdesk.domain import teeth
from labdesk.intake.jaws import MARGIN_SUFFIXES, is_mesh, role_from_name
from labdesk.intake.model import (
    FileRole,
    IntakeFile,
    IntakeItem,
    IntakeOrder,
    Severity,
    SourceFormat,
)
from labdesk.intake.package import Package, PackageError
from labdesk.intake.xmltext import ManifestError, iso_date, parse_xml, text_of

PROJECT_SUFFIX = ".dentalproject"
_MEDIT_NAMES = ("maxilla_base", "mandible_base")


def is_exocad(package: Package) -> bool:
    return any(n.lower().endswith(PROJECT_SUFFIX) for n in package.names)


def is_medit(package: Package) -> bool:
    return any(PurePosixPath(n).stem.lower() in _MEDIT_NAMES for n in package.names)


def parse_exocad(package: Package) -> IntakeOrder:
    order = IntakeOrder(SourceFormat.EXOCAD, str(package.source))
    projects = sorted(n for n in package.names if n.lower().endswith(PROJECT_SUFFIX))
    name = projects[0]
    for extra in projects[1:]:
        order.problem(extra, f"a second project in the package; only {name} is read")
    order.manifest = name
    try:
        root = parse_xml(package.read(name, limit=32 << 20), name)
    except (ManifestError, PackageError) as exc:
        order.problem(name, str(exc))
        _meshes(order, package)
        return order
    if root.tag != "Treatment":
        order.problem(name, f"expected <Treatment>, found <{root.tag}>; read what matches",
                      Severity.WARNING)  # fmt: skip
    order.order_id = text_of(root, "ProjectGUID") or PurePosixPath(name).stem
    practice = root.find("Practice")
    order.clinic.name = text_of(practice, "PracticeName")
    order.clinic.clinic_id = text_of(practice, "PracticeId")
    order.dentist.name = text_of(root, "DentistName") or text_of(practice, "DentistName")
    order.dentist.license = text_of(root, "DentistLicense") or text_of(practice, "DentistLicense")
    patient = root.find("Patient")
    order.patient.name = text_of(patient, "PatientName")
    order.patient.patient_id = text_of(patient, "PatientId")
    if not order.patient.name:
        order.problem(f"{name}: Patient/PatientName", "the patient's name is missing")
    order.notes = text_of(root, "Notes")
    antagonist = text_of(root, "AntagonistType")
    if antagonist:
        order.notes = f"{order.notes}\nAntagonist: {antagonist}".strip()
    when = text_of(root, "DateTime")
    try:
        order.exported_at = datetime.fromisoformat(when) if when else None
    except ValueError:
        order.problem(f"{name}: DateTime", f"{when!r} is not a date", Severity.WARNING)
    due = text_of(root, "DueDate", "DeliveryDate")
    try:
        order.due_date = iso_date(due)
    except ValueError:
        order.problem(f"{name}: DueDate", f"{due!r} is not a date")
    order.items = _items(order, root, name, text_of(root, "ToothColor"))
    _meshes(order, package)
    return order


def _items(order: IntakeOrder, root: ET.Element, name: str, color: str) -> list[IntakeItem]:
    groups: dict[tuple[str, str], IntakeItem] = {}
    for n, tooth in enumerate(root.iter("Tooth"), start=1):
        place = f"{name}: Tooth[{n}]"
        number = text_of(tooth, "Number", "ToothNumber")
        try:
            fdi = teeth.parse(number, teeth.Notation.FDI)
        except ValueError:
            order.problem(f"{place}/Number", f"{number!r} is not an FDI tooth number")
            continue
        restoration = text_of(tooth, "ReconstructionType", "Restoration", "Type")
        if not restoration:
            order.problem(place, f"tooth {fdi} has no restoration type")
            continue
        material = text_of(tooth, "Material")
        pontic = "pontic" in restoration.lower()
        kind = "Bridge" if pontic or "bridge" in restoration.lower() else restoration
        item = groups.setdefault(
            (kind, material),
            IntakeItem(kind, [], material, shades={"body": color} if color else {}),
        )
        item.teeth.append(fdi)
        if pontic:
            item.pontics.append(fdi)
    return list(groups.values())


def parse_medit(package: Package) -> IntakeOrder:
    order = IntakeOrder(SourceFormat.MEDIT, str(package.source))
    order.order_id = package.source.stem
    order.problem(
        package.label,
        "a Medit web export carries no prescription: enter the patient, dentist and teeth",
        Severity.WARNING,
    )
    _meshes(order, package)
    return order


def _meshes(order: IntakeOrder, package: Package) -> None:
    """Every mesh and margin line of the package, its jaw from its name."""
    for path in package.names:
        suffix = PurePosixPath(path).suffix.lower()
        if not (is_mesh(path) or suffix in MARGIN_SUFFIXES or suffix == ".dcm"):
            continue
        role, tooth = role_from_name(path)
        if suffix in MARGIN_SUFFIXES and role is not FileRole.MARGIN:
            continue
        if role is FileRole.UNKNOWN:
            order.problem(path, "cannot tell the jaw from the file name; say which it is",
                          Severity.WARNING)  # fmt: skip
        order.files.append(IntakeFile(path, role, tooth))
    if not any(f.role in (FileRole.UPPER, FileRole.LOWER) for f in order.files):
        order.problem(order.manifest or package.label, "no upper or lower jaw scan was found")
