"""The printed schedule of a day: rows of stops with times and travel to the next stop.

Shared by the print (PDF/HTML), the static day maps (stop numbers) and the ICS/GPX/CSV
exports, so every output numbers and describes stops the same way. Everything here is
derived from :class:`tours.itinerary.Itinerary`; no facts are added.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from maps._clock import clock, shown_minutes
from maps.i18n import N_, Translator, translator
from tours.itinerary import (
    Appointment,
    Day,
    Itinerary,
    LeftOut,
    Leg,
    Meal,
    MealPlace,
    PlaceRef,
    Visit,
)
from tours.modes import MODES

#: Modes in running text ("walk 12 min"): ``tours.modes`` labels lower-cased, translated when
#: shown (listed for extraction in :data:`MODE_MESSAGES`).
MODE_LABELS = {mode.id: mode.label.lower() for mode in MODES.values()}
MODE_MESSAGES = (N_("walk"), N_("coach"))
#: What a row that is no event says, by row kind (translated when shown).
ROW_WHAT = {
    "start": N_("Departure"),
    "end": N_("Return"),
    "waypoint": N_("Passing"),
    "visit": N_("Visit"),
}
#: Why a place is left out, by :attr:`tours.itinerary.LeftOut.code`, for the outputs in other
#: languages than English (the planner's English reason gives the details).
LEFT_OUT_REASONS = {
    "outside_network": N_("outside the street network of this plan"),
    "closed": N_("closed at the times of the visit"),
    "too_long": N_("the visit does not fit into the free time of any day"),
    "walk_limit": N_("it would exceed the day's walking limit"),
    "no_time": N_("not enough time left for it"),
    "skipped": N_("skipped on the day"),
    "blocked": N_("the fixed appointments and meals leave no gap for it"),
    "last_entry": N_("the group would arrive after the last entry"),
    "capacity": N_("fully booked by other delegations at the possible times"),
}
#: Notes the planner writes itself (``tours.itinerary.MEAL_WHERE_THE_GROUP_IS``): translated
#: when shown; notes from the request are printed as written.
PLANNER_NOTES = frozenset({N_("Where the group is at that time, or close by.")})


def note_in(note: str, t: Translator) -> str:
    """*note* in *t*'s language when the planner wrote it, else as written."""
    return t.gettext(note) if note in PLANNER_NOTES else note


def derived_stop_text(place: PlaceRef, t: Translator) -> str:
    """The note of a coach stop the planner took from OpenStreetMap (``osm_id`` set), in
    *t*'s language: nobody checked that a coach may stop there."""
    return t.gettext(
        "Coach stop taken from OpenStreetMap (%(osm)s), not checked: confirm it before the day"
    ) % {"osm": place.osm_id}


#: Row kinds that are no stop of the programme (no calendar event, no duration).
PASSING_KINDS = frozenset({"start", "end", "waypoint"})
WAYPOINT_LABEL = "P"


@dataclass(frozen=True)
class Travel:
    """One leg as printed: ``coach 35 min (incl. 10 min boarding), 1.5 km``."""

    mode: str
    minutes: int
    distance_m: float
    overhead_min: int
    to: PlaceRef | None = None
    origin: PlaceRef | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None

    @property
    def text(self) -> str:
        """Human text for tables and calendar notes, in English."""
        return self.text_in(translator("en"))

    def text_in(self, t: Translator) -> str:
        """The text in the language of *t*: ``Fußweg 12 Min., 850 m``."""
        _ = t.gettext
        mode = _(MODE_LABELS[self.mode]) if self.mode in MODE_LABELS else self.mode
        values = {
            "mode": mode,
            "duration": t.minutes(self.minutes),
            "distance": t.distance(self.distance_m),
            "boarding": t.minutes(self.overhead_min),
        }
        if self.overhead_min:
            return _("%(mode)s %(duration)s (incl. %(boarding)s boarding), %(distance)s") % values
        return _("%(mode)s %(duration)s, %(distance)s") % values


