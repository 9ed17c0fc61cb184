"""``labdesk-cli tickets CASE_NUMBER... -o FILE.pdf [--label SIZE]``: work tickets (or tray
labels) as one vector PDF, one per page in the order given.

Every number is looked up before anything is drawn: an unknown one is an error that names it,
and no file is written. Painting needs Qt's fonts, so this command (only this one) starts a
``QGuiApplication`` — on the offscreen platform when there is no display — and imports the
painter when it runs: ``labdesk-cli --help`` and ``import`` stay free of Qt.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from typing import Any

from labdesk.cli.signin import add_arguments, signed_in
from labdesk.client.tickets import cases_by_number, lab_name
from labdesk.config import Settings
from labdesk.domain.paper import LABEL_SIZES, TICKET_SIZES
from labdesk.printing.ticket_content import label_for, ticket_for


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "tickets",
        help="print work tickets or tray labels of cases into a PDF",
        description=(
            "Write the work tickets (or, with --label, the tray labels) of the cases named, "
            "one per page in the order given, into a vector PDF with the case number as a "
            "Code 128 barcode."
        ),
        epilog="An unknown case number is an error that names it; then no file is written.",
    )
    parser.add_argument("numbers", nargs="+", metavar="CASE_NUMBER")
    parser.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.pdf")
    parser.add_argument(
        "--label",
        metavar="SIZE",
        choices=tuple(LABEL_SIZES),
        help=f"tray labels instead of tickets: {', '.join(LABEL_SIZES)}",
    )
    parser.add_argument(
        "--paper",
        choices=tuple(TICKET_SIZES),
        help="the ticket's paper (default: the settings')",
    )
    parser.add_argument(
        "--notation",
        choices=("fdi", "universal", "palmer"),
        help="tooth numbering on the ticket (default: the settings')",
    )
    add_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = Settings.load()
    with signed_in(args) as client:
        cases = cases_by_number(client, args.numbers)  # names any unknown number
        user = client.me()
    from labdesk.printing.render import ensure_gui_app, write_pdf

    ensure_gui_app()

    output: Path = args.output
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=output.parent, prefix=".tickets-", suffix=".pdf")
    os.close(fd)
    partial = Path(name)
    try:
        if args.label:
            write_pdf(partial, labels=[label_for(c) for c in cases], paper=args.label,
                      title="LabDesk tray labels")  # fmt: skip
        else:
            notation = args.notation or settings.tooth_notation
            tickets = [ticket_for(c, lab_name=lab_name(user), notation=notation) for c in cases]
            write_pdf(partial, tickets, paper=args.paper or settings.ticket_size)
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    kind = "labels" if args.label else "tickets"
    print(f"{output}: {len(cases)} {kind} ({', '.join(c.number for c in cases)})")
    return 0
