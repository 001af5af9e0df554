"""The one rule for showing times: rounded up to the whole minute (:mod:`tours.timetext`).

A leg that ends 13:14:54 arrives "13:15", and the visit that starts then starts "13:15". The
CLI, the print, the CSV, the calendar texts and the maps all show times through
:func:`clock`, so a shown end minus a shown start is always the shown duration
(:func:`shown_minutes`).
"""

from __future__ import annotations

from tours.timetext import ceil_minute as clock
from tours.timetext import shown_minutes

__all__ = ["clock", "shown_minutes"]
