"""The programme as GPX 1.1 (gpxpy) for guides' navigation apps (OsmAnd, Organic Maps).

Per day, one track for each stretch travelled the same way: a coach transfer and the walk
after it are separate tracks with ``<type>`` ``coach`` or ``walk``, numbered in order and
named ``Day 1 · 2 walk``; each follows the street geometry of its legs (the point where one
leg ends and the next begins appears once). Waypoints follow in visiting order, day by day,
named with the place's names and numbered as in the printed schedule; the hotel a day starts
and ends at is one waypoint of that day. The delegation's contacts are in the description.
"""

from __future__ import annotations

import datetime as dt

import gpxpy.gpx

from maps._clock import shown_minutes
from maps._names import Languages
from maps._schedule import (
    MODE_LABELS,
    PASSING_KINDS,
    Row,
    city_tz,
    day_rows,
    place_facts,
)
from tours.itinerary import Day, Itinerary, Leg

CREATOR = "tours"
ODBL_URL = "https://opendatacommons.org/licenses/odbl/"


def day_track_points(day: Day) -> list[tuple[float, float]]:
    """The day's route as ``(lat, lon)`` points: all legs joined, join duplicates dropped."""
    return _joined(day.legs)


def mode_runs(day: Day) -> list[tuple[str, list[Leg]]]:
    """The day's legs in runs of one travel mode: ``[("coach", [...]), ("walk", [...])]``."""
    runs: list[tuple[str, list[Leg]]] = []
    for leg in day.legs:
        if runs and runs[-1][0] == leg.mode:
            runs[-1][1].append(leg)
        else:
            runs.append((leg.mode, [leg]))
    return runs


def _joined(legs: list[Leg]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for leg in legs:
        for lat, lon in leg.geometry:
            if points and points[-1] == (lat, lon):
                continue
            points.append((lat, lon))
    return points


def build_gpx(itinerary: Itinerary, *, language: str | None = None) -> gpxpy.gpx.GPX:
    """A :class:`gpxpy.gpx.GPX`: per day a track per coach or walking stretch, waypoints.

    Names and descriptions are in *language* (``None``: the delegation's first one); a
    waypoint's name gives the place's names in every language shown (see
    :class:`maps._names.Languages`), its comment the local name for drivers.
    """
    langs = Languages.of(itinerary, language=language)
    t = langs.t
    _ = t.gettext
    tz = city_tz(itinerary)
    gpx = gpxpy.gpx.GPX()
    gpx.creator = CREATOR
    gpx.name = itinerary.title
    gpx.description = "\n".join(
        [f"{itinerary.delegation.name}, {itinerary.city.name_en}", *itinerary.delegation.contacts]
    )
    gpx.copyright_author = "OpenStreetMap contributors"
    gpx.copyright_license = ODBL_URL
    if itinerary.days:
        gpx.copyright_year = str(itinerary.days[0].date.year)
        gpx.time = itinerary.days[0].start.astimezone(dt.UTC)
    number = 0
    for day_number, day in enumerate(itinerary.days, start=1):
        rows = day_rows(day, tz)
        places = day.places_by_id
        for run, (mode, legs) in enumerate(mode_runs(day), start=1):
            points = _joined(legs)
            if len(points) < 2:
                continue
            number += 1
            target = places.get(legs[-1].to_id)
            values = {"num": day_number, "run": run, "mode": _(MODE_LABELS[mode])}
            track = gpxpy.gpx.GPXTrack(
                name=_("Day %(num)s · %(run)s %(mode)s") % values,
                description=_run_description(
                    legs, langs.primary(target).text if target else legs[-1].to_id, langs
                ),
            )
            track.number = number
            track.type = mode  # type: ignore[assignment]  # gpxpy annotates it as None
            segment = gpxpy.gpx.GPXTrackSegment()
            segment.points = [gpxpy.gpx.GPXTrackPoint(lat, lon) for lat, lon in points]
            track.segments.append(segment)
            gpx.tracks.append(track)
        gpx.waypoints.extend(
            _waypoint(row, day_number=day_number, langs=langs) for row in _once(rows)
        )
    return gpx


def _once(rows: list[Row]) -> list[Row]:
    """*rows* without the day's return to the place it started from (one hotel waypoint)."""
    first = rows[0].place.id if rows else None
    return [row for row in rows if not (row.kind == "end" and row.place.id == first)]


def _run_description(legs: list[Leg], target: str, langs: Languages) -> str:
    t = langs.t
    values = {
        "mode": t.gettext(MODE_LABELS[legs[0].mode]),
        "duration": t.minutes(sum(shown_minutes(leg.start, leg.end) for leg in legs)),
        "distance": t.distance(sum(leg.distance_m for leg in legs)),
        "place": target,
    }
    return t.gettext("%(mode)s %(duration)s, %(distance)s, ending at %(place)s") % values


def gpx_text(itinerary: Itinerary, *, language: str | None = None) -> str:
    """The GPX 1.1 document as text."""
    return build_gpx(itinerary, language=language).to_xml(version="1.1")


def _waypoint(row: Row, *, day_number: int, langs: Languages) -> gpxpy.gpx.GPXWaypoint:
    t = langs.t
    _ = t.gettext
    place = row.place
    name = f"D{day_number}-{row.label} {langs.joined(place)}"
    when = t.time(row.start) + (f"-{t.time(row.end)}" if row.end and row.minutes else "")
    desc = [
        _("Day %(num)s %(time)s: %(what)s")
        % {"num": day_number, "time": when, "what": row.what_in(t)}
    ]
    if row.note:
        desc.append(row.note_in(t))
    if row.travel:
        desc.append(_("Next: %(travel)s") % {"travel": row.travel_text_in(t)})
    desc += [f"{label}: {text}" for label, text in place_facts(place, t)]
    local = langs.local_name(place)
    return gpxpy.gpx.GPXWaypoint(
        latitude=place.lat,
        longitude=place.lon,
        name=name,
        description="\n".join(desc),
        comment=(local.text if local else place.name_zh) or None,
        time=row.start.astimezone(dt.UTC),
        symbol="Flag, Blue" if row.kind in PASSING_KINDS else "Waypoint",
        type=row.kind,
    )
