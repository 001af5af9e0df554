"""The programme as GPX 1.1 (gpxpy) for guides' navigation apps (OsmAnd, Organic Maps).

Per day one track with one segment that follows the street geometry of all legs in order
(the shared point where one leg ends and the next begins appears once), and a waypoint per
stop named in English and Chinese, numbered as in the printed schedule.
"""

from __future__ import annotations

import datetime as dt

import gpxpy.gpx

from maps._names import Languages
from maps._schedule import PASSING_KINDS, Row, city_tz, day_rows, place_facts
from tours.itinerary import Day, Itinerary

CREATOR = "tours"
ODBL_URL = "https://opendatacommons.org/licenses/odbl/"


def day_track_points(day: Day) -> list[tuple[float, float]]:
    """The day's route as ``(lat, lon)`` points: all legs joined, join duplicates dropped."""
    points: list[tuple[float, float]] = []
    for leg in day.legs:
        for lat, lon in leg.geometry:
            if points and points[-1] == (lat, lon):
                continue
            points.append((lat, lon))
    return points


def build_gpx(itinerary: Itinerary, *, language: str | None = None) -> gpxpy.gpx.GPX:
    """A :class:`gpxpy.gpx.GPX` with a track per day and a waypoint per stop.

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
    gpx.description = f"{itinerary.delegation.name}, {itinerary.city.name_en}"
    gpx.copyright_author = "OpenStreetMap contributors"
    gpx.copyright_license = ODBL_URL
    if itinerary.days:
        gpx.copyright_year = str(itinerary.days[0].date.year)
        gpx.time = itinerary.days[0].start.astimezone(dt.UTC)
    for number, day in enumerate(itinerary.days, start=1):
        rows = day_rows(day, tz)
        track = gpxpy.gpx.GPXTrack(
            name=_("Day %(num)s (%(date)s)") % {"num": number, "date": t.date_short(day.date)},
            description=_track_description(rows, langs),
        )
        track.number = number
        track.type = "tour"  # type: ignore[assignment]  # gpxpy annotates it as None
        segment = gpxpy.gpx.GPXTrackSegment()
        segment.points = [gpxpy.gpx.GPXTrackPoint(lat, lon) for lat, lon in day_track_points(day)]
        track.segments.append(segment)
        gpx.tracks.append(track)
        gpx.waypoints.extend(_waypoint(row, day_number=number, langs=langs) for row in rows)
    return gpx


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
        desc.append(row.note)
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


def _track_description(rows: list[Row], langs: Languages) -> str:
    return " -> ".join(f"{row.label} {langs.primary(row.place).text}" for row in rows)