@dataclass
class Row:
    """One line of the day schedule.

    ``label`` is ``"S"`` (day start), ``"E"`` (day end), ``"P"`` (a waypoint the route
    passes, e.g. the position a guide reported to ``tours replan``) or the stop number
    ``"1"``, ``"2"`` …
    ``kind`` : {"start", "end", "waypoint", "visit", "appointment", "meal"}
    """

    label: str
    kind: str
    place: PlaceRef
    start: dt.datetime
    end: dt.datetime | None
    what: str
    note: str = ""
    must_see: bool = False
    uid: str = ""
    travel: list[Travel] = field(default_factory=list)
    arrived_by: list[Travel] = field(default_factory=list)
    restaurant: MealPlace | None = None

    def restaurant_in(self, t: Translator, *, local_language: str = "") -> str:
        """The restaurant suggested for a meal where the group is (:func:`meal_place_in`),
        ``""`` for other rows."""
        if self.restaurant is None:
            return ""
        return meal_place_in(self.restaurant, t, local_language=local_language)

    @property
    def minutes(self) -> int | None:
        """Length of the stop in whole minutes as printed: shown end minus shown start.

        ``None`` for the day's start, end and waypoints.
        """
        if self.end is None or self.kind in PASSING_KINDS:
            return None
        return shown_minutes(self.start, self.end)

    @property
    def shown_start(self) -> str:
        """``HH:MM`` of the start as every output prints it (:func:`clock`)."""
        return f"{clock(self.start):%H:%M}"

    @property
    def shown_end(self) -> str:
        """``HH:MM`` of the end (empty for the day's start, end and waypoints)."""
        return f"{clock(self.end):%H:%M}" if self.end is not None else ""

    def note_in(self, t: Translator) -> str:
        """The row's note in *t*'s language where the planner wrote it (:func:`note_in`)."""
        return note_in(self.note, t)

    @property
    def travel_text(self) -> str:
        """Travel to the next stop, e.g. ``walk 12 min, 850 m``."""
        return " + ".join(t.text for t in self.travel)

    @property
    def arrival_text(self) -> str:
        """How the group got here, e.g. ``walk 12 min, 850 m``."""
        return " + ".join(t.text for t in self.arrived_by)

    def travel_text_in(self, t: Translator) -> str:
        """:attr:`travel_text` in the language of *t*."""
        return " + ".join(leg.text_in(t) for leg in self.travel)

    def arrival_text_in(self, t: Translator) -> str:
        """:attr:`arrival_text` in the language of *t*."""
        return " + ".join(leg.text_in(t) for leg in self.arrived_by)

    def what_in(self, t: Translator) -> str:
        """:attr:`what` in the language of *t* (appointment and meal titles as written)."""
        if self.kind in ROW_WHAT:
            return t.gettext(ROW_WHAT[self.kind])
        return self.what


def km(metres: float) -> str:
    """``850 m`` below one kilometre, else ``1.5 km``."""
    if metres < 1000:
        return f"{round(metres / 10) * 10:.0f} m"
    return f"{metres / 1000:.1f} km"


def city_tz(itinerary: Itinerary) -> ZoneInfo:
    """The city's time zone (datetimes read back from JSON carry only a fixed offset)."""
    return ZoneInfo(itinerary.city.timezone)


def in_city_time(itinerary: Itinerary) -> Itinerary:
    """*itinerary* with every time of its days in the city's time zone (same instants).

    The model only asks for aware datetimes: a file written by another tool may store them
    in UTC or another offset. Renderers that print ``HH:MM`` straight from the items (the
    maps) read this copy, so they show the city's clock like the print and the exports.
    """
    tz = city_tz(itinerary)

    def local(value: object) -> object:
        if isinstance(value, dt.datetime):
            return value.astimezone(tz)
        if isinstance(value, dict):
            return {key: local(item) for key, item in value.items()}
        if isinstance(value, list):
            return [local(item) for item in value]
        return value

    days = [Day.model_validate(local(day.model_dump())) for day in itinerary.days]
    return itinerary.model_copy(update={"days": days})


def stop_title(item: Visit | Appointment | Meal) -> str:
    """What happens at a stop: ``Visit``, the appointment's or the meal's title."""
    if isinstance(item, Visit):
        return "Visit"
    return item.title


