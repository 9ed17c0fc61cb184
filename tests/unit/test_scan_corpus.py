"""Issue 12: the scan corpus, each file loaded and checked in a subprocess with a time and a
memory bound: no crash, no hang, no Python internals in a message, and the valid files
(written the way MeshLab, Blender and exocad write them) load with the right counts.

The worker is ``tests/scan_corpus.py``; several files run per subprocess to keep the CI cost
low. When a file crashes or hangs its worker, the rest of the group goes on in a new one.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO

import pytest

from tests.scan_corpus import INTERNALS, Sample, corpus

SECONDS_PER_FILE = 20.0
MEMORY_BYTES = 1_500_000_000
GROUPS = 2
ROOT = Path(__file__).resolve().parents[2]


def _run_group(paths: list[Path]) -> dict[str, dict[str, object]]:
    """Results by file name; a crash or a hang is recorded as such and the group goes on."""
    results: dict[str, dict[str, object]] = {}
    pending = list(paths)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    while pending:
        before = len(results)
        with tempfile.TemporaryFile("w+") as errors:
            _run_worker(pending, env, errors, results)
        if len(results) == before:  # the worker died before it started a file
            results[str(pending[0])] = {"crashed": True}
        pending = [p for p in pending if str(p) not in results]
    return results


def _run_worker(
    pending: list[Path], env: dict[str, str], errors: IO[str], results: dict[str, dict[str, object]]
) -> None:
    """One worker over ``pending`` until it ends, crashes or hangs (then it is killed)."""
    with subprocess.Popen(
        [sys.executable, "-m", "tests.scan_corpus", str(MEMORY_BYTES), *map(str, pending)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=errors,
        text=True,
    ) as proc:
        lines: queue.Queue[str | None] = queue.Queue()

        def pump() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                lines.put(line)
            lines.put(None)

        threading.Thread(target=pump, daemon=True).start()
        current: str | None = None
        deadline = time.monotonic() + SECONDS_PER_FILE + 10  # the first file pays the imports
        while True:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                proc.kill()
                results[current or str(pending[0])] = {"hung": True}
                return
            if line is None:  # the worker ended
                proc.wait()
                if current is not None:
                    errors.seek(0)
                    results[current] = {"crashed": True, "stderr": errors.read()[-2000:]}
                return
            event = json.loads(line)
            if "start" in event:
                current = event["start"]
                deadline = time.monotonic() + SECONDS_PER_FILE
            else:
                results[event.pop("done")] = event
                current = None


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Sample], dict[str, dict]]:
    folder = tmp_path_factory.mktemp("scan-corpus")
    samples = corpus()
    paths = [s.write(folder) for s in samples]
    results: dict[str, dict[str, object]] = {}
    started = time.perf_counter()
    for group in range(GROUPS):
        results.update(_run_group(paths[group::GROUPS]))
    elapsed = time.perf_counter() - started
    by_name = {Path(k).name: v for k, v in results.items()}
    crashed = sum(1 for r in by_name.values() if r.get("crashed"))
    hung = sum(1 for r in by_name.values() if r.get("hung"))
    print(
        f"\nscan corpus: files tried {len(samples)}, crashed {crashed}, hung {hung} "
        f"({elapsed:.1f} s, {GROUPS} worker processes, limits {SECONDS_PER_FILE:.0f} s and "
        f"{MEMORY_BYTES / 1e9:.1f} GB per file)"
    )
    return samples, by_name


def test_no_file_crashes_or_hangs(outcome: tuple[list[Sample], dict[str, dict]]) -> None:
    samples, results = outcome
    assert sorted(results) == sorted(s.name for s in samples)
    bad = {name: r for name, r in results.items() if r.get("crashed") or r.get("hung")}
    assert not bad


def test_no_python_internals_in_any_message(outcome: tuple[list[Sample], dict[str, dict]]) -> None:
    _, results = outcome
    for name, result in results.items():
        texts = [str(result.get("message", ""))] + [str(w) for w in result.get("warnings", [])]
        for text in texts:
            leaked = [word for word in INTERNALS if word in text]
            assert not leaked, f"{name}: {text!r}"
        if not result.get("ok"):
            assert result.get("message"), name


def test_valid_files_load_with_the_right_counts(
    outcome: tuple[list[Sample], dict[str, dict]],
) -> None:
    samples, results = outcome
    for sample in samples:
        result = results[sample.name]
        if sample.faces is None:
            continue
        assert result.get("ok"), f"{sample.name}: {result}"
        assert result["faces"] == sample.faces, sample.name
        if sample.vertices is not None:
            assert result["vertices"] == sample.vertices, sample.name
        if sample.warning is not None:
            assert any(sample.warning in w for w in result["warnings"]), (sample.name, result)


def test_refusals_say_what_is_wrong(outcome: tuple[list[Sample], dict[str, dict]]) -> None:
    samples, results = outcome
    for sample in samples:
        if sample.message is None:
            continue
        result = results[sample.name]
        assert not result.get("ok"), f"{sample.name} loaded"
        assert sample.message in str(result["message"]), (sample.name, result["message"])
