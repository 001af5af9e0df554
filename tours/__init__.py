"""tours: plan guided city tours for delegations on real OpenStreetMap streets."""

from tours._errors import (
    InputError,
    OpeningHoursError,
    OutputError,
    PlanningError,
    TourError,
    UnknownPlaceError,
)
from tours.itinerary import SCHEMA_VERSION, Itinerary

__all__ = [
    "SCHEMA_VERSION",
    "InputError",
    "Itinerary",
    "OpeningHoursError",
    "OutputError",
    "PlanningError",
    "TourError",
    "UnknownPlaceError",
]
