"""Helpers for tests of ``tours`` commands."""

from __future__ import annotations


def one_error(output: str) -> str:
    """The one ``Error:`` line of a command's output (no traceback, no second error)."""
    assert "Traceback" not in output, output
    errors = [line for line in output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, output
    return errors[0]
