"""What the intake preview shows before a person confirms: the package read, the portal's
answer about the dentist and the lab's catalog — gathered in one background step.

The package is read even when the portal cannot be asked (offline, not signed in): the person
still sees the order, its scans and its problems, and why the case cannot be created yet
(:attr:`IntakePreview.portal_problem`). The plan itself stays in :mod:`labdesk.client.intake`;
this module only holds what the preview needs around it (which dentists to offer, the items as
a tooth chart shows them, the scans as local files for the 3D view).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from labdesk.api.client import PortalClient
from labdesk.api.schemas import CatalogItem, IntakeDentist, IntakeMatch
from labdesk.client import intake
from labdesk.domain.restorations import ToothWork
from labdesk.errors import KnownError, NotSignedIn
from labdesk.intake import FileRole, IntakeOrder, open_package, read_package

Progress = Callable[[int, int, str], None]

#: The scan roles the 3D viewer draws (a pre-op scan or margin line is listed, not drawn).
VIEWER_ROLES = {FileRole.UPPER: "upper", FileRole.LOWER: "lower", FileRole.BITE: "bite"}


@dataclass
class IntakePreview:
    """A package as read, with what the portal said about it."""

    order: IntakeOrder
    match: IntakeMatch | None = None  # None: the portal could not be asked
    catalog: list[CatalogItem] = field(default_factory=list)
    portal_problem: str = ""  # why the portal could not be asked, for a person

    def dentists(self) -> list[IntakeDentist]:
        """The matched dentist, else the candidates to pick from (empty: unknown)."""
        if self.match is None:
            return []
        if self.match.dentist is not None:
            return [self.match.dentist]
        return list(self.match.candidates)

    def plan(self, dentist_id: int | None, *, accept_scan_warnings: bool) -> intake.ImportPlan:
        plan = intake.plan_import(
            self.order, self.catalog, dentist_id, accept_scan_warnings=accept_scan_warnings
        )
        if self.portal_problem:
            plan.blockers.insert(0, f"the portal could not be asked: {self.portal_problem}")
            plan.request = None
        return plan

    def chart_work(self) -> list[ToothWork]:
        """The order's items as the tooth chart draws them (kind from the lab's catalog when
        an item fits one, else from the exported name); items of no known kind are left out."""
        work: list[ToothWork] = []
        for item in self.order.items:
            entry = intake.catalog_code_for(item, self.catalog)
            kind = entry.kind if entry is not None else intake.restoration_kind(item.restoration)
            if kind is None:
                continue
            label = " ".join(x for x in (item.material, item.restoration) if x)
            try:
                work.append(ToothWork(kind, tuple(item.teeth), tuple(item.pontics), label))
            except ValueError:  # a tooth number the parser let through: not drawable
                continue
        return work


def read_preview(
    client: PortalClient | None, path: str | os.PathLike[str], progress: Progress
) -> IntakePreview:
    """Read the package (with its scan checks), then ask the portal for the dentist and the
    catalog. ``PackageError`` when the package cannot be opened at all."""
    order = read_package(path, progress=progress)
    preview = IntakePreview(order)
    progress(0, 0, "Asking the portal who the dentist is")
    try:
        if client is None:
            raise NotSignedIn()
        preview.match = intake.match_dentist(client, order)
        preview.catalog = client.catalog()
    except KnownError as exc:
        preview.match, preview.portal_problem = None, str(exc)
    return preview


def extract_scans(order: IntakeOrder, folder: Path) -> dict[str, Path]:
    """The viewable scans of ``order`` as files on disk (path in package → local path): a
    folder package's own files, a zip's members copied into ``folder``. Scans that failed
    their check are left out (the viewer would only repeat the error)."""
    wanted = [
        f
        for f in order.scans()
        if f.role in VIEWER_ROLES and not (f.check is not None and f.check.error)
    ]
    source = Path(order.source)
    if source.is_dir():
        return {f.path: source / f.path for f in wanted}
    out: dict[str, Path] = {}
    with open_package(source) as package:
        for n, f in enumerate(wanted):
            target = folder / f"{n}-{re.sub(r'[^A-Za-z0-9._-]', '_', Path(f.path).name)}"
            target.write_bytes(package.read(f.path))
            out[f.path] = target
    return out
