"""The schedule as CSV: one row per item (visit, appointment, meal, leg).

``stop`` is the stop's number as printed (legs are blank), ``address`` the place's address
(the nearest-street fallback marked "near ... (nearest street, no postal address)"),
``address_source`` where it comes from (``pack``, ``osm:<element>``, ``nearest street:<way>``)
and ``restaurant`` the restaurant suggested for a meal taken where the group is.
``start`` and ``end`` are the times every output shows (:func:`maps._schedule.clock`) and
``duration_min`` is end minus start, so the columns always add up.

UTF-8 with a byte order mark so spreadsheet programs (Excel) show Chinese names. Text cells
that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` …) get a leading ``'``:
place names come from OSM and request files.

The header row is in the delegation's language (the English catalog keeps the column keys of
:data:`COLUMNS`, so an English file reads as before); ``name`` and ``name_local`` give the
place's name in the delegation's language and in the city's local language.
"""

from __future__ import annotations

import csv
import io

from maps._clock import clock, shown_minutes
from maps._names import Languages
from maps._schedule import (
    MODE_LABELS,
    address_in,
    city_tz,
    meal_place_in,
    stop_title,
)
from maps.i18n import NC_, Translator
from tours.itinerary import Address, Itinerary, Leg, Meal

COLUMNS = (
    "day",
    "date",
    "start",
    "end",
    "kind",
    "title",
    "place_id",
    "name_en",
    "name_zh",
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
    "name",
    "name_local",
    "stop",
    "address",
    "address_source",
    "restaurant",
)
#: Header labels by column: ``(context, message id)``.
HEADERS: dict[str, tuple[str, str]] = {
    "day": NC_("csv column", "day"),
    "date": NC_("csv column", "date"),
    "stop": NC_("csv column", "stop"),
    "start": NC_("csv column", "start"),
    "end": NC_("csv column", "end"),
    "kind": NC_("csv column", "kind"),
    "title": NC_("csv column", "title"),
    "place_id": NC_("csv column", "place_id"),
    "name_en": NC_("csv column", "name_en"),
    "name_zh": NC_("csv column", "name_zh"),
    "address": NC_("csv column", "address"),
    "from_id": NC_("csv column", "from_id"),
    "from_en": NC_("csv column", "from_en"),
    "from_zh": NC_("csv column", "from_zh"),
    "to_id": NC_("csv column", "to_id"),
    "to_en": NC_("csv column", "to_en"),
    "to_zh": NC_("csv column", "to_zh"),
    "mode": NC_("csv column", "mode"),
    "distance_m": NC_("csv column", "distance_m"),
    "duration_min": NC_("csv column", "duration_min"),
    "lat": NC_("csv column", "lat"),
    "lon": NC_("csv column", "lon"),
    "uid": NC_("csv column", "uid"),
    "name": NC_("csv column", "name"),
    "name_local": NC_("csv column", "name_local"),
    "address_source": NC_("csv column", "address_source"),
    "restaurant": NC_("csv column", "restaurant"),
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_header(t: Translator) -> list[str]:
    """The header row in the language of *t* (the column keys in English)."""
    return [t.pgettext(*HEADERS[key]) for key in COLUMNS]


def csv_rows(itinerary: Itinerary, *, language: str | None = None) -> list[dict[str, str]]:
    """One dict per item, keys :data:`COLUMNS`, times local to the city (``HH:MM``).

    ``title`` and ``name`` are in *language* (``None``: the delegation's first one).
    """
    langs = Languages.of(itinerary, language=language)
    _ = langs.t.gettext
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
                    title=_("%(mode)s to %(place)s")
                    % {
                        "mode": _(MODE_LABELS[item.mode])
                        if item.mode in MODE_LABELS
                        else item.mode,
                        "place": langs.primary(target).text if target else item.to_id,
                    },
                )
                if origin:
                    row.update(from_en=origin.name_en, from_zh=origin.name_zh)
                if target:
                    row.update(to_en=target.name_en, to_zh=target.name_zh)
            else:
                place = item.place
                local = langs.local_name(place)
                stop += 1
                row.update(
                    stop=str(stop),
                    address=address_in(place, langs.t),
                    address_source=_address_source(place.address, bool(place.address_zh)),
                    restaurant=meal_place_in(item.restaurant, langs.t, local_language=langs.local)
                    if isinstance(item, Meal) and item.restaurant is not None
                    else "",
                    title=_(stop_title(item)) if item.kind == "visit" else stop_title(item),
                    place_id=place.id,
                    name=langs.primary(place).text,
                    name_local=local.text if local else "",
                    name_en=place.name_en,
                    name_zh=place.name_zh,
                    lat=f"{place.lat:.6f}",
                    lon=f"{place.lon:.6f}",
                )
            rows.append(row)
    return rows


def _address_source(address: Address | None, from_pack: bool) -> str:
    """``pack``, ``osm:node/123`` or ``nearest street:way/456`` (``""``: no address)."""
    if address is None:
        return "pack" if from_pack else ""
    if address.source == "street":
        return f"nearest street:{address.osm_id}"
    return f"osm:{address.osm_id}" if address.source == "osm" else "pack"


def csv_bytes(itinerary: Itinerary, *, language: str | None = None) -> bytes:
    """The CSV file content: UTF-8 with BOM, CRLF line ends, header row first."""
    langs = Languages.of(itinerary, language=language)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(csv_header(langs.t))
    for row in csv_rows(itinerary, language=langs.key):
        writer.writerow([_cell(key, row[key]) for key in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def _cell(key: str, value: str) -> str:
    """Neutralise spreadsheet formulas in free-text cells (numbers stay numbers)."""
    if key in {"distance_m", "duration_min", "lat", "lon", "day"}:
        return value
    return f"'{value}" if value.startswith(_FORMULA_START) else value
