"""tours: plan guided city tours for delegations on real OpenStreetMap streets.

The pipeline, one verb each::

    request = tours.load_request("visit.yaml")          # or a dict
    itinerary = tours.plan(request, budget=tours.SearchBudget(max_iterations=300))
    print(tours.summary(itinerary))
    tours.write_outputs(itinerary, "out/")              # maps, PDF, ICS, GPX, CSV, JSON
    later = tours.replan(itinerary, now="2025-03-22 14:30", delay_min=20).itinerary

A whole conference (delegations sharing venues, guides and coaches, planned on Dask)::

    conference = tours.load_conference("conference.yaml")   # or a dict
    plan = tours.plan_conference(conference, budget=tours.SearchBudget(max_iterations=150))
    tours.write_conference_outputs(plan, "out/conference")
    later = tours.replan_conference(conference, "out/conference", late="Liverpool", late_min=45)

A saved itinerary's maps and prints again: ``tours.load_basemap``, ``tours.write_maps``,
``tours.write_exports``.

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
    from tours._atomic import check_output_folder as check_output_folder
    from tours.api import CheckReport as CheckReport
    from tours.api import PlanDetails as PlanDetails
    from tours.api import check as check
    from tours.api import load_network as load_network
    from tours.api import load_places as load_places
    from tours.api import load_request as load_request
    from tours.api import plan as plan
    from tours.api import plan_details as plan_details
    from tours.api import replan as replan
    from tours.conference.api import load_conference as load_conference
    from tours.conference.api import plan_conference as plan_conference
    from tours.conference.api import replan_conference as replan_conference
    from tours.conference.api import write_conference_outputs as write_conference_outputs
    from tours.conference.engine import Engine as Engine
    from tours.conference.joint import ConferencePlan as ConferencePlan
    from tours.conference.joint import DelegationResult as DelegationResult
    from tours.conference.schema import Conference as Conference
    from tours.itinerary import SCHEMA_VERSION as SCHEMA_VERSION
    from tours.itinerary import Itinerary as Itinerary
    from tours.outputs import OUTPUT_FORMATS as OUTPUT_FORMATS
    from tours.outputs import OutputWorker as OutputWorker
    from tours.outputs import write_exports as write_exports
    from tours.outputs import write_outputs as write_outputs
    from tours.rendering import load_basemap as load_basemap
    from tours.rendering import write_maps as write_maps

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
    "load_conference": "tours.conference.api",
    "plan_conference": "tours.conference.api",
    "replan_conference": "tours.conference.api",
    "write_conference_outputs": "tours.conference.api",
    "Engine": "tours.conference.engine",
    "ConferencePlan": "tours.conference.joint",
    "DelegationResult": "tours.conference.joint",
    "Conference": "tours.conference.schema",
    "SCHEMA_VERSION": "tours.itinerary",
    "Itinerary": "tours.itinerary",
    "OUTPUT_FORMATS": "tours.outputs",
    "OutputWorker": "tours.outputs",
    "write_exports": "tours.outputs",
    "write_outputs": "tours.outputs",
    "load_basemap": "tours.rendering",
    "write_maps": "tours.rendering",
    "check_output_folder": "tours._atomic",
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
    "Conference",
    "ConferencePlan",
    "ConflictError",
    "DelegationResult",
    "Engine",
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
    "check_output_folder",
    "load_basemap",
    "load_conference",
    "load_network",
    "load_places",
    "load_request",
    "plan",
    "plan_conference",
    "plan_details",
    "replan",
    "replan_conference",
    "summary",
    "write_conference_outputs",
    "write_exports",
    "write_maps",
    "write_outputs",
]
