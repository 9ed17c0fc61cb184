"""Turning a read scanner export (:class:`~labdesk.intake.IntakeOrder`) into a portal case.

The same steps serve the GUI's preview and ``labdesk-cli import``:

1. :func:`match_dentist` asks the portal which dentist the export names (licence number,
   then name); more than one is returned as candidates for the person to pick.
2. :func:`plan_import` maps the order to the portal's request: restorations to catalog items,
   scans to jaws, and lists everything that still stops the case (errors in the package, a
   scan that fails its check unless the person accepts it, a jaw nobody confirmed, no
   restoration). Nothing is sent while that list is not empty.
3. :func:`create_case` sends the case and its files in one request with a fresh
   idempotency key (the client retries a lost answer with the same key); a re-import of the
   same order answers :class:`~labdesk.api.errors.AlreadyImported` with the case number.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from labdesk.api.client import PortalClient
from labdesk.api.schemas import (
    Case,
    CatalogItem,
    FileKind,
    ImportCase,
    ImportFile,
    IntakeHints,
    IntakeMatch,
    Jaw,
    NewCase,
    NewCaseItem,
)
from labdesk.domain import teeth
from labdesk.domain.restorations import RestorationKind
from labdesk.intake import FileRole, IntakeItem, IntakeOrder, Severity, open_package

_JAWS = {FileRole.UPPER: Jaw.UPPER, FileRole.LOWER: Jaw.LOWER, FileRole.BITE: Jaw.BITE}
_PREOP = frozenset({FileRole.PREOP_UPPER, FileRole.PREOP_LOWER})
# Words of a restoration name → the catalog kind (first hit wins: "implant crown" is an
# implant crown, not a crown).
_KIND_WORDS: tuple[tuple[str, RestorationKind], ...] = (
    ("implant", RestorationKind.IMPLANT_CROWN),
    ("abutment", RestorationKind.IMPLANT_CROWN),
    ("bridge", RestorationKind.BRIDGE),
    ("pontic", RestorationKind.BRIDGE),
    ("veneer", RestorationKind.VENEER),
    ("inlay", RestorationKind.INLAY_ONLAY),
    ("onlay", RestorationKind.INLAY_ONLAY),
    ("denture", RestorationKind.DENTURE),
    ("guard", RestorationKind.NIGHT_GUARD),
    ("splint", RestorationKind.NIGHT_GUARD),
    ("crown", RestorationKind.CROWN),
    ("coping", RestorationKind.CROWN),
)
# Scanner material names → words of the lab's catalog names.
_MATERIAL_WORDS = {
    "lithium disilicate": "e.max",
    "emax": "e.max",
    "e.max": "e.max",
    "zirconia": "zirconia",
    "zirconium": "zirconia",
    "porcelain fused to metal": "pfm",
    "pfm": "pfm",
    "metal ceramic": "pfm",
}


@dataclass
class ImportPlan:
    """What will be sent, and what still stands in the way (``blockers``, for a person)."""

    request: ImportCase | None
    uploads: list[tuple[str, str]] = field(default_factory=list)  # (path in package, name)
    blockers: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # choices made that the person should see

    @property
    def ready(self) -> bool:
        return self.request is not None and not self.blockers


def hints_of(order: IntakeOrder) -> IntakeHints:
    return IntakeHints(
        license=order.dentist.license, name=order.dentist.name, clinic_name=order.clinic.name
    )


def match_dentist(client: PortalClient, order: IntakeOrder) -> IntakeMatch:
    """The portal's dentist for the export (licence, then name), or candidates, or none."""
    return client.match_intake_dentist(hints_of(order))


def restoration_kind(restoration: str) -> RestorationKind | None:
    """The kind of an exported restoration name ("Bridge abutment" → bridge), None if unknown."""
    name = restoration.casefold()
    return next((k for word, k in _KIND_WORDS if word in name), None)


def catalog_code_for(item: IntakeItem, catalog: list[CatalogItem]) -> CatalogItem | None:
    """The lab's catalog item for an exported restoration: by kind, then by material."""
    kind = restoration_kind(item.restoration)
    if kind is None:
        return None
    of_kind = [c for c in catalog if c.kind is kind]
    if not of_kind:
        return None
    material = item.material.casefold()
    word = next((w for key, w in _MATERIAL_WORDS.items() if key in material), material)
    by_material = [c for c in of_kind if word and word in c.name.casefold()]
    return (by_material or of_kind)[0]


