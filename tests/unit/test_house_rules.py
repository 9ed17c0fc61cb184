"""The house rules that a review would otherwise have to remember (docs/architecture.md): no
circle in the import graph, no module over 600 lines outside the generated forms."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_circle_in_the_import_graph() -> None:
    spec = importlib.util.spec_from_file_location(
        "import_cycles", ROOT / "scripts/import_cycles.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.find_cycles() == []


def test_no_module_over_600_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): n
        for path in (ROOT / "labdesk").rglob("*.py")
        if "forms" not in path.parts and (n := len(path.read_text().splitlines())) > 600
    }
    assert long == {}
