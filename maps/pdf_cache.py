"""The printed PDF, cached by content: the same print HTML gives the same PDF bytes.

WeasyPrint's layout is the slowest output (seconds of pure Python). Its result depends only
on the HTML (day-map images included as data URIs), the WeasyPrint and pydyf versions, the
installed fonts and the code that calls WeasyPrint, and it is byte-identical for the same
inputs. :func:`pdf_bytes` keys a cache entry on all of these, so a run whose print did not
change (``tours plan`` again, an export of the same itinerary) reads the PDF instead of
laying it out again; any change to the itinerary, language, template or fonts is another
key. Entries are written atomically and removed by ``tours network clear-cache``.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

from maps._cache_keys import cache_folder, content_key, fonts_fingerprint, versions
from routing._cache import keep_newest, mark_used, write_atomic

#: The cache folder's name under the cache root.
CACHE_FOLDER = "print"
#: Bump when the same HTML is rendered differently (invalidates cached PDFs).
PDF_CACHE_FORMAT = 1
#: PDFs kept (the newest laid out or read): about 1 MB each.
KEEP_FILES = 60


def pdf_bytes(html: str, *, cache_dir: Path | bool | None = None) -> bytes:
    """A4 PDF bytes of the print *html* (:func:`maps.print_pdf.html_to_pdf`), cached.

    Parameters
    ----------
    cache_dir
        Cache root; ``None`` uses ``$TOURS_CACHE_DIR`` or the user cache folder; ``False``
        always renders.
    """
    folder = cache_folder(cache_dir, CACHE_FOLDER)
    path = None if folder is None else folder / f"{_key(html)}.pdf"
    if path is not None:
        with contextlib.suppress(OSError):
            cached = path.read_bytes()
            if cached.startswith(b"%PDF-") and cached.rstrip().endswith(b"%%EOF"):
                mark_used(path)
                return cached
    from maps.print_pdf import html_to_pdf  # noqa: PLC0415 (WeasyPrint loads on a miss only)

    pdf = html_to_pdf(html)
    if path is not None:
        with contextlib.suppress(OSError):  # a read-only cache must not stop the print
            write_atomic(path, pdf)
        keep_newest(path.parent, KEEP_FILES)
    return pdf


def _key(html: str) -> str:
    """A hash of everything the PDF depends on."""
    facts = {
        "format": PDF_CACHE_FORMAT,
        **versions("weasyprint", "pydyf"),
        "fonts": fonts_fingerprint(),
        # how the HTML is laid out (html_to_pdf's options) is code, not HTML
        "code": hashlib.sha256(Path(__file__).with_name("print_pdf.py").read_bytes()).hexdigest(),
    }
    return content_key(facts, html)
