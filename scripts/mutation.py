"""Run mutmut on one module group of pyproject's ``[tool.labdesk.mutation]`` (docs/testing.md).

mutmut reads one ``[tool.mutmut]`` and copies the tree into ``mutants/``; each group needs its
own modules and tests, so this copies the tree to a scratch folder, writes that group's
``[tool.mutmut]`` there and runs mutmut in it. The results stay in the scratch folder
(``mutmut results`` / ``mutmut show NAME`` there).

    python scripts/mutation.py domain            # or portal-actions, cache-outbox, sync, ...
    python scripts/mutation.py portal-actions "labdesk.server.routes_actions*"  # a part
    python scripts/mutation.py --list
    # after writing tests: the survivors again, with the tree's tests
    python scripts/mutation.py --keep --refresh-tests --not-killed portal-actions
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COPIED = ("labdesk", "tests", "ui", "pyproject.toml")


def groups() -> dict[str, dict[str, list[str]]]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    found: dict[str, dict[str, list[str]]] = data["tool"]["labdesk"]["mutation"]
    return found


def _toml_list(items: list[str]) -> str:
    return "[" + ", ".join(f'"{item}"' for item in items) + "]"


def prepare(group: str, work: Path) -> None:
    """A copy of the tree in ``work`` whose [tool.mutmut] is the group's."""
    chosen = groups()[group]
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, work / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, work / name)
    _write_config(chosen, work / "pyproject.toml")


def _write_config(chosen: dict[str, list[str]], path: Path) -> None:
    """Replace the [tool.mutmut] of the pyproject at ``path`` by the group's."""
    pyproject = path.read_text(encoding="utf-8")
    section = (
        "[tool.mutmut]\n"
        'source_paths = ["labdesk/"]\n'
        f"only_mutate = {_toml_list(chosen['only_mutate'])}\n"
        f"pytest_add_cli_args_test_selection = {_toml_list(chosen['tests'])}\n"
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q", "-x"]\n'
    )
    pyproject = re.sub(r"\[tool\.mutmut\]\n(?:(?!\n\[).)*\n", section, pyproject, flags=re.S)
    path.write_text(pyproject, encoding="utf-8")


def refresh_tests(group: str, work: Path) -> None:
    """The tree's tests and the group's test selection into an existing scratch folder; mutmut
    then collects again which tests reach which function (its stats)."""
    for target in (work, work / "mutants"):
        if not (target / "tests").is_dir():
            continue
        shutil.rmtree(target / "tests")
        shutil.copytree(
            ROOT / "tests", target / "tests", ignore=shutil.ignore_patterns("__pycache__")
        )
        if (target / "pyproject.toml").is_file():
            _write_config(groups()[group], target / "pyproject.toml")
    (work / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)


def not_killed(work: Path, env: dict[str, str]) -> list[str]:
    """The names of the scratch folder's mutants that survived, timed out or had no test."""
    mutmut = Path(sys.executable).with_name("mutmut")
    listed = subprocess.run(
        [str(mutmut), "results"], cwd=work, env=env, capture_output=True, text=True, check=True
    ).stdout
    found = re.findall(r"^\s*(\S+): (?:survived|no tests|timeout)\s*$", listed, flags=re.M)
    return found


def build_portal_template(work: Path) -> Path:
    """A demo-seeded SQLite portal in ``work``, seeded by the scratch copy's unmutated code
    (passwords hashed cheaply, as the tests' portal does in a mutation run).

    The tests' ``portal`` fixture copies it (``LABDESK_TEST_PORTAL_TEMPLATE``) instead of seeding
    the demo again in every mutant's session, which was most of a portal mutant's cost.
    """
    template = work / "portal-template"
    if not (template / "portal.db").is_file():
        shutil.rmtree(template, ignore_errors=True)
        seed = (
            "import sys; from pathlib import Path\n"
            "import tests.conftest  # the cheap password hashing of the tests' portal\n"
            "from labdesk.server.demo import seed_demo\n"
            "from labdesk.server.settings import ServerSettings\n"
            "seed_demo(ServerSettings(data_dir=Path(sys.argv[1]), demo=True))\n"
        )
        env = {**os.environ, "PYTHONPATH": str(work), "LABDESK_TEST_FAST_PASSWORDS": "1"}
        subprocess.run([sys.executable, "-c", seed, str(template)], cwd=work, env=env, check=True)
    return template


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("group", nargs="?")
    parser.add_argument("--list", action="store_true", help="list the groups")
    parser.add_argument("--work", type=Path, help="scratch folder (default /tmp/labdesk-mut-GROUP)")
    parser.add_argument("--max-children", type=int, default=2)
    parser.add_argument(
        "--keep", action="store_true", help="reuse the scratch folder (mutmut resumes)"
    )
    parser.add_argument(
        "--refresh-tests",
        action="store_true",
        help="with --keep: copy the tree's tests and test selection into the scratch folder",
    )
    parser.add_argument(
        "--not-killed",
        action="store_true",
        help="with --keep: run again the mutants that survived, timed out or had no test",
    )
    parser.add_argument("names", nargs="*", help="mutant name patterns (mutmut run NAMES)")
    args = parser.parse_args()
    if args.list or not args.group:
        for name, chosen in groups().items():
            print(f"{name}: {' '.join(chosen['only_mutate'])}")
        return 0
    work = args.work or Path(f"/tmp/labdesk-mut-{args.group}")
    if not (args.keep and work.exists()):
        prepare(args.group, work)
    elif args.refresh_tests:
        refresh_tests(args.group, work)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env["LABDESK_TEST_PORTAL_TEMPLATE"] = str(build_portal_template(work))
    env["LABDESK_TEST_FAST_PASSWORDS"] = "1"
    env.pop("PYTHONPATH", None)  # mutmut puts its mutants/ first on the path
    mutmut = Path(sys.executable).with_name("mutmut")
    names = list(args.names)
    if args.not_killed:
        names += not_killed(work, env)
        if not names:
            print("every mutant was killed")
            return 0
    run = [str(mutmut), "run", "--max-children", str(args.max_children), *names]
    code = subprocess.call(run, cwd=work, env=env)
    subprocess.call([str(mutmut), "results"], cwd=work, env=env)
    print(f"results and `mutmut show NAME` in {work}")
    return code


if __name__ == "__main__":
    sys.exit(main())
