"""Travel modes of a leg: one table that the request, the itinerary and every renderer share.

A new leg mode is a routing change (how it travels) plus one row here (how it is named and
drawn): the itinerary accepts it, and the maps, the print and the exports show it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

#: How a leg travels (``Leg.mode``).
LegMode = Literal["walk", "coach"]
#: How a request says the group travels: a leg mode, or ``mixed`` (walk short legs).
TravelMode = Literal["walk", "coach", "mixed"]


@dataclass(frozen=True)
class Mode:
    """How one leg mode is named and drawn.

    Parameters
    ----------
    id
        The mode as ``Leg.mode`` and the request spell it.
    label
        Its name in legends and headings (``"Walk"``); lower-cased in running text.
    map_style
        Leaflet path options of its legs on the interactive maps (the colour is the day's;
        the pattern tells the mode, so it never rests on colour alone).
    print_style
        Matplotlib line options of its legs on the printed day maps.
    """

    id: str
    label: str
    map_style: dict[str, Any] = field(default_factory=dict)
    print_style: dict[str, Any] = field(default_factory=dict)


#: Every leg mode, in the order legends list them.
MODES: dict[str, Mode] = {
    mode.id: mode
    for mode in (
        Mode(
            "walk",
            "Walk",
            map_style={"weight": 5, "opacity": 0.95, "dashArray": "1 9", "lineCap": "round"},
            print_style={"color": "#1b7837", "linestyle": (0, (2.5, 1.5)), "linewidth": 2.4},
        ),
        Mode(
            "coach",
            "Coach",
            map_style={"weight": 5, "opacity": 0.9, "lineCap": "round"},
            print_style={"color": "#c2185b", "linestyle": "solid", "linewidth": 2.6},
        ),
    )
}

__all__ = ["MODES", "LegMode", "Mode", "TravelMode"]
