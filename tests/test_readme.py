"""The README's "Python quick start" runs as written, and prints what it says it prints."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest
from conftest import ROOT

README = ROOT / "README.md"


def _quick_start() -> tuple[str, list[str]]:
    """The Python block under "## Python quick start" and the outputs its comments show."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Python quick start", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert match is not None, "README.md: no ```python block in the Python quick start"
    code = match.group(1)
    expected = [
        line.removeprefix("# ")
        for prev, line in zip(code.splitlines(), code.splitlines()[1:], strict=False)
        if prev.startswith("print(") and line.startswith("# ")
    ]
    return code, expected


def test_python_quick_start_runs_as_written(
    tmp_path: Path, routing_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, expected = _quick_start()
    assert len(expected) == 4
    monkeypatch.chdir(ROOT)
    # the session's network cache: the extract is parsed once per session, not again here
    monkeypatch.setenv("TOURS_CACHE_DIR", str(routing_cache))
    code = code.replace('"out/notebook"', repr(str(tmp_path / "notebook")))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, str(README), "exec"), {"__name__": "readme"})  # noqa: S102
    assert out.getvalue().splitlines() == expected
    assert (tmp_path / "notebook" / "itinerary.ics").is_file()
