"""The neutral order every scanner export is read into, and the problems found on the way.

A preview shows an :class:`IntakeOrder` as it is: the order, its :class:`Problem` list (each
with the exact place in the package) and each scan's :class:`ScanCheck`. Nothing here needs the
package again, so the preview never parses twice; only creating the case reads the files'
bytes once more (by their ``path`` in the package).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

#: The scan formats LabDesk loads (``labdesk.mesh``); everything else in a package is not a scan.
MESH_EXTENSIONS = frozenset({"stl", "ply", "obj"})


class SourceFormat(StrEnum):
    ITERO = "itero"
    EXOCAD = "exocad"
    MEDIT = "medit"
    THREESHAPE = "3shape"
    PLAIN = "plain"


#: How a person calls each format (history, messages).
FORMAT_LABELS: dict[SourceFormat, str] = {
    SourceFormat.ITERO: "iTero",
    SourceFormat.EXOCAD: "exocad",
    SourceFormat.MEDIT: "Medit",
    SourceFormat.THREESHAPE: "3Shape",
    SourceFormat.PLAIN: "scan folder",
}


class FileRole(StrEnum):
    """What a file of the package is for the case."""

    UPPER = "upper"
    LOWER = "lower"
    BITE = "bite"
    PREOP_UPPER = "preop_upper"
    PREOP_LOWER = "preop_lower"
    MARGIN = "margin"
    UNKNOWN = "unknown"  # a mesh whose jaw could not be told from its name: the person says


class Severity(StrEnum):
    ERROR = "error"  # the case cannot be created as it is (missing file, unsafe member ...)
    WARNING = "warning"  # the person should look (skipped manifest, odd value, scan warning)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the package, where it is, in a lab person's words."""

    place: str  # e.g. "iTero_Export_#123456_v50.xml: RxInfo/Teeth/Tooth[2]/AdaId"
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        return f"{self.place}: {self.message}" if self.place else self.message


@dataclass
class Patient:
    name: str = ""  # as written by the scanner software (often "Last, First")
    patient_id: str = ""
    chart_number: str = ""


@dataclass
class Dentist:
    name: str = ""
    license: str = ""
    dentist_id: str = ""  # the scanner platform's id of the dentist


@dataclass
class ClinicHint:
    """What the package says about the sending practice, to find the clinic on the portal."""

    name: str = ""
    clinic_id: str = ""


@dataclass
class IntakeItem:
    """One restoration: its teeth (FDI), what it is and its shades."""

    restoration: str  # the name from the export (RxDefines for iTero), e.g. "Crown"
    teeth: list[int]
    material: str = ""
    pontics: list[int] = field(default_factory=list)
    shades: dict[str, str] = field(default_factory=dict)  # "incisal", "body", "gingival", "die"
    notes: str = ""


@dataclass
class ScanCheck:
    """The scan loader's verdict: unreadable (``error``), or its warnings and size."""

    error: str = ""
    warnings: list[str] = field(default_factory=list)
    triangles: int = 0
    size_mm: tuple[float, float, float] = (0.0, 0.0, 0.0)

    @property
    def ok(self) -> bool:
        return not self.error and not self.warnings


@dataclass
class IntakeFile:
    path: str  # inside the package, "/"-separated
    role: FileRole
    tooth: int | None = None  # a margin line's tooth (FDI)
    check: ScanCheck | None = None  # None: not a mesh, or not checked

    @property
    def is_mesh(self) -> bool:
        return self.path.lower().rsplit(".", 1)[-1] in MESH_EXTENSIONS


@dataclass
class IntakeOrder:
    """A scanner export, read: everything a person confirms before the case exists."""

    format: SourceFormat
    source: str  # the package's path on disk
    order_id: str = ""
    patient: Patient = field(default_factory=Patient)
    dentist: Dentist = field(default_factory=Dentist)
    clinic: ClinicHint = field(default_factory=ClinicHint)
    due_date: date | None = None
    exported_at: datetime | None = None
    notes: str = ""
    shade_system: str = ""
    items: list[IntakeItem] = field(default_factory=list)
    files: list[IntakeFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    manifest: str = ""  # the manifest read (path in the package), "" when none

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS[self.format]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    def scans(self) -> list[IntakeFile]:
        return [f for f in self.files if f.is_mesh]

    def failed_scans(self) -> list[IntakeFile]:
        return [f for f in self.files if f.check is not None and f.check.error]

    def problem(self, place: str, message: str, severity: Severity = Severity.ERROR) -> None:
        self.problems.append(Problem(place, message, severity))

    def to_json(self) -> dict[str, Any]:
        """The documented ``labdesk-cli import --dry-run --json`` object (README)."""
        return {
            "format": self.format.value,
            "source": self.source,
            "manifest": self.manifest,
            "order_id": self.order_id,
            "patient": {
                "name": self.patient.name,
                "id": self.patient.patient_id,
                "chart_number": self.patient.chart_number,
            },
            "dentist": {
                "name": self.dentist.name,
                "license": self.dentist.license,
                "id": self.dentist.dentist_id,
            },
            "clinic": {"name": self.clinic.name, "id": self.clinic.clinic_id},
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "exported_at": self.exported_at.isoformat() if self.exported_at else None,
            "notes": self.notes,
            "shade_system": self.shade_system,
            "items": [
                {
                    "restoration": i.restoration,
                    "material": i.material,
                    "teeth": i.teeth,
                    "pontics": i.pontics,
                    "shades": i.shades,
                    "notes": i.notes,
                }
                for i in self.items
            ],
            "files": [
                {
                    "path": f.path,
                    "jaw": f.role.value,
                    "tooth": f.tooth,
                    "check": None
                    if f.check is None
                    else {
                        "error": f.check.error or None,
                        "warnings": f.check.warnings,
                        "triangles": f.check.triangles,
                    },
                }
                for f in self.files
            ],
            "problems": [
                {"place": p.place, "message": p.message, "severity": p.severity.value}
                for p in self.problems
            ],
        }
