"""The schedule as CSV: one row per item (visit, appointment, meal, leg).

``stop`` is the stop's number as printed (legs are blank), ``address`` the place's address.
``start`` and ``end`` are the times every output shows (:func:`maps._schedule.clock`) and
``duration_min`` is end minus start, so the columns always add up.

UTF-8 with a byte order mark so spreadsheet programs (Excel) show Chinese names. Text cells
that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` …) get a leading ``'``:
place names come from OSM and request files.
"""

from __future__ import annotations

import csv
import io

from maps._schedule import city_tz, clock, shown_minutes, stop_title
from tours.itinerary import Itinerary, Leg

COLUMNS = (
    "day",
    "date",
    "stop",
    "start",
    "end",
    "kind",
    "title",
    "place_id",
    "name_en",
    "name_zh",
    "address",
    "from_id",
    "from_en",
    "from_zh",
    "to_id",
    "to_en",
    "to_zh",
    "mode",
    "distance_m",
    "duration_min",
    "lat",
    "lon",
    "uid",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_rows(itinerary: Itinerary) -> list[dict[str, str]]:
    """One dict per item, keys :data:`COLUMNS`, times local to the city (``HH:MM``)."""
    tz = city_tz(itinerary)
    rows: list[dict[str, str]] = []
    for number, day in enumerate(itinerary.days, start=1):
        places = day.places_by_id
        stop = 0
        for item in day.items:
            row = dict.fromkeys(COLUMNS, "")
            row.update(
                day=str(number),
                date=day.date.isoformat(),
                start=f"{clock(item.start.astimezone(tz)):%H:%M}",
                end=f"{clock(item.end.astimezone(tz)):%H:%M}",
                kind=item.kind,
                duration_min=str(shown_minutes(item.start, item.end)),
                uid=item.uid,
            )
            if isinstance(item, Leg):
                origin, target = places.get(item.from_id), places.get(item.to_id)
                row.update(
                    from_id=item.from_id,
                    to_id=item.to_id,
                    mode=item.mode,
                    distance_m=f"{item.distance_m:.0f}",
                    title=f"{item.mode} to {target.name_en if target else item.to_id}",
                )
                if origin:
                    row.update(from_en=origin.name_en, from_zh=origin.name_zh)
                if target:
                    row.update(to_en=target.name_en, to_zh=target.name_zh)
            else:
                place = item.place
                stop += 1
                row.update(
                    stop=str(stop),
                    address=place.address_zh,
                    title=stop_title(item),
                    place_id=place.id,
                    name_en=place.name_en,
                    name_zh=place.name_zh,
                    lat=f"{place.lat:.6f}",
                    lon=f"{place.lon:.6f}",
                )
            rows.append(row)
    return rows


def csv_bytes(itinerary: Itinerary) -> bytes:
    """The CSV file content: UTF-8 with BOM, CRLF line ends, header row first."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in csv_rows(itinerary):
        writer.writerow({key: _cell(key, value) for key, value in row.items()})
    return buffer.getvalue().encode("utf-8-sig")


def _cell(key: str, value: str) -> str:
    """Neutralise spreadsheet formulas in free-text cells (numbers stay numbers)."""
    if key in {"distance_m", "duration_min", "lat", "lon", "day"}:
        return value
    return f"'{value}" if value.startswith(_FORMULA_START) else value
