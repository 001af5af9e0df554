"""The request file: what a delegation must and may see, and when (YAML -> a checked model).

The pipeline: :func:`load_request` reads YAML (:mod:`._yaml`, with line numbers), validates
the schema (:mod:`.schema`) and the checks across fields that need no city data
(:mod:`.checks`); :func:`resolve_request` then resolves places in a city pack
(:mod:`.resolve`). Every problem is one line naming the file, the line and the field.
``data/chengdu/requests/README.md`` documents every field. Times of day are kept as minutes
after local midnight (``"24:00"`` is 1440).
"""

from __future__ import annotations

from tours._errors import RequestError as RequestError
from tours.planning.request._clock import Clock as Clock
from tours.planning.request._clock import format_clock as format_clock
from tours.planning.request.reading import load_request as load_request
from tours.planning.request.reading import parse_request as parse_request
from tours.planning.request.resolve import Resolved as Resolved
from tours.planning.request.resolve import ResolvedPlace as ResolvedPlace
from tours.planning.request.resolve import candidate_dates as candidate_dates
from tours.planning.request.resolve import city_pack_for as city_pack_for
from tours.planning.request.resolve import open_spans as open_spans
from tours.planning.request.resolve import resolve_request as resolve_request
from tours.planning.request.resolve import with_osm_places as with_osm_places
from tours.planning.request.schema import REQUEST_VERSION as REQUEST_VERSION
from tours.planning.request.schema import AppointmentSpec as AppointmentSpec
from tours.planning.request.schema import DaySpec as DaySpec
from tours.planning.request.schema import DelegationSpec as DelegationSpec
from tours.planning.request.schema import MealSpec as MealSpec
from tours.planning.request.schema import PlaceSpec as PlaceSpec
from tours.planning.request.schema import Request as Request
from tours.planning.request.schema import TravelSpec as TravelSpec
from tours.planning.request.schema import Window as Window
from tours.planning.request.schema import request_json_schema as request_json_schema