def plan_import(
    order: IntakeOrder,
    catalog: list[CatalogItem],
    dentist_id: int | None,
    *,
    accept_scan_warnings: bool = False,
) -> ImportPlan:
    """The portal request for ``order`` and every reason it cannot be sent yet."""
    plan = ImportPlan(request=None)
    plan.blockers += [str(p) for p in order.errors]
    if not accept_scan_warnings:
        plan.blockers += [
            f"{f.path}: the scan check found problems (import anyway only if you accept them)"
            for f in order.scans()
            if f.check is not None and f.check.warnings
        ]
    plan.blockers += [
        f"{f.path}: say which jaw this scan is" for f in order.scans() if f.role is FileRole.UNKNOWN
    ]
    if dentist_id is None:
        plan.blockers.append(
            f"the dentist {order.dentist.name or '(not named)'} is not matched on the portal; "
            "pick the dentist"
        )
    if not order.patient.name:
        plan.blockers.append("the patient's name is missing; enter it")
    if not order.order_id:
        plan.blockers.append("the export has no order number")
    items = _items(order, catalog, plan)
    if not items:
        plan.blockers.append("the order has no restoration LabDesk can use; enter the items")
    files = _files(order, plan)
    if plan.blockers or dentist_id is None:
        return plan
    plan.request = ImportCase(
        source_format=order.format.value,
        source_order_id=order.order_id,
        source_label=order.format_label,
        dentist_id=dentist_id,
        case=NewCase(
            patient_name=order.patient.name,
            items=items,
            instructions=_instructions(order),
            due_date=order.due_date,
        ),
        files=files,
    )
    return plan


def _items(order: IntakeOrder, catalog: list[CatalogItem], plan: ImportPlan) -> list[NewCaseItem]:
    out: list[NewCaseItem] = []
    for item in order.items:
        entry = catalog_code_for(item, catalog)
        chart = teeth.format_teeth(item.teeth, teeth.Notation.FDI)
        if entry is None:
            plan.blockers.append(
                f"{item.restoration} on {chart}: no item of the lab's catalog fits; choose one"
            )
            continue
        plan.notes.append(f"{item.restoration} {item.material} on {chart} → {entry.name}".strip())
        extra = [f"{k} {v}" for k, v in item.shades.items() if k != "body"]
        notes = "; ".join(x for x in (item.notes, ", ".join(extra)) if x)
        out.append(
            NewCaseItem(
                catalog_code=entry.code,
                material=item.material,
                shade=(item.shades.get("body") or None),
                teeth=item.teeth,
                pontics=item.pontics if entry.kind is RestorationKind.BRIDGE else [],
                notes=notes,
            )
        )
    return out


def _files(order: IntakeOrder, plan: ImportPlan) -> list[ImportFile]:
    out: list[ImportFile] = []
    used: set[str] = set()
    for f in order.scans():
        if f.role not in _JAWS and f.role not in _PREOP:
            continue
        name = re.sub(r"[\\/]", "_", f.path)
        if name in used:
            plan.blockers.append(f"{f.path}: two scans share this name")
            continue
        used.add(name)
        plan.uploads.append((f.path, name))
        out.append(ImportFile(filename=name, kind=FileKind.SCAN, jaw=_JAWS.get(f.role)))
    return out


def _instructions(order: IntakeOrder) -> str:
    lines = [order.notes] if order.notes else []
    margins = sorted({f.tooth for f in order.files if f.role is FileRole.MARGIN and f.tooth})
    if margins:
        lines.append(
            "Margin lines in the export for "
            + teeth.format_teeth(margins, teeth.Notation.FDI)
            + " (not uploaded)."
        )
    warnings = [str(p) for p in order.problems if p.severity is Severity.WARNING]
    if warnings:
        lines.append("Import notes: " + "; ".join(warnings))
    return "\n".join(lines)


def create_case(client: PortalClient, order: IntakeOrder, plan: ImportPlan) -> Case:
    """Send a ready plan: the case and its files in one portal operation.

    Raises :class:`~labdesk.api.errors.AlreadyImported` (with the case number) when the
    order was imported before, and other portal errors as they come.
    """
    if not plan.ready or plan.request is None:
        raise ValueError("plan_import() found blockers; nothing may be sent")
    with open_package(order.source) as package:
        files = [(name, package.read(path)) for path, name in plan.uploads]
    return client.import_case(plan.request, files, idempotency_key=str(uuid.uuid4()))
