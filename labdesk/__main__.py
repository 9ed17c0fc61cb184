"""``labdesk``: start the workstation.

``labdesk --demo`` starts the reference portal in this process with demo data and signs in
as the reviewer; ``labdesk --server URL`` uses that portal instead of the remembered one.
Logs go to a rotating file in the user's log folder; an uncaught exception shows a dialog
with details to copy instead of closing the window.
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

LOG_FILE = "labdesk.log"


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="labdesk", description="LabDesk — the workstation of a dental laboratory."
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start the reference portal in this process with demo data and sign in",
    )
    parser.add_argument("--server", metavar="URL", help="the lab portal's address")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    # Smoke runs (labdesk/smoke.py): the start-up benchmark and the wheel test quit once the
    # inbox is populated after a sync; the frozen app's test also opens a scan.
    parser.add_argument("--quit-when-ready", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--smoke-scan", action="store_true", help=argparse.SUPPRESS)
    args, _qt_args = parser.parse_known_args(list(argv))
    return args


def setup_logging(log_dir: Path) -> Path | None:
    """INFO and up to a rotating file (5 × 2 MB); warnings also to stderr."""
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    console = logging.StreamHandler()
    console.setLevel(logging.WARNING)
    console.setFormatter(logging.Formatter("labdesk: %(levelname)s %(name)s: %(message)s"))
    root.addHandler(console)
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        path = log_dir / LOG_FILE
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=2 * 1024 * 1024, backupCount=5, encoding="utf-8"
        )
    except OSError as exc:
        logging.getLogger(__name__).warning("no log file in %s: %s", log_dir, exc)
        return None
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s")
    )
    root.addHandler(handler)
    return path


def main(argv: Sequence[str] | None = None) -> int:
    started = time.perf_counter()
    import multiprocessing

    # Scan decimation runs in a helper process; a frozen (PyInstaller) build needs this.
    multiprocessing.freeze_support()
    argv = list(sys.argv if argv is None else argv)
    args = parse_args(argv[1:])
    if args.version:
        from labdesk import __version__

        print(f"LabDesk {__version__}")
        return 0

    from labdesk import config

    log_path = setup_logging(config.log_dir())
    logging.getLogger(__name__).info("starting LabDesk (demo=%s, pid=%s)", args.demo, os.getpid())

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    # Fractional scaling (125 %, 150 %) as the screen asks, not rounded to whole numbers.
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )

    # Every 3D view shares one OpenGL context group: pyqtgraph compiles some shaders once per
    # process, and they are only valid in the context that compiled them.
    QGuiApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)

    from labdesk.app import LabDeskApp
    from labdesk.gui.error_dialog import install_excepthook

    app = LabDeskApp(
        argv,
        demo=args.demo,
        server_url=args.server,
        quit_when_ready=args.quit_when_ready,
        smoke_scan=args.smoke_scan,
        started_at=started,
    )
    install_excepthook(log_path)
    app.start()
    return int(app.exec())


if __name__ == "__main__":
    raise SystemExit(main())
