"""``labdesk-server``: run the portal, or add a user.

    labdesk-server [--host 127.0.0.1] [--port 8765] [--db URL] [--data-dir DIR] [--demo]
                   [--smtp HOST:PORT]
    labdesk-server create-user --username U --role R [--role R2] (--lab NAME | --clinic NAME)
                   [--password-stdin]
    labdesk-server backup --to DIR          (database + file store; see docs/deploy.md)
    labdesk-server restore --from BACKUP    (the portal stopped)

The database URL comes from ``--db``, else ``LABDESK_DB_URL``, else a SQLite file in the data
directory (default: the platform's user data directory for "labdesk-server").
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy import select

from labdesk.domain.lifecycle import LAB_ROLES, ROLE_LABELS, Role
from labdesk.server import __version__
from labdesk.server.settings import ServerSettings

log = logging.getLogger("labdesk.server")
LOOPBACK = {"127.0.0.1", "::1", "localhost"}
MIN_PASSWORD = 8


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", help="database URL (env LABDESK_DB_URL)")
    parser.add_argument("--data-dir", metavar="DIR", type=Path, help="files and SQLite database")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="labdesk-server", description="The LabDesk lab portal (reference server)."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--workers", type=int, default=1, metavar="N",
        help="serve with N processes (PostgreSQL only; see docs/deploy.md)",
    )  # fmt: skip
    _common(parser)
    parser.add_argument("--demo", action="store_true", help="seed demo data; demo users sign in")
    parser.add_argument("--smtp", metavar="HOST:PORT", help="mail relay for notifications")
    parser.add_argument("--log-level", default="info", choices=["debug", "info", "warning"])
    commands = parser.add_subparsers(dest="command")
    user = commands.add_parser("create-user", help="add a user (asks for the password)")
    _common(user)
    user.add_argument("--username", required=True)
    user.add_argument(
        "--role", dest="roles", action="append", required=True,
        choices=[r.value for r in Role if r is not Role.SYSTEM], help="repeat for several",
    )  # fmt: skip
    org = user.add_mutually_exclusive_group(required=True)
    org.add_argument("--lab", metavar="NAME", help="the lab (created when new)")
    org.add_argument("--clinic", metavar="NAME", help="the clinic (created when new)")
    user.add_argument("--display-name")
    user.add_argument("--email")
    user.add_argument("--phone")
    user.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    saved = commands.add_parser("backup", help="back up the database and the file store")
    _common(saved)
    saved.add_argument("--to", metavar="DIR", type=Path, required=True, help="backups folder")
    restored = commands.add_parser("restore", help="restore a backup (stop the portal first)")
    _common(restored)
    restored.add_argument(
        "--from", dest="source", metavar="BACKUP", type=Path, required=True,
        help="a labdesk-backup-... folder",
    )  # fmt: skip
    return parser


def settings_from(args: argparse.Namespace) -> ServerSettings:
    data_dir = args.data_dir or Path(user_data_dir("labdesk-server", appauthor=False))
    return ServerSettings(
        data_dir=data_dir,
        db_url=args.db or os.environ.get("LABDESK_DB_URL") or None,
        demo=bool(getattr(args, "demo", False)),
        smtp=getattr(args, "smtp", None),
    )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    level = getattr(args, "log_level", "info").upper()
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if level != "DEBUG":
        logging.getLogger("alembic").setLevel(logging.WARNING)
    settings = settings_from(args)
    if args.command == "create-user":
        return create_user_command(args, settings)
    if args.command in ("backup", "restore"):
        return backup_command(args, settings)
    return serve(args, settings)


def serve(args: argparse.Namespace, settings: ServerSettings) -> int:
    import uvicorn

    from labdesk.server.app import create_app
    from labdesk.server.serving import PortalServer, serve_workers, tune_gc

    if args.host not in LOOPBACK:
        log.warning("listening on %s: the portal is reachable from the network", args.host)
    if settings.smtp:
        settings.smtp_address  # noqa: B018 - fails early on a malformed HOST:PORT
    if settings.demo:
        from labdesk.server.demo import seed_demo

        if seed_demo(settings):
            log.info("demo data seeded")
        log.info("demo mode: sign in as lab_admin, reviewer, ..., dentist1..8 with password 'demo'")
    log.info("data in %s; database %s", settings.data_dir, _safe_url(settings.database_url))
    if args.workers > 1:
        if not settings.database_url.startswith("postgresql"):
            log.error("--workers needs PostgreSQL (--db postgresql+psycopg://...): SQLite "
                      "serves one process")  # fmt: skip
            return 2
        return serve_workers(
            settings, host=args.host, port=args.port, workers=args.workers,
            log_level=args.log_level,
        )  # fmt: skip
    app = create_app(settings)
    tune_gc()
    config = uvicorn.Config(
        app, host=args.host, port=args.port, log_level=args.log_level, access_log=True,
        timeout_graceful_shutdown=10,
    )  # fmt: skip
    PortalServer(config, app).run()
    return 0


def _safe_url(url: str) -> str:
    """The URL without its password, for the log."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def backup_command(args: argparse.Namespace, settings: ServerSettings) -> int:
    from labdesk.server.backup import BackupError, backup, restore

    try:
        if args.command == "backup":
            info = backup(settings, args.to)
            print(f"backup written to {info.folder} ({info.backend}, {info.files} files)")
        else:
            info = restore(settings, args.source)
            print(f"restored {info.folder} ({info.backend}, {info.files} files)")
    except (BackupError, OSError) as exc:
        print(f"{args.command} failed: {exc}", file=sys.stderr)
        return 1
    return 0


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat the password: ") != first:
        raise ValueError("the passwords differ")
    return first


def create_user_command(args: argparse.Namespace, settings: ServerSettings) -> int:
    from labdesk.server import models as m
    from labdesk.server.auth import create_user
    from labdesk.server.db import Database

    roles = [Role(r) for r in args.roles]
    if args.lab and not set(roles) <= LAB_ROLES:
        print("lab members hold lab roles:", ", ".join(sorted(LAB_ROLES)), file=sys.stderr)
        return 2
    if args.clinic and roles != [Role.DENTIST]:
        print("clinic users are dentists (--role dentist)", file=sys.stderr)
        return 2
    try:
        password = _read_password(args.password_stdin)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    if len(password) < MIN_PASSWORD:
        print(f"the password needs at least {MIN_PASSWORD} characters", file=sys.stderr)
        return 2
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.database_url)
    try:
        db.upgrade()
        with db.writing() as session:
            lab = clinic = None
            if args.lab:
                lab = session.execute(select(m.Lab).where(m.Lab.name == args.lab)).scalar()
                if lab is None:
                    lab = m.Lab(name=args.lab)
                    session.add(lab)
                    print(f"new lab: {args.lab}")
            else:
                clinic = session.execute(
                    select(m.Clinic).where(m.Clinic.name == args.clinic)
                ).scalar()
                if clinic is None:
                    clinic = m.Clinic(name=args.clinic)
                    session.add(clinic)
                    print(f"new clinic: {args.clinic}")
            create_user(
                session, username=args.username, password=password, roles=roles,
                display_name=args.display_name, lab=lab, clinic=clinic, email=args.email,
                phone=args.phone,
            )  # fmt: skip
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    finally:
        db.dispose()
    held = ", ".join(ROLE_LABELS[r] for r in roles)
    print(f"user {args.username} created ({held})")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
