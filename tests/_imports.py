"""What an import loads, seen from a new interpreter (nothing of this test session's)."""

from __future__ import annotations

import subprocess
import sys


def fresh_import(statement: str, watched: tuple[str, ...], shown: str) -> tuple[list[str], str]:
    """Run *statement* in a new interpreter: which of the *watched* modules it loaded, and
    what printing *shown* (expressions, comma-separated) then prints: it may load more."""
    code = (
        f"import sys\n{statement}\n"
        f"print(','.join(m for m in {watched!r} if m in sys.modules))\n"
        f"print({shown})\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded, value = done.stdout.splitlines()
    return [name for name in loaded.split(",") if name], value