def day_rows(day: Day, tz: ZoneInfo) -> list[Row]:
    """The rows of *day*: start place, each stop, end place; legs become travel notes.

    A leg that ends at one of ``day.waypoints`` (e.g. the position reported to
    ``tours replan``) gives a ``"waypoint"`` row at its arrival time, so every output names
    the place the route passes; the legs after it are that row's travel.
    """
    first = day.start.astimezone(tz)
    rows = [
        Row(label="S", kind="start", place=day.start_place, start=first, end=None, what="Departure")
    ]
    pending: list[Travel] = []
    number = 0
    places = day.places_by_id
    waypoint_ids = {place.id for place in day.waypoints}
    last_leg_end: dt.datetime | None = None
    for item in day.items:
        if isinstance(item, Leg):
            travel = Travel(
                mode=item.mode,
                minutes=shown_minutes(item.start, item.end),
                distance_m=item.distance_m,
                overhead_min=round(item.overhead_s / 60),
                to=places.get(item.to_id),
                origin=places.get(item.from_id),
                start=item.start.astimezone(tz),
                end=item.end.astimezone(tz),
            )
            rows[-1].travel.append(travel)
            pending.append(travel)
            last_leg_end = item.end.astimezone(tz)
            target = places.get(item.to_id)
            if item.to_id in waypoint_ids and target is not None and item is not day.items[-1]:
                rows.append(
                    Row(
                        label=WAYPOINT_LABEL,
                        kind="waypoint",
                        place=target,
                        start=last_leg_end,
                        end=None,
                        what="Passing",
                        arrived_by=pending,
                    )
                )
                pending = []
            continue
        number += 1
        rows.append(
            Row(
                label=str(number),
                kind=item.kind,
                place=item.place,
                start=item.start.astimezone(tz),
                end=item.end.astimezone(tz),
                what=stop_title(item),
                note=item.note,
                must_see=isinstance(item, Visit) and item.must_see,
                uid=item.uid,
                arrived_by=pending,
                restaurant=item.restaurant if isinstance(item, Meal) else None,
            )
        )
        pending = []
    last = day.items[-1] if day.items else None
    ends_at_place = (
        last is not None and not isinstance(last, Leg) and (last.place.id == day.end_place.id)
    )
    if not ends_at_place:
        arrival = last_leg_end if isinstance(last, Leg) and last_leg_end else day.end
        rows.append(
            Row(
                label="E",
                kind="end",
                place=day.end_place,
                start=arrival.astimezone(tz),
                end=None,
                what="Return",
                arrived_by=pending,
            )
        )
    return rows


def day_places(rows: list[Row]) -> list[PlaceRef]:
    """Distinct places of a day in order of first appearance."""
    seen: dict[str, PlaceRef] = {}
    for row in rows:
        seen.setdefault(row.place.id, row.place)
    return list(seen.values())


def place_facts(place: PlaceRef, t: Translator | None = None) -> list[tuple[str, str]]:
    """The practical notes of *place* a delegation needs, labelled; empty ones left out.

    Labels are in the language of *t* (English without one); the notes are as written.
    """
    _ = (t or translator("en")).gettext
    facts = (
        (_("Address"), address_in(place, t)),
        (_("Tickets"), place.tickets),
        (_("Entrance"), place.entrance),
        (_("Accessibility"), place.accessibility),
        (_("Note"), place.notes),
    )
    return [(label, text) for label, text in facts if text]


def left_out_reason(left_out: LeftOut, t: Translator) -> str:
    """Why *left_out* is not in the programme, in the language of *t*.

    English shows the planner's own reason (with its details); other languages the
    translated reason for its code, or the planner's reason for a code they do not know.
    """
    if t.code == "en" or left_out.code not in LEFT_OUT_REASONS:
        return left_out.reason
    return t.gettext(LEFT_OUT_REASONS[left_out.code])


#: Strings that mark the nearest-street fallback and meal suggestions (translated when shown).
ADDRESS_MESSAGES = (
    N_("near %(street)s (nearest street, no postal address)"),
    N_("Restaurant nearby: %(name)s, %(walk)s on foot (%(distance)s)"),
    N_("opening hours unknown: call ahead"),
    N_("open for the whole meal"),
    N_("No restaurant known within %(distance)s on foot: arrange the meal on site."),
)


def address_in(place: PlaceRef, t: Translator | None = None) -> str:
    """The address of *place* as every output prints it (``""``: none known).

    A postal address (city pack or OSM ``addr:*``) is shown as written; the nearest-street
    fallback says so in the language of *t*: ``near 旭光路 / Xuguang Road (nearest street,
    no postal address)``.
    """
    address = place.address
    if address is None:
        return place.address_zh
    if address.is_postal:
        return address.text
    tr = t or translator("en")
    local = address.text
    other = address.names.get(tr.code) or address.names.get("en", "")
    street = f"{local} / {other}" if other and other != local else local
    return tr.gettext(ADDRESS_MESSAGES[0]) % {"street": street}


def meal_place_in(found: MealPlace, t: Translator, *, local_language: str = "") -> str:
    """The restaurant suggested for a meal where the group is, in the language of *t*:
    ``Restaurant nearby: 老妈蹄花, 8 min on foot (420 m); opening hours unknown: call ahead;
    成都祠堂街1号`` or that none is known within the radius."""
    _ = t.gettext
    if found.place is None:
        return _(ADDRESS_MESSAGES[4]) % {"distance": t.distance(found.radius_m)}
    name, _lang = found.place.name_in(t.code, local_language=local_language)
    line = _(ADDRESS_MESSAGES[1]) % {
        "name": name,
        "walk": t.minutes(found.walk_min or 0),
        "distance": t.distance(found.walk_m or 0.0),
    }
    hours = _(ADDRESS_MESSAGES[2]) if found.hours == "unknown" else _(ADDRESS_MESSAGES[3])
    parts = [line, hours]
    if where := address_in(found.place, t):
        parts.append(where)
    return "; ".join(parts)
