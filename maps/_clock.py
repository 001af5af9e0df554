"""The one rule for showing times: rounded up to the whole minute.

A leg that ends 13:14:54 arrives "13:15", and the visit that starts then starts "13:15". The
CLI, the print, the CSV, the calendar texts and the maps all show times through
:func:`clock`, so a shown end minus a shown start is always the shown duration
(:func:`shown_minutes`).
"""

from __future__ import annotations

import datetime as dt


def clock(when: dt.datetime) -> dt.datetime:
    """*when* rounded up to the whole minute."""
    floor = when.replace(second=0, microsecond=0)
    return floor if floor == when else floor + dt.timedelta(minutes=1)


def shown_minutes(start: dt.datetime, end: dt.datetime) -> int:
    """Whole minutes from the shown *start* to the shown *end* (:func:`clock`)."""
    return round((clock(end) - clock(start)).total_seconds() / 60)
