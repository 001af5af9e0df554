"""Signals during the output stage: no staging folder left, the earlier outputs intact.

Each test runs a real subprocess that stages outputs with :func:`tours._atomic.staged_outputs`
and is killed while its partial files sit in the staging folder.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tours._atomic import STAGE_PREFIX, remove_stale_stages, staged_outputs

_STAGING_RUN = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from tours._atomic import staged_outputs

    with staged_outputs(Path(sys.argv[1])) as stage:
        (stage / "itinerary.json").write_text("new, partial")
        print("staged", flush=True)
        time.sleep(60)
    """
)


def _start(out_dir: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _STAGING_RUN, str(out_dir)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "staged"
    return proc


def _wait(proc: subprocess.Popen[str]) -> int:
    code = proc.wait(timeout=30)
    assert proc.stdout is not None
    proc.stdout.close()
    return code


def _stages(out_dir: Path) -> list[Path]:
    return sorted(out_dir.glob(f"{STAGE_PREFIX}*"))


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_signal_during_staging_cleans_up(tmp_path: Path, signum: int) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "itinerary.json").write_text("old plan")
    proc = _start(out_dir)
    assert len(_stages(out_dir)) == 1  # the partial file is staged, not in place
    proc.send_signal(signum)
    code = _wait(proc)
    assert code != 0
    if signum != signal.SIGINT:
        assert code == -signum  # the process still ends the way the signal says
    assert _stages(out_dir) == []
    assert (out_dir / "itinerary.json").read_text() == "old plan"
    assert sorted(p.name for p in out_dir.iterdir()) == ["itinerary.json"]


def test_next_run_removes_the_stage_of_a_killed_run(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "itinerary.json").write_text("old plan")
    proc = _start(out_dir)
    proc.kill()  # SIGKILL: no chance to clean up
    _wait(proc)
    assert len(_stages(out_dir)) == 1
    with staged_outputs(out_dir) as stage:
        (stage / "itinerary.json").write_text("new plan")
    assert _stages(out_dir) == []
    assert (out_dir / "itinerary.json").read_text() == "new plan"


def test_stages_of_live_runs_and_other_folders_are_kept(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    proc = _start(out_dir)  # a live run
    try:
        live = _stages(out_dir)
        mine = out_dir / f"{STAGE_PREFIX}{os.getpid()}-abc"
        unnamed = out_dir / f"{STAGE_PREFIX}notapid"
        other = out_dir / "photos"
        for folder in (mine, unnamed, other):
            folder.mkdir()
        # a pid that surely does not run: above the kernel's pid limit
        dead = out_dir / f"{STAGE_PREFIX}{2**22 + 17}-xyz"
        dead.mkdir()
        (dead / "itinerary.json").write_text("partial")
        assert remove_stale_stages(out_dir) == [dead]
        assert sorted(_stages(out_dir)) == sorted([*live, mine, unnamed])
        assert other.is_dir()
    finally:
        proc.kill()
        _wait(proc)


def test_failure_inside_staging_keeps_old_outputs(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "itinerary.json").write_text("old plan")
    with pytest.raises(RuntimeError), staged_outputs(out_dir) as stage:
        (stage / "itinerary.json").write_text("partial")
        raise RuntimeError
    assert _stages(out_dir) == []
    assert (out_dir / "itinerary.json").read_text() == "old plan"
