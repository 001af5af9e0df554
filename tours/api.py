"""The Python API: read a request, plan it, check it, re-plan on the day.

Each verb takes what a notebook has at hand (a path, a dict, or the loaded object) and fills
in the rest from the request: its city pack, and that pack's OSM extract as the street
network. Loading a network is the slow step (seconds, cached on disk); pass ``network=`` to
plan several requests on one.

>>> import tours
>>> request = tours.load_request("data/chengdu/requests/british-culture-2025.yaml")
>>> itinerary = tours.plan(request, budget=tours.SearchBudget(max_iterations=300))
>>> print(tours.summary(itinerary))          # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from routing import NetworkSource, StreetNetwork
from routing import load_network as _load_network
from tours._errors import InputError
from tours.itinerary import Itinerary
from tours.places.pack import CityPack, load_city_pack
from tours.planning.budget import SearchBudget
from tours.planning.request import Request, city_pack_for, resolve_request
from tours.planning.request.reading import load_request as _load_request_file
from tours.planning.request.reading import request_from_mapping

if TYPE_CHECKING:
    from tours.planning.replan.replanner import Replan

RequestLike = Request | Path | str | Mapping[str, Any]
"""A request: a loaded :class:`Request`, a YAML file path, or the YAML as a dict."""
NetworkLike = StreetNetwork | NetworkSource | Path | str
"""A street network: loaded, a :class:`~routing.NetworkSource`, or an OSM file path."""
PackLike = CityPack | Path | str
"""A city pack: loaded, or its folder."""


def load_request(source: RequestLike) -> Request:
    """Read and check a request (everything that needs no city data).

    Parameters
    ----------
    source
        A request file (YAML), or the request as a mapping with the file's fields
        (``{"title": ..., "city": "chengdu", "dates": [...], ...}``); a :class:`Request`
        is returned as is.

    Raises
    ------
    RequestError
        One line per problem, naming the file (or ``request``), the line and the field.
    """
    if isinstance(source, Request):
        return source
    if isinstance(source, Mapping):
        return request_from_mapping(source)
    return _load_request_file(Path(source))


def load_network(
    source: NetworkLike | None = None, *, progress: bool = False, cache_dir: Path | None = None
) -> StreetNetwork:
    """Load a street network (walk and drive), from the disk cache when possible.

    Parameters
    ----------
    source
        An OSM extract (``.osm``, ``.osm.bz2``, ``.osm.pbf``), a
        :class:`~routing.NetworkSource` (``NetworkSource.from_place("Monaco")`` downloads),
        or ``None``: the embedded city pack's extract.
    progress
        Show a spinner on stderr while parsing.

    Raises
    ------
    NetworkSourceError
        A missing, empty or non-OSM file.
    """
    if isinstance(source, StreetNetwork):
        return source
    if source is None:
        source = NetworkSource.from_file(load_city_pack().osm_extract_path())
    elif not isinstance(source, NetworkSource):
        source = NetworkSource.from_file(Path(source))
    return _load_network(source, progress=progress, cache_dir=cache_dir)


def load_places(
    pack: PackLike | None = None,
    *,
    request: RequestLike | None = None,
    network: NetworkLike | None = None,
) -> CityPack:
    """A city pack: its places, opening hours and settings.

    Parameters
    ----------
    pack
        A city pack folder (default: the embedded Chengdu pack, or the pack the request's
        ``city`` names).
    request
        Also add the OSM places the request names (``osm:way/123``) from the pack's extract:
        the places :func:`plan` plans with.
    network
        With a *request* that names no ``city`` and no *pack*: the local OSM extract (or a
        network loaded from one) whose named places make the pack.

    Raises
    ------
    InputError
        The folder is not a city pack, or a place in it is invalid (one line each).
    """
    if request is not None:
        return _pack_for(load_request(request), pack, network)
    if isinstance(pack, CityPack):
        return pack
    return load_city_pack(None if pack is None else Path(pack))


def _pack_for(
    request: Request, pack: PackLike | None, network: NetworkLike | None = None
) -> CityPack:
    """*pack*, else the pack the request's ``city`` names; a request without ``city`` and a
    *network* read from a local extract takes its places from that extract."""
    if isinstance(pack, CityPack):
        return pack
    osm = _extract_file(network) if request.city is None and pack is None else None
    return city_pack_for(request, city_pack=None if pack is None else Path(pack), osm=osm)


def _extract_file(network: NetworkLike | None) -> Path | None:
    """The local OSM file *network* comes from (``None``: none given, or online)."""
    if network is None:
        return None
    if isinstance(network, StreetNetwork | NetworkSource):
        source = network.source if isinstance(network, StreetNetwork) else network
        return source.path if source.kind == "file" else None
    return Path(network)


def _extract_warnings(
    request: Request, pack: PackLike | None, network: NetworkLike | None
) -> list[str]:
    """For a request planned from an OSM extract alone: the extract's clipped places."""
    osm = _extract_file(network) if request.city is None and pack is None else None
    if osm is None:
        return []
    from tours.places.osm_features import load_feature_set  # noqa: PLC0415

    warning = load_feature_set(osm).warning()
    return [] if warning is None else [warning]


