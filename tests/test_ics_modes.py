"""The calendar names a journey's travel with the mode table's labels (one vocabulary)."""

from __future__ import annotations

import re

from _sample import EASTERN, HOTEL, WENSHU, _leg, sample_itinerary

from maps.calendar_ics import MIXED_JOURNEY, build_calendar
from tours.itinerary import Itinerary
from tours.modes import MODES

_LEAD = re.compile(r"^(Departure from .*?: |Return: )")


def _travel_hows(itinerary: Itinerary) -> list[str]:
    """How each travel event of the calendar says the group travels ("Walk", "Coach" ...)."""
    calendar = build_calendar(itinerary, language="en")
    return [
        _LEAD.sub("", str(event["summary"])).split(" to ")[0]
        for event in calendar.walk("VEVENT")
        if "travel" in [str(c) for c in event["categories"].cats]
    ]


def test_single_mode_journeys_take_the_mode_tables_labels() -> None:
    hows = _travel_hows(sample_itinerary())
    assert len(hows) == 7
    assert set(hows) == {MODES["walk"].label, MODES["coach"].label}


def test_a_journey_of_walk_then_coach_is_coach_and_walk() -> None:
    itinerary = sample_itinerary()
    day2 = itinerary.days[1]
    walk = _leg(2, HOTEL, EASTERN, start="08:30", end="08:40", mode="walk")
    ride = _leg(2, EASTERN, WENSHU, start="08:40", end="09:05", mode="coach")
    mixed = day2.model_copy(update={"items": [walk, ride, *day2.items[1:]]})
    itinerary = itinerary.model_copy(update={"days": [itinerary.days[0], mixed]})
    hows = _travel_hows(itinerary)
    assert MIXED_JOURNEY == "Coach and walk"
    assert hows.count(MIXED_JOURNEY) == 1
