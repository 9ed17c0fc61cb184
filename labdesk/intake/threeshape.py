"""3Shape orders (``.3ox`` or ``*.xml`` in the 3OX order-interface namespace, often UTF-16).

The order names its model elements; each element's scan is ``<OrderNo>_<Index>.stl`` or the
files its ``ScanFiles`` list. 3Shape's own ``.dcm`` scans are kept in the list so the scan
check says what to do (export STL or PLY from 3Shape).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import PurePosixPath

from labdesk.domain import teeth
from labdesk.intake.jaws import role_from_name
from labdesk.intake.model import (
    FileRole,
    IntakeFile,
    IntakeItem,
    IntakeOrder,
    Severity,
    SourceFormat,
)
from labdesk.intake.package import Package, PackageError
from labdesk.intake.xmltext import ManifestError, clean, iso_date, parse_xml, text_of

NAMESPACE = "http://schemas.3shape.com/3OX/OrderInterface/2011/01"
_MARKS = (NAMESPACE.encode(), NAMESPACE.encode("utf-16-le"), NAMESPACE.encode("utf-16-be"))


def find_orders(package: Package) -> list[str]:
    """The 3Shape order files of the package (``.3ox``, or XML in the 3OX namespace)."""
    found = []
    for name in package.names:
        suffix = PurePosixPath(name).suffix.lower()
        if suffix not in (".3ox", ".xml"):
            continue
        try:
            head = package.read(name, limit=32 << 20)
        except PackageError:
            continue
        if suffix == ".3ox" or any(mark in head for mark in _MARKS):
            found.append(name)
    return sorted(found)


def parse_threeshape(package: Package, names: list[str]) -> IntakeOrder:
    order = IntakeOrder(SourceFormat.THREESHAPE, str(package.source))
    name = names[0]
    for extra in names[1:]:
        order.problem(extra, f"a second 3Shape order in the package; only {name} is read")
    order.manifest = name
    try:
        root = parse_xml(package.read(name, limit=32 << 20), name)
    except (ManifestError, PackageError) as exc:
        order.problem(name, str(exc))
        return order
    order.order_id = _first(root, "ThreeShapeOrderNo", "OrderNo")
    if not order.order_id:
        order.problem(f"{name}: ThreeShapeOrderNo", "the order number is missing")
    first, last = _first(root, "PatientFirstName"), _first(root, "PatientLastName")
    order.patient.name = _first(root, "PatientName") or (f"{last}, {first}" if last else first)
    order.patient.patient_id = _first(root, "PatientId", "PatientID")
    order.dentist.name = _first(root, "DentistName", "Dentist")
    order.dentist.license = _first(root, "DentistLicense", "LicenseNumber")
    order.clinic.name = _first(root, "ClinicName", "CustomerName", "ClientName")
    order.clinic.clinic_id = _first(root, "ClinicId", "CustomerId", "ClientID")
    order.notes = _first(root, "OrderComments", "Comments", "Notes")
    due = _first(root, "DeliveryDate", "DueDate")
    try:
        order.due_date = iso_date(due)
    except ValueError:
        order.problem(f"{name}: DeliveryDate", f"{due!r} is not a date")
    order.items = _items(order, root, name)
    _models(order, package, root, name)
    return order


def _first(root: ET.Element, *tags: str) -> str:
    for tag in tags:
        for elem in root.iter(tag):
            text = clean(elem.text)
            if text:
                return text
    return ""


def _items(order: IntakeOrder, root: ET.Element, name: str) -> list[IntakeItem]:
    groups: dict[tuple[str, str, str], IntakeItem] = {}
    for n, tooth in enumerate(root.iter("ToothElement"), start=1):
        place = f"{name}: ToothElement[{n}]"
        number = text_of(tooth, "ToothNumber")
        try:
            fdi = teeth.parse(number, teeth.Notation.FDI)
        except ValueError:
            order.problem(f"{place}/ToothNumber", f"{number!r} is not an FDI tooth number")
            continue
        restoration = text_of(tooth, "CacheToothTypeClass", "ToothType", "RestorationType")
        if not restoration:
            order.problem(place, f"tooth {fdi} has no restoration type")
            continue
        material = text_of(tooth, "CacheMaterialName", "Material")
        shade = text_of(tooth, "Color", "Shade")
        pontic = "pontic" in restoration.lower()
        kind = "Bridge" if pontic or "bridge" in restoration.lower() else restoration
        item = groups.setdefault(
            (kind, material, shade),
            IntakeItem(kind, [], material, shades={"body": shade} if shade else {}),
        )
        item.teeth.append(fdi)
        if pontic:
            item.pontics.append(fdi)
    return list(groups.values())


def _models(order: IntakeOrder, package: Package, root: ET.Element, name: str) -> None:
    by_name = {PurePosixPath(n).name.lower(): n for n in package.names}
    for n, model in enumerate(root.iter("ModelElement"), start=1):
        place = f"{name}: ModelElement[{n}]"
        index = text_of(model, "ModelElementIndex")
        wanted = [
            PurePosixPath(s.get("path", "").replace("\\", "/")).name for s in model.iter("ScanFile")
        ]
        wanted += [text_of(model, "ModelFileName"), f"{order.order_id}_{index}.stl"]
        found = next((by_name[w.lower()] for w in wanted if w and w.lower() in by_name), None)
        if found is None:
            listed = ", ".join(w for w in wanted if w)
            order.problem(place, f"the order names {listed}, but none is in the package")
            continue
        role, _ = role_from_name(text_of(model, "ModelJobType", "ModelType") or found)
        if role is FileRole.UNKNOWN:
            role, _ = role_from_name(found)
        if role is FileRole.UNKNOWN:
            order.problem(place, f"cannot tell the jaw of {found}; say which it is",
                          Severity.WARNING)  # fmt: skip
        order.files.append(IntakeFile(found, role))
    if not order.files:
        order.problem(name, "the order names no scan that is in the package")
