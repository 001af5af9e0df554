"""tours: plan guided city tours for delegations on real OpenStreetMap streets.

The pipeline, one verb each::

    request = tours.load_request("visit.yaml")          # or a dict
    itinerary = tours.plan(request, budget=tours.SearchBudget(max_iterations=300))
    print(tours.summary(itinerary))
    tours.write_outputs(itinerary, "out/")              # maps, PDF, ICS, GPX, CSV, JSON
    later = tours.replan(itinerary, now="2025-03-22 14:30", delay_min=20).itinerary

Every error derives from :class:`Error` (``TourError`` for the planner, ``RoutingError`` for
street networks).
"""

import importlib
from typing import TYPE_CHECKING, Any

from tours._errors import ConflictError as ConflictError
from tours._errors import Error as Error
from tours._errors import InputError as InputError
from tours._errors import NetworkSourceError as NetworkSourceError
from tours._errors import NoRouteError as NoRouteError
from tours._errors import OfflineError as OfflineError
from tours._errors import OpeningHoursError as OpeningHoursError
from tours._errors import OutputError as OutputError
from tours._errors import PlanningError as PlanningError
from tours._errors import ReplanError as ReplanError
from tours._errors import RequestError as RequestError
from tours._errors import RoutingError as RoutingError
from tours._errors import SnapError as SnapError
from tours._errors import TourError as TourError
from tours._errors import UnknownModeError as UnknownModeError
from tours._errors import UnknownPlaceError as UnknownPlaceError
from tours._errors import YamlError as YamlError
from tours.planning.budget import SearchBudget as SearchBudget

# eager: the function must replace the submodule of the same name, which a later
# `import tours.summary` would otherwise leave as `tours.summary`
from tours.summary import summary as summary

if TYPE_CHECKING:
    from tours.api import CheckReport as CheckReport
    from tours.api import PlanDetails as PlanDetails
    from tours.api import check as check
    from tours.api import load_network as load_network
    from tours.api import load_places as load_places
    from tours.api import load_request as load_request
    from tours.api import plan as plan
    from tours.api import plan_details as plan_details
    from tours.api import replan as replan
    from tours.itinerary import SCHEMA_VERSION as SCHEMA_VERSION
    from tours.itinerary import Itinerary as Itinerary
    from tours.outputs import OUTPUT_FORMATS as OUTPUT_FORMATS
    from tours.outputs import OutputWorker as OutputWorker
    from tours.outputs import write_outputs as write_outputs

#: Public name -> module, for the names loaded on first use (PEP 562): ``import tours`` (and
#: so ``tours --help``) does not pay for routing, scipy or the renderers until they are used.
_LAZY = {
    "CheckReport": "tours.api",
    "PlanDetails": "tours.api",
    "check": "tours.api",
    "load_network": "tours.api",
    "load_places": "tours.api",
    "load_request": "tours.api",
    "plan": "tours.api",
    "plan_details": "tours.api",
    "replan": "tours.api",
    "SCHEMA_VERSION": "tours.itinerary",
    "Itinerary": "tours.itinerary",
    "OUTPUT_FORMATS": "tours.outputs",
    "OutputWorker": "tours.outputs",
    "write_outputs": "tours.outputs",
}


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use and keep the name here."""
    if name not in _LAZY:
        msg = f"module 'tours' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


__all__ = [
    "OUTPUT_FORMATS",
    "SCHEMA_VERSION",
    "CheckReport",
    "ConflictError",
    "Error",
    "InputError",
    "Itinerary",
    "NetworkSourceError",
    "NoRouteError",
    "OfflineError",
    "OpeningHoursError",
    "OutputError",
    "OutputWorker",
    "PlanDetails",
    "PlanningError",
    "ReplanError",
    "RequestError",
    "RoutingError",
    "SearchBudget",
    "SnapError",
    "TourError",
    "UnknownModeError",
    "UnknownPlaceError",
    "YamlError",
    "check",
    "load_network",
    "load_places",
    "load_request",
    "plan",
    "plan_details",
    "replan",
    "summary",
    "write_outputs",
]
