"""Wall and CPU seconds of one command, as the timing scripts measure a run of ``tours``.

Shared by ``bench/coldstart.py`` and ``bench/plan_outputs.py``: the CPU seconds are user +
system of the command and every process it waited for (its workers), so they do not grow
with the machine's load as the wall seconds do.
"""

from __future__ import annotations

import resource
import subprocess
import time
from pathlib import Path


def timed_run(
    command: list[str], *, env: dict[str, str], cwd: Path, what: str
) -> tuple[float, float]:
    """Run *command* and return its wall and CPU seconds.

    Parameters
    ----------
    command
        The program and its arguments.
    env, cwd
        Its environment and working folder.
    what
        What the command does, for the message when it fails (``SystemExit`` with its
        exit code and standard error).
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        msg = f"{what} failed ({done.returncode}):\n{done.stderr}"
        raise SystemExit(msg)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu
