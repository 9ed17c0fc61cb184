"""The ``labdesk-cli`` entry point: parse, dispatch to a subcommand, turn errors into words.

Exit codes: 0 done, 1 some package was not read or not created (each says why), 2 wrong
usage, no sign-in or an unknown case number. A person never sees a traceback for a
:class:`~labdesk.errors.KnownError`; anything else is a bug and is shown as one.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from types import ModuleType

from labdesk import __version__
from labdesk.cli import import_command, tickets_command
from labdesk.errors import KnownError

#: The subcommands, in ``--help`` order.
COMMANDS: tuple[ModuleType, ...] = (import_command, tickets_command)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="labdesk-cli",
        description=(
            "LabDesk from the command line: bring scanner exports in as cases, print work "
            "tickets and tray labels."
        ),
        epilog="Run 'labdesk-cli COMMAND --help' for a command's options. Exit codes: 0 done, "
        "1 a package was not read or not created, 2 wrong usage, no sign-in or an unknown "
        "case number.",
    )
    parser.add_argument("--version", action="version", version=f"labdesk-cli {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        code: int = args.run(args)
    except KnownError as exc:
        print(f"labdesk-cli: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("labdesk-cli: interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
