"""One travel-mode vocabulary: routing names the modes, tours draws each leg mode once."""

from __future__ import annotations

import typing

import routing
from tours import modes
from tours.itinerary import Leg


def test_routing_is_the_single_source_of_mode_names() -> None:
    assert routing.LEG_MODES == ("walk", "coach")
    assert routing.MODES == ("walk", "coach", "mixed")
    assert typing.get_args(modes.LegMode) == routing.LEG_MODES
    assert typing.get_args(modes.TravelMode) == routing.MODES


def test_every_leg_mode_has_one_row_in_the_table() -> None:
    assert tuple(modes.MODES) == routing.LEG_MODES
    for mode in modes.MODES.values():
        assert mode.label
        assert mode.map_style
        assert mode.print_style


def test_the_itinerary_leg_accepts_the_routing_leg_modes() -> None:
    leg_mode = Leg.model_fields["mode"].annotation
    assert set(typing.get_args(leg_mode)) == set(routing.LEG_MODES)


def test_a_request_accepts_every_travel_mode_routing_knows() -> None:
    from tours.planning.request.schema import TravelSpec  # noqa: PLC0415

    annotation = TravelSpec.model_fields["mode"].annotation
    assert set(typing.get_args(annotation)) == set(routing.MODES)