def _network_for(
    network: NetworkLike | None, pack: CityPack, *, progress: bool = False
) -> StreetNetwork:
    if network is None:
        path = pack.osm_extract_path()
        if not path.is_file():
            msg = (
                f"city pack {pack.id!r}: its OSM extract `{path}` is not on this machine; "
                "pass `network` (an OSM file or a NetworkSource)"
            )
            raise InputError(msg)
        return load_network(path, progress=progress)
    return load_network(network, progress=progress)


def plan(
    request: RequestLike,
    *,
    network: NetworkLike | None = None,
    pack: PackLike | None = None,
    budget: SearchBudget | None = None,
) -> Itinerary:
    """Plan a request: timed visits on real streets, and why each left-out place is left out.

    Parameters
    ----------
    request
        The request (see :func:`load_request`).
    network
        The street network (see :func:`load_network`); default: the city pack's extract.
    pack
        The city pack (see :func:`load_places`); default: the pack the request's ``city``
        names, with the OSM places the request lists.
    budget
        When the search stops, and its seed (default ``SearchBudget()``: 1000 iterations,
        10 s at most). With an iteration cap that ends the search, the same input gives the
        same itinerary on any machine.

    Raises
    ------
    RequestError
        A bad request (unknown places, ...): one line per problem.
    PlanningError
        Valid input with no feasible plan (a must-see conflict, an unreachable appointment);
        the message names the conflict.

    See Also
    --------
    plan_details : the same, with how the search went.
    """
    return plan_details(request, network=network, pack=pack, budget=budget).itinerary


@dataclass(frozen=True)
class PlanDetails:
    """An itinerary and how the search that made it went (see :func:`plan_details`).

    Attributes
    ----------
    itinerary
        The plan.
    iterations
        Search iterations run (at most ``budget.max_iterations``).
    seconds
        Wall time of planning on the loaded network (the travel matrix, checks and search).
    budget
        The search budget used, with its seed.
    """

    itinerary: Itinerary
    iterations: int
    seconds: float
    budget: SearchBudget


def plan_details(
    request: RequestLike,
    *,
    network: NetworkLike | None = None,
    pack: PackLike | None = None,
    budget: SearchBudget | None = None,
) -> PlanDetails:
    """Plan a request like :func:`plan`, and say how the search went.

    Parameters
    ----------
    request, network, pack, budget
        As in :func:`plan`.

    Returns
    -------
    PlanDetails
        ``.itinerary`` the plan, ``.iterations`` and ``.seconds`` of its search.

    Raises
    ------
    RequestError, PlanningError
        As in :func:`plan`.
    """
    from tours.planning.budget import PLAN_BUDGET  # noqa: PLC0415
    from tours.planning.planner import plan_detailed  # noqa: PLC0415

    budget = PLAN_BUDGET if budget is None else budget
    req = load_request(request)
    city = _pack_for(req, pack, network)
    resolved = resolve_request(req, city)  # bad places fail before the network loads
    net = _network_for(network, resolved.pack)
    began = time.perf_counter()
    result = plan_detailed(req, pack=city, network=net, budget=budget)
    return PlanDetails(
        itinerary=result.itinerary,
        iterations=result.solution.iterations,
        seconds=time.perf_counter() - began,
        budget=budget,
    )


@dataclass(frozen=True)
class CheckReport:
    """What :func:`check` found in a request that can be planned.

    ``pack`` is the city pack the request was checked in (the one :func:`plan` uses);
    ``warnings`` are fixed items at a closed venue (kept, but worth a call) and, for a
    request planned from an OSM extract alone, places cut at the extract's edge; ``notes``
    are optional places outside the street network (they will be left out).
    """

    request: Request
    pack: CityPack
    must_sees: int
    optional: int
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    network_checked: bool = False

    def __str__(self) -> str:
        req = self.request
        head = (
            f"OK: {req.source}: {req.title!r}, {len(req.dates)} day(s), "
            f"{self.must_sees} must-see(s), {self.optional} optional place(s), "
            f"{len(req.appointments)} appointment(s), {len(req.meals)} meal(s)"
        )
        return "\n".join([head, *(f"note: {note}" for note in self.notes)])


