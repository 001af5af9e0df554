"""Reading rendered PDFs back with poppler's tools (an independent reader)."""

from __future__ import annotations

import subprocess
from pathlib import Path


def pdf_text(pdf: Path, *options: str) -> str:
    """The text of *pdf* as ``pdftotext`` reads it (UTF-8; *options* such as ``-layout``
    or ``-f 1 -l 1`` go before the file)."""
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *options, str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page of *pdf*, in content-stream order (``pdftotext -raw``: a name
    wrapped inside a table cell stays together)."""
    return pdf_text(pdf, "-raw").split("\f")[:-1]
