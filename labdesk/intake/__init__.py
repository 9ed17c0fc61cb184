"""Intake: scanner exports (iTero, exocad/Medit, 3Shape, plain mesh folders) read into one
neutral :class:`IntakeOrder` for a person to confirm. No Qt, no portal: the client core
(:mod:`labdesk.client.intake`) creates the case."""

from labdesk.intake.model import (
    FORMAT_LABELS,
    ClinicHint,
    Dentist,
    FileRole,
    IntakeFile,
    IntakeItem,
    IntakeOrder,
    Patient,
    Problem,
    ScanCheck,
    Severity,
    SourceFormat,
)
from labdesk.intake.package import Package, PackageError, open_package
from labdesk.intake.read import read_package

__all__ = [
    "FORMAT_LABELS",
    "ClinicHint",
    "Dentist",
    "FileRole",
    "IntakeFile",
    "IntakeItem",
    "IntakeOrder",
    "Package",
    "PackageError",
    "Patient",
    "Problem",
    "ScanCheck",
    "Severity",
    "SourceFormat",
    "open_package",
    "read_package",
]
