"""``tests/test_output_worker.py`` in a process of its own.

The output worker forks only a process with no other thread; in a whole test session earlier
tests may leave threads behind (Dask's offload thread, for one), and that module then skips
itself. Here it runs in a fresh interpreter, where the worker really starts.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(
    len(os.sched_getaffinity(0)) < 2 or "fork" not in multiprocessing.get_all_start_methods(),
    reason="no second core or no fork here",
)
def test_the_output_worker_tests_pass_in_a_process_of_their_own() -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-rs",
            "tests/test_output_worker.py",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    summary = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    source = (ROOT / "tests" / "test_output_worker.py").read_text(encoding="utf-8")
    tests = source.count("\ndef test_")
    assert f"{tests} passed" in summary and "skipped" not in summary, summary
