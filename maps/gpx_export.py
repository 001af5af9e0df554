"""The programme as GPX 1.1 (gpxpy) for guides' navigation apps (OsmAnd, Organic Maps).

Per day one track with one segment that follows the street geometry of all legs in order
(the shared point where one leg ends and the next begins appears once), and a waypoint per
stop named in English and Chinese, numbered as in the printed schedule.
"""

from __future__ import annotations

import datetime as dt

import gpxpy.gpx

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


def build_gpx(itinerary: Itinerary) -> gpxpy.gpx.GPX:
    """A :class:`gpxpy.gpx.GPX` with a track per day and a waypoint per stop."""
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
            name=f"Day {number} ({day.date.isoformat()})", description=_track_description(rows)
        )
        track.number = number
        track.type = "tour"  # type: ignore[assignment]  # gpxpy annotates it as None
        segment = gpxpy.gpx.GPXTrackSegment()
        segment.points = [gpxpy.gpx.GPXTrackPoint(lat, lon) for lat, lon in day_track_points(day)]
        track.segments.append(segment)
        gpx.tracks.append(track)
        gpx.waypoints.extend(_waypoint(row, day_number=number) for row in rows)
    return gpx


def gpx_text(itinerary: Itinerary) -> str:
    """The GPX 1.1 document as text."""
    return build_gpx(itinerary).to_xml(version="1.1")


def _waypoint(row: Row, *, day_number: int) -> gpxpy.gpx.GPXWaypoint:
    place = row.place
    name = f"D{day_number}-{row.label} {place.name_en}"
    if place.name_zh:
        name += f" / {place.name_zh}"
    when = f"{row.start:%H:%M}" + (f"-{row.end:%H:%M}" if row.minutes else "")
    desc = [f"Day {day_number} {when}: {row.what}"]
    if row.note:
        desc.append(row.note)
    if row.travel:
        desc.append(f"Next: {row.travel_text}")
    desc += [f"{label}: {text}" for label, text in place_facts(place)]
    return gpxpy.gpx.GPXWaypoint(
        latitude=place.lat,
        longitude=place.lon,
        name=name,
        description="\n".join(desc),
        comment=place.name_zh or None,
        time=row.start.astimezone(dt.UTC),
        symbol="Flag, Blue" if row.kind in PASSING_KINDS else "Waypoint",
        type=row.kind,
    )


def _track_description(rows: list[Row]) -> str:
    return " -> ".join(f"{row.label} {row.place.name_en}" for row in rows)
