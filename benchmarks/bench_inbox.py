"""Inbox and start-up benchmarks (issue 5).

1. The inbox model with 100,000 cases: sort by every column (both orders) and apply search
   strings, through the real ``InboxModel`` with a ``QTableView`` attached. "Cold" sorts are
   the first sort on a column after the rows changed (a sync reloads the rows); "warm" is
   sorting again on a column already ranked.
2. The whole process, ``python -m labdesk``, from launch to a populated inbox with 10,000
   cached cases and the portal unreachable (offline start), plus a check with
   ``python -X importtime`` that pyqtgraph, trimesh, OpenGL and the server stay out of the
   start-up imports.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_inbox.py [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIRST = [
    "Ada",
    "Ben",
    "Cleo",
    "Dana",
    "Emil",
    "Farah",
    "Gus",
    "Hana",
    "Ivo",
    "Jana",
    "Kai",
    "Lena",
    "Milo",
    "Nora",
    "Oskar",
    "Pia",
    "Rui",
    "Sara",
]
LAST = [
    "Andersen",
    "Byrne",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Larsen",
    "Moreau",
    "Novak",
    "Olsen",
    "Petrov",
    "Quist",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Varga",
    "Weber",
    "Young",
    "Zimmermann",
]
CLINICS = [
    f"{w} Dental"
    for w in ["North", "South", "Harbour", "Riverside", "Old", "Town", "Parkside", "Hill", "Lake"]
]
ITEMS = ["Zirconia crown", "e.max crown", "PFM crown", "Bridge", "Porcelain veneer", "Night guard"]
TEETH = [11, 12, 13, 14, 15, 16, 21, 22, 23, 24, 25, 26, 31, 32, 33, 36, 41, 42, 43, 46]
PEOPLE = [("designer", "Dee Signer"), ("ceramist", "Cera Mist"), ("production_tech", "Pro Tech")]


def synthetic_rows(n: int, seed: int = 1) -> list:
    from labdesk.client.inbox_rows import InboxRow
    from labdesk.domain.lifecycle import Status

    rnd = random.Random(seed)
    today = date.today()
    statuses = list(Status)
    rows = []
    for i in range(n):
        status = rnd.choice(statuses)
        who = rnd.choice([*PEOPLE, (None, None)])
        items = tuple(
            (rnd.choice(ITEMS), tuple(sorted(rnd.sample(TEETH, rnd.randint(1, 3)))))
            for _ in range(rnd.randint(1, 2))
        )
        rows.append(
            InboxRow(
                case_id=i + 1,
                number=f"C-2026-{i + 1:06d}",
                patient=f"{rnd.choice(FIRST)} {rnd.choice(LAST)}",
                clinic=rnd.choice(CLINICS),
                dentist=f"Dr. {rnd.choice(FIRST)} {rnd.choice(LAST)}",
                items=items,
                status=status,
                due_date=today + timedelta(days=rnd.randint(-10, 30))
                if rnd.random() > 0.05
                else None,
                expected_date=today + timedelta(days=rnd.randint(0, 30))
                if rnd.random() > 0.3
                else None,
                assignee=who[0],
                assignee_name=who[1],
                rush=rnd.random() < 0.1,
                signed_off=status is Status.QC and rnd.random() < 0.5,
                tags=("implant",) if rnd.random() < 0.05 else (),
                remake=rnd.random() < 0.02,
                pending=1 if rnd.random() < 0.01 else 0,
                conflict=rnd.random() < 0.002,
            )
        )
    return rows


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def bench_model(n: int, repeats: int) -> list[str]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QTableView

    from labdesk.client.inbox_index import InboxIndex
    from labdesk.client.inbox_queues import DueWindow, InboxFilter, Queue
    from labdesk.gui.inbox_model import InboxModel

    app = QApplication.instance() or QApplication([])
    rows = synthetic_rows(n)
    builds = []
    for _ in range(repeats):
        start = time.perf_counter()
        index = InboxIndex.build(rows)
        builds.append((time.perf_counter() - start) * 1000)
    model = InboxModel()
    view = QTableView()
    view.setModel(model)
    view.resize(1200, 800)
    view.show()
    app.processEvents()
    adopt_ms = timed(lambda: model.set_index(index))
    view.selectRow(5)  # a selection: persistent indexes follow every sort
    lines = [
        f"Inbox model, {n:,} cases, a `QTableView` attached (offscreen), a row selected.",
        "",
        f"- index build (worker thread, once per reload): median "
        f"{statistics.median(builds):.0f} ms",
        f"- handing the built index to the model (GUI thread): {adopt_ms:.0f} ms",
        "",
        "| column | sort ascending, median ms | sort descending, median ms |",
        "|---|---:|---:|",
    ]
    worst = 0.0
    for column in range(model.columnCount()):
        name = model.headerData(column, Qt.Orientation.Horizontal)
        medians = []
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            times = []
            for _ in range(repeats * 3):
                model.sort((column + 1) % model.columnCount(), Qt.SortOrder.AscendingOrder)
                times.append(timed(lambda c=column, o=order: model.sort(c, o)))
                app.processEvents()
            medians.append(statistics.median(times))
        worst = max(worst, *medians)
        lines.append(f"| {name} | {medians[0]:.1f} | {medians[1]:.1f} |")
    lines.append(f"| **slowest** | **{worst:.1f}** | |")
    lines.append("")
    lines.append("| search / filter (sorted by due date) | rows shown | median ms |")
    lines.append("|---|---:|---:|")
    model.sort(model.COL_DUE, Qt.SortOrder.AscendingOrder)
    searches = [
        ("“lar” (patient, clinic, dentist)", InboxFilter(search="lar")),
        ("“C-2026-0421” (case number)", InboxFilter(search="C-2026-0421")),
        ("“riverside” (clinic)", InboxFilter(search="riverside")),
        ("“implant” (tag)", InboxFilter(search="implant")),
        (
            "queue In work, rush only, “ada”",
            InboxFilter(queue=Queue.IN_WORK, rush_only=True, search="ada"),
        ),
        (
            "clinic + overdue + assignee + “e”",
            InboxFilter(
                clinic="North Dental", due=DueWindow.OVERDUE, assignee="ceramist", search="e"
            ),
        ),
    ]
    worst_search = 0.0
    for label, spec in searches:
        times = []
        for _ in range(repeats * 3):
            model.set_filter(InboxFilter())
            model._index._masks.clear()  # no cached filter: the first time it is chosen
            model._index._last_search = ("", [])  # nor a shorter search to narrow from
            times.append(timed(lambda s=spec: model.set_filter(s)))
            app.processEvents()
        worst_search = max(worst_search, statistics.median(times))
        lines.append(f"| {label} | {model.rowCount():,} | {statistics.median(times):.1f} |")
    lines.append(f"| **slowest** | | **{worst_search:.1f}** |")
    view.close()
    return lines


# --- start-up ------------------------------------------------------------------------------


def make_cache(home: Path, cases: int) -> None:
    """A cache with ``cases`` cases for user "bench" of a portal that is not running."""
    os.environ["LABDESK_HOME"] = str(home)
    from labdesk.api.schemas import Case, User
    from labdesk.client import casework as acc
    from labdesk.config import Settings

    settings = Settings(server_url="http://127.0.0.1:9", last_username="bench", theme="light")
    settings.save()
    repo = acc.open_cache(settings, settings.server_url, "bench")
    user = User.model_validate(
        {
            "id": 1,
            "username": "bench",
            "display_name": "Bench Reviewer",
            "roles": ["reviewer"],
            "organization": {"id": 1, "name": "Bench Lab", "kind": "lab"},
        }
    )
    repo.save_user(user)
    now = datetime.now(UTC)
    page = []
    for row in synthetic_rows(cases, seed=3):
        page.append(
            Case.model_validate(
                {
                    "id": row.case_id,
                    "number": row.number,
                    "lab_id": 1,
                    "clinic_id": 1,
                    "clinic_name": row.clinic,
                    "dentist_id": 1,
                    "dentist_name": row.dentist,
                    "share_patient_name": True,
                    "patient_name": row.patient,
                    "patient_initials": "".join(p[0] for p in row.patient.split()),
                    "patient_ref": f"P-{row.case_id}",
                    "items": [
                        {
                            "id": row.case_id * 10 + k,
                            "catalog_code": "X",
                            "catalog_name": name,
                            "kind": "crown",
                            "teeth": list(teeth),
                        }
                        for k, (name, teeth) in enumerate(row.items)
                    ],
                    "status": row.status.value,
                    "signed_off": row.signed_off,
                    "due_date": row.due_date,
                    "expected_date": row.expected_date,
                    "rush": row.rush,
                    "tags": list(row.tags),
                    "version": 1,
                    "seq": row.case_id,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        )
        if len(page) == 500:
            repo.upsert_page(page, page[-1].seq)
            page = []
    if page:
        repo.upsert_page(page, page[-1].seq)
    assert repo.case_count() == cases
    acc.remember_session(settings.server_url, "bench", repo.path)  # as a sign-in does
    repo.close()


def start_once(home: Path, extra: list[str] | None = None) -> tuple[float, str]:
    env = dict(os.environ, LABDESK_HOME=str(home))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    cmd = [sys.executable, *(extra or []), "-m", "labdesk", "--quit-when-ready"]
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    populated = time.perf_counter() - start
    _out, err = proc.communicate(timeout=120)
    if "inbox populated" not in line:
        raise RuntimeError(f"no populated inbox: {line!r} {err[-2000:]}")
    return populated, err


FORBIDDEN = ("pyqtgraph", "trimesh", "OpenGL", "labdesk.server", "fastapi", "uvicorn")


def bench_startup(cases: int, runs: int) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="labdesk-bench-") as tmp:
        home = Path(tmp)
        build_ms = timed(lambda: make_cache(home, cases))
        start_once(home)  # warm the OS file cache and .pyc files once
        times = [start_once(home)[0] for _ in range(runs)]
        _t, err = start_once(home, ["-X", "importtime"])
        imported = {
            line.split("|")[-1].strip()
            for line in err.splitlines()
            if line.startswith("import time:") and "|" in line
        }
        leaked = sorted(
            m
            for m in imported
            if m.split(".")[0] in FORBIDDEN or m in FORBIDDEN or m.startswith("labdesk.server")
        )
    lines = [
        f"Start to populated inbox, {cases:,} cached cases, portal unreachable (cache built in "
        f"{build_ms / 1000:.1f} s)",
        "",
        "| runs | median s | min s | max s |",
        "|---:|---:|---:|---:|",
        f"| {runs} | {statistics.median(times):.3f} | {min(times):.3f} | {max(times):.3f} |",
        "",
        "Heavy modules in the start-up imports (`-X importtime`): "
        + (", ".join(leaked) if leaked else "none of " + ", ".join(FORBIDDEN)),
    ]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer cases and repeats")
    parser.add_argument("--skip-startup", action="store_true")
    args = parser.parse_args()
    n, repeats, runs = (20_000, 2, 2) if args.quick else (100_000, 3, 7)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    out = [
        f"Machine: {os.cpu_count()} CPUs, load average {load:.1f} at the start, "
        f"Python {sys.version.split()[0]}, QT_QPA_PLATFORM={os.environ['QT_QPA_PLATFORM']}",
        "",
        *bench_model(n, repeats),
    ]
    if not args.skip_startup:
        out += ["", *bench_startup(10_000, runs)]
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
