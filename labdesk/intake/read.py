"""One entry point: a path (zip or folder) in, one :class:`IntakeOrder` out.

The package is sniffed (iTero manifest, exocad project, 3Shape order, Medit names, else a
plain folder of meshes), parsed, and every mesh is loaded and checked with the scan loader
(:func:`labdesk.mesh.load_scan` / :func:`labdesk.mesh.check_scan`), so the preview shows each
scan's verdict before the case exists.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import PurePosixPath

from labdesk.intake.exocad import is_exocad, is_medit, parse_exocad, parse_medit
from labdesk.intake.itero import is_itero, parse_itero
from labdesk.intake.jaws import is_mesh, role_from_name
from labdesk.intake.model import (
    FileRole,
    IntakeFile,
    IntakeOrder,
    ScanCheck,
    Severity,
    SourceFormat,
)
from labdesk.intake.package import Package, PackageError, open_package
from labdesk.intake.threeshape import find_orders, parse_threeshape
from labdesk.mesh import ScanError, check_scan, load_scan

_CHECKED_SUFFIXES = frozenset({".stl", ".ply", ".obj", ".dcm"})

#: ``progress(done, total, stage)``: how far reading a package got (a big zip takes a while).
Progress = Callable[[int, int, str], None]


def read_package(
    path: str | os.PathLike[str], *, check_scans: bool = True, progress: Progress | None = None
) -> IntakeOrder:
    """Parse a scanner export; ``PackageError`` when it cannot be opened at all."""
    report = progress or _silent
    report(0, 0, "Opening the package")
    with open_package(path) as package:
        report(0, 0, "Reading the order")
        order = parse(package)
        order.problems[:0] = package.problems
        if check_scans:
            check_files(order, package, progress=report)
    return order


def _silent(_done: int, _total: int, _stage: str) -> None:
    return None


def parse(package: Package) -> IntakeOrder:
    """The order of an opened package, without the scan checks."""
    if is_itero(package):
        return parse_itero(package)
    if is_exocad(package):
        return parse_exocad(package)
    orders = find_orders(package)
    if orders:
        return parse_threeshape(package, orders)
    if is_medit(package):
        return parse_medit(package)
    return parse_plain(package)


def parse_plain(package: Package) -> IntakeOrder:
    """A folder or zip of meshes: the jaws guessed from the names, the person confirms."""
    order = IntakeOrder(SourceFormat.PLAIN, str(package.source))
    order.order_id = package.source.stem
    meshes = [n for n in package.names if is_mesh(n)]
    if not meshes:
        order.problem(
            package.label,
            "no scanner export and no STL, PLY or OBJ scans found in the package",
        )
        return order
    order.problem(
        package.label,
        "no order file: the jaws are guessed from the file names; confirm them and enter "
        "the patient, dentist and teeth",
        Severity.WARNING,
    )
    for name in meshes:
        role, tooth = role_from_name(name)
        if role is FileRole.UNKNOWN:
            order.problem(name, "cannot tell the jaw from the file name; say which it is",
                          Severity.WARNING)  # fmt: skip
        order.files.append(IntakeFile(name, role, tooth))
    return order


def check_files(order: IntakeOrder, package: Package, *, progress: Progress = _silent) -> None:
    """Load and check each scan; an unreadable one is an error, check warnings are warnings."""
    checked = [f for f in order.files if PurePosixPath(f.path).suffix.lower() in _CHECKED_SUFFIXES]
    for done, item in enumerate(checked):
        progress(done, len(checked), f"Checking {PurePosixPath(item.path).name}")
        item.check = check_one(package, item.path)
        if item.check.error:
            order.problem(item.path, f"the scan cannot be used: {item.check.error}")
        for warning in item.check.warnings:
            order.problem(item.path, warning, Severity.WARNING)
    progress(len(checked), len(checked), "Scans checked")


def check_one(package: Package, name: str) -> ScanCheck:
    try:
        with package.local_file(name) as local:
            scan = load_scan(local)
    except (ScanError, PackageError) as exc:
        return ScanCheck(error=str(exc))
    report = check_scan(scan)
    return ScanCheck(warnings=list(report.warnings), triangles=report.triangles,
                     size_mm=report.size_mm)  # fmt: skip
