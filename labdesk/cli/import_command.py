"""``labdesk-cli import PATH...``: scanner exports (zip or folder) in, cases out.

``--dry-run`` reads and checks each package without a portal; with ``--json`` it prints one
JSON array, an object per package (the README documents its fields). Without ``--dry-run``
each package is matched (dentist, catalog) and created as a case, and its number printed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from labdesk.api.errors import AlreadyImported, PortalError
from labdesk.api.schemas import CatalogItem
from labdesk.cli.signin import add_arguments, signed_in
from labdesk.client import intake as intake_client
from labdesk.intake import IntakeOrder, PackageError, read_package


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "import",
        help="bring scanner exports (iTero, exocad/Medit, 3Shape, folders of scans) in as cases",
        description=(
            "Read scanner exports (a zip or a folder each: iTero, exocad .dentalProject, Medit, "
            "3Shape order, or plain STL/PLY/OBJ files named upper/lower/bite), check their "
            "scans, and create one case per package on the lab portal."
        ),
        epilog=(
            "--dry-run --json needs no portal and prints a JSON array, one object per package: "
            "format, order_id, patient, dentist, clinic, due_date (ISO), items (teeth as FDI), "
            "files (jaw = upper|lower|bite|preop_upper|preop_lower|margin|unknown, path inside "
            "the package, scan check) and problems (place, message, severity). The exit code is "
            "1 when a package cannot be read, has errors, or was not created."
        ),
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", type=Path, help="zip or folder")
    parser.add_argument(
        "--dry-run", action="store_true", help="read and check only; create nothing"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument(
        "--dentist",
        metavar="USERNAME",
        help="the dentist to use when the export's dentist matches several on the portal",
    )
    parser.add_argument(
        "--accept-scan-warnings",
        action="store_true",
        help="create the case even when a scan check warns (holes, pieces, units)",
    )
    add_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    read: list[tuple[Path, IntakeOrder | None, str]] = []
    for path in args.paths:
        try:
            read.append((path, read_package(path), ""))
        except PackageError as exc:
            read.append((path, None, str(exc)))
    if args.dry_run:
        return _report_dry_run(read, as_json=args.json)
    results = []
    with signed_in(args) as client:
        catalog = client.catalog()
        for path, order, error in read:
            if order is None:
                results.append({"source": str(path), "status": "unreadable", "problems": [error]})
                continue
            results.append(_create(client, order, catalog, args))
    _print_results(results, as_json=args.json)
    return 0 if all(r["status"] == "created" for r in results) else 1


def unreadable_json(path: Path, error: str) -> dict[str, Any]:
    return {
        "format": None,
        "source": str(path),
        "order_id": None,
        "items": [],
        "files": [],
        "problems": [{"place": str(path), "message": error, "severity": "error"}],
    }


def _report_dry_run(read: list[tuple[Path, IntakeOrder | None, str]], *, as_json: bool) -> int:
    failed = any(order is None or order.errors for _, order, _ in read)
    if as_json:
        out = [order.to_json() if order else unreadable_json(p, err) for p, order, err in read]
        json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 1 if failed else 0
    for path, order, error in read:
        if order is None:
            print(f"{path}: cannot be read: {error}")
            continue
        print(f"{path}: {order.format_label} order {order.order_id or '(no number)'}")
        print(f"  patient {order.patient.name or '—'}; dentist {order.dentist.name or '—'}"
              f"{f' (licence {order.dentist.license})' if order.dentist.license else ''}; "
              f"due {order.due_date.isoformat() if order.due_date else '—'}")  # fmt: skip
        for item in order.items:
            print(f"  {item.restoration} {item.material}".rstrip() + f": teeth {item.teeth}")
        for f in order.files:
            print(f"  {f.role.value:<12} {f.path}")
        for problem in order.problems:
            print(f"  {problem.severity.value}: {problem}")
    return 1 if failed else 0


def _create(
    client: Any, order: IntakeOrder, catalog: list[CatalogItem], args: argparse.Namespace
) -> dict[str, Any]:
    result: dict[str, Any] = {"source": order.source, "order_id": order.order_id}
    try:
        match = intake_client.match_dentist(client, order)
        dentist = match.dentist
        if dentist is None and args.dentist:
            dentist = next((c for c in match.candidates if c.username == args.dentist), None)
        plan = intake_client.plan_import(
            order,
            catalog,
            dentist.id if dentist else None,
            accept_scan_warnings=args.accept_scan_warnings,
        )
        if not plan.ready:
            problems = list(plan.blockers)
            if match.candidates and dentist is None:
                names = ", ".join(
                    f"{c.username} ({c.display_name}, {c.clinic_name})" for c in match.candidates
                )
                problems.append(f"the dentist matches several on the portal: {names}; "
                                "choose one with --dentist USERNAME")  # fmt: skip
            return {**result, "status": "refused", "problems": problems}
        case = intake_client.create_case(client, order, plan)
    except AlreadyImported as exc:
        return {**result, "status": "already_imported", "case_number": exc.case_number,
                "problems": [str(exc)]}  # fmt: skip
    except (PortalError, PackageError) as exc:
        return {**result, "status": "failed", "problems": [str(exc)]}
    return {**result, "status": "created", "case_number": case.number, "problems": []}


def _print_results(results: list[dict[str, Any]], *, as_json: bool) -> None:
    if as_json:
        json.dump(results, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    for r in results:
        if r["status"] == "created":
            print(f"{r['source']}: created {r['case_number']}")
        elif r["status"] == "already_imported":
            print(f"{r['source']}: {r['problems'][0]}")
        else:
            print(f"{r['source']}: not created")
            for problem in r["problems"]:
                print(f"  {problem}")