def check(
    request: RequestLike,
    *,
    network: NetworkLike | None = None,
    pack: PackLike | None = None,
    streets: bool = True,
    progress: bool = False,
) -> CheckReport:
    """Check a request without planning: fields, places, hours, conflicts.

    Parameters
    ----------
    network, pack
        As in :func:`plan`.
    streets
        Also check places, appointments and must-sees against the street network (loads it).
    progress
        Show a spinner on stderr while the network loads.

    Raises
    ------
    RequestError
        A bad request: one line per problem.
    PlanningError
        A fixed appointment or must-see that cannot be kept.
    """
    from tours.planning._model import build_model  # noqa: PLC0415
    from tours.planning._venue_hours import closed_venue_warnings  # noqa: PLC0415
    from tours.planning.explain.explainer import Explainer  # noqa: PLC0415

    req = load_request(request)
    city = _pack_for(req, pack, network)
    warnings = _extract_warnings(req, pack, network)
    resolved = resolve_request(req, city)
    notes: list[str] = []
    if streets:
        model = build_model(resolved, _network_for(network, resolved.pack, progress=progress))
        explainer = Explainer(model)
        explainer.check_fixed()
        explainer.check_must_sees()
        notes = [
            f"optional place {resolved.pack.places[pid].names.en} {why}; it will be left out"
            for pid, why in model.outside.items()
        ]
    must = sum(1 for p in resolved.places if p.must_see)
    return CheckReport(
        request=req,
        pack=resolved.pack,
        must_sees=must,
        optional=len(resolved.places) - must,
        warnings=[*warnings, *closed_venue_warnings(resolved)],
        notes=notes,
        network_checked=streets,
    )


def replan(
    itinerary: Itinerary | Path | str,
    *,
    now: dt.datetime | str,
    at: str | tuple[float, float] | None = None,
    skip: Sequence[str] = (),
    add: Sequence[str] = (),
    delay_min: int = 0,
    request: RequestLike | None = None,
    network: NetworkLike | None = None,
    pack: PackLike | None = None,
    budget: SearchBudget | None = None,
) -> Replan:
    """Re-plan the rest of a trip on the day: late, a place skipped, the group elsewhere.

    Parameters
    ----------
    itinerary
        The plan (or its ``itinerary.json``); it carries the request it was made from.
    now
        The time now, local city time (``"2025-03-22 14:30"`` or a naive datetime).
    at
        Where the group is: a city-pack place id or name, or ``(lat, lon)``.
    skip, add
        Places still to come to drop; city-pack places to add as must-sees.
    delay_min
        Minutes before the group can move on.
    request, network, pack
        As in :func:`plan` (default: the itinerary's own request, its city pack and extract).
    budget
        Default ``SearchBudget(time_limit=1.0, max_iterations=500)``: a guide waits for it.

    Returns
    -------
    Replan
        ``.itinerary`` the whole trip after the re-plan, ``.changes`` what changed in plain
        words.

    Raises
    ------
    ReplanError
        Bad input or a re-plan that cannot keep the fixed items; one line naming the
        parameter (``now``, ``at``, ``skip``, ``add``, ``delay_min``).
    """
    from tours.planning.replan.replanner import replan as _replan  # noqa: PLC0415
    from tours.planning.replan.replanner import request_of  # noqa: PLC0415

    old = itinerary if isinstance(itinerary, Itinerary) else Itinerary.load(Path(itinerary))
    when = now if isinstance(now, dt.datetime) else _parse_now(now)
    req = request_of(old) if request is None else load_request(request)
    recorded = old.city.osm_extract if req.city is None and network is None else ""
    city = _pack_for(req, pack, network if network is not None else (recorded or None))
    return _replan(
        old,
        now=when,
        pack=city,
        network=_network_for(network, city),
        request=req,
        at=at,
        skip=skip,
        add=add,
        delay_min=delay_min,
        budget=budget,
    )


def _parse_now(text: str) -> dt.datetime:
    from tours._errors import ReplanError  # noqa: PLC0415

    try:
        return dt.datetime.fromisoformat(text.strip())
    except ValueError:
        msg = (
            f"`now` is {text!r}; give a date and time as 'YYYY-MM-DD HH:MM' (local city time), "
            "e.g. '2025-03-22 14:30'"
        )
        raise ReplanError(msg) from None
