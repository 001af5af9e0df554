"""The Python API of conference mode: read a conference, plan it, re-plan it, write its files.

Many delegations share venues with limited capacity, interpreters and coaches; they are
planned jointly on a Dask engine (an embedded :class:`distributed.LocalCluster` unless an
:class:`Engine` or a scheduler address is given). ``tours conference plan|replan`` call
these same functions.

>>> import tours
>>> conference = tours.load_conference("conference.yaml")          # doctest: +SKIP
>>> budget = tours.SearchBudget(max_iterations=150, time_limit=None)
>>> with tours.Engine(workers=1, processes=False) as engine:        # doctest: +SKIP
...     plan = tours.plan_conference(conference, budget=budget, engine=engine)
...     tours.write_conference_outputs(plan, "out/conference", formats="ics,csv")
...     later = tours.replan_conference(
...         conference, "out/conference", late="Liverpool", late_min=45, engine=engine
...     )
>>> [(r.delegation.name, f"{r.share:.0%}") for r in plan.results]  # doctest: +SKIP

``tests/test_conference_api.py`` runs these steps on four delegations competing for two
exclusive park talks and a museum: ``[r.itinerary.total_priority for r in plan.results]``
is ``[13, 15, 15, 10]`` (first come, first served: ``[16, 16, 7, 7]``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path
from typing import Any

from routing import StreetNetwork
from tours._atomic import check_output_folder, staged_outputs
from tours._errors import InputError
from tours.api import NetworkLike, load_network
from tours.conference.engine import Engine
from tours.conference.joint import Budget, ConferencePlan, Method, keep_and_replan
from tours.conference.joint import plan_conference as _plan_conference
from tours.conference.replan import running_late, without
from tours.conference.reports import write_host_outputs
from tours.conference.schema import (
    Conference,
    ConferenceFileError,
    Fairness,
    conference_from_mapping,
)
from tours.conference.schema import load_conference as _load_conference_file
from tours.itinerary import Itinerary
from tours.planning.budget import SearchBudget

ConferenceLike = Conference | Path | str | Mapping[str, Any]
"""A conference: loaded, a conference file (YAML) path, or the file's fields as a dict."""
EngineLike = Engine | str | None
"""Where plans run: an :class:`Engine` (started or not), a scheduler address
(``"tcp://HOST:8786"``), or ``None``: a local cluster, one worker process per core."""

#: Budget of each delegation's plan in a conference: an iteration cap, so the same seed gives
#: the same plans with any number of workers.
CONFERENCE_BUDGET = SearchBudget(time_limit=None, max_iterations=300)
#: Coordination rounds before the final one-by-one repair.
ROUNDS = 4
_FAIRNESS: tuple[Fairness, ...] = ("maxmin", "total")
_METHODS: tuple[Method, ...] = ("joint", "first_come")


def load_conference(source: ConferenceLike) -> Conference:
    """Read and check a conference: its delegations and the resources they share.

    Parameters
    ----------
    source
        A conference file (YAML; request paths in it are relative to it), or its fields as
        a mapping (``{"title": ..., "delegations": [{"request": {...}}], "resources": ...}``;
        paths relative to the current folder); a :class:`Conference` is returned as is.

    Raises
    ------
    InputError
        One line naming the file (or ``conference``), the line and the field, and the fix.
    """
    if isinstance(source, Conference):
        return source
    if isinstance(source, Mapping):
        return conference_from_mapping(source)
    return _load_conference_file(Path(source))


def plan_conference(
    conference: ConferenceLike,
    *,
    network: NetworkLike | None = None,
    budget: SearchBudget | None = None,
    rounds: int = ROUNDS,
    fairness: Fairness | None = None,
    method: Method = "joint",
    engine: EngineLike = None,
    progress: bool = False,
) -> ConferencePlan:
    """Plan every delegation of a conference without exceeding any shared capacity.

    Parameters
    ----------
    conference
        The conference (see :func:`load_conference`).
    network
        The street network (see :func:`tours.load_network`); default: the extract of the
        conference's city pack. A source or a file is loaded after the conference is checked.
    budget
        Each delegation's search (its seed grows by one per delegation); default
        ``SearchBudget(time_limit=None, max_iterations=300)``.
    rounds
        Coordination rounds before the final one-by-one repair.
    fairness : {"maxmin", "total"}, optional
        Who gets a contested venue: the worst-off delegation first, or the highest summed
        priority; default: the conference's own ``fairness``.
    method : {"joint", "first_come"}
        Plan jointly, or one by one in file order (the baseline to compare with).
    engine
        Where the plans run (see :data:`EngineLike`); an engine given unstarted is started
        and stopped here, a started one is left running.
    progress
        Show loading the network on stderr (an engine made here also shows its rounds).

    Returns
    -------
    ConferencePlan
        ``.results`` every delegation's itinerary and share, ``.guides``, ``.coaches``,
        ``.total_priority``, ``.worst_share``, ``.seconds``, ``.workers``.

    Raises
    ------
    InputError
        A bad conference, an unknown ``fairness``/``method``, or no scheduler at ``engine``.
    PlanningError
        The conference does not fit (``InfeasibleConferenceError``; ``.binding`` names the
        venue, guides or coaches that bind).
    """
    conf = load_conference(conference)
    conf = _with_fairness(conf, fairness)
    if method not in _METHODS:
        msg = f"`method` is {method!r}; choose one of {', '.join(_METHODS)}"
        raise InputError(msg)
    search = _budget(budget, rounds)
    return _run(
        conf,
        network,
        engine,
        progress,
        lambda net, running: _plan_conference(conf, net, running, budget=search, method=method),
    )


def replan_conference(
    conference: ConferenceLike,
    previous: Path | str | Mapping[str, Itinerary],
    *,
    late: str | None = None,
    late_day: dt.date | str | None = None,
    late_min: int = 60,
    drop: str | None = None,
    allow_moves: bool = False,
    network: NetworkLike | None = None,
    budget: SearchBudget | None = None,
    rounds: int = ROUNDS,
    engine: EngineLike = None,
    progress: bool = False,
) -> ConferencePlan:
    """Re-plan a conference on the day: one delegation runs late, or one drops out.

    Without moves every other delegation keeps its plan and its venue reservations and only
    the late one is planned again around them; a delegation whose plan changed gets its
    ``revision`` raised by one.

    Parameters
    ----------
    conference
        The conference as planned (see :func:`load_conference`).
    previous
        The current plan: the folder :func:`write_conference_outputs` wrote, or each
        delegation's itinerary by delegation id.
    late
        The delegation (id or name) that runs late.
    late_day
        With *late*: the day (``"2025-03-22"`` or a date); default its first day.
    late_min
        With *late*: how many minutes later it starts.
    drop
        The delegation (id or name) that drops out. Give exactly one of *late* and *drop*.
    allow_moves
        Plan everyone again jointly (others may move) instead of keeping their plans.
    network, budget, rounds, engine, progress
        As in :func:`plan_conference`.

    Returns
    -------
    ConferencePlan
        The whole conference after the change.

    Raises
    ------
    InputError
        Bad input, one line naming the parameter (``previous``, ``late``, ``late_day``,
        ``late_min``, ``drop``).
    PlanningError
        The conference no longer fits.
    """
    conf = load_conference(conference)
    if (late is None) == (drop is None):
        msg = "give exactly one of `late` (a delegation that runs late) or `drop` (drops out)"
        raise InputError(msg)
    if isinstance(late_min, bool) or not isinstance(late_min, int) or late_min < 1:
        msg = f"`late_min` is {late_min!r}; give whole minutes >= 1"
        raise InputError(msg)
    before = _previous(conf, previous)
    changed: list[str] = []
    if drop is not None:
        conf = without(conf, drop)
    else:
        late_input = conf.by_id(str(late))
        day = _day(late_day) if late_day is not None else late_input.request.dates[0]
        conf, moved = running_late(conf, late_input.id, day, late_min)
        changed = [moved.id]
    kept = {d.id: before[d.id] for d in conf.delegations if d.id not in changed}
    search = _budget(budget, rounds)

    def replan_with(net: StreetNetwork, running: Engine) -> ConferencePlan:
        if allow_moves:
            return _plan_conference(conf, net, running, budget=search)
        return keep_and_replan(conf, net, running, kept, changed, budget=search)

    plan = _run(conf, network, engine, progress, replan_with)
    for r in plan.results:
        old = before[r.delegation.id]
        if r.itinerary.model_dump(exclude={"revision"}) != old.model_dump(exclude={"revision"}):
            r.itinerary = r.itinerary.model_copy(update={"revision": old.revision + 1})
    return plan


def write_conference_outputs(
    plan: ConferencePlan,
    out_dir: Path | str,
    *,
    formats: str | Collection[str] = "all",
    basemap_osm: Path | str | None = None,
    basemap: bool = True,
) -> list[Path]:
    """Write every delegation's outputs and the host's files into *out_dir*, all or nothing.

    Each delegation's files (as :func:`tours.write_outputs` writes them) go to
    ``out_dir/<delegation id>/``; the host's master schedule (HTML, and PDF with ``pdf`` in
    *formats*), ``guides.csv``, ``coaches.csv``, ``conflicts.txt`` and ``conference.json``
    to *out_dir*. An earlier folder stays as it was when writing fails.

    Parameters
    ----------
    formats, basemap_osm, basemap
        As in :func:`tours.write_outputs`, for every delegation.

    Returns
    -------
    list of Path
        The host's files, then each delegation's (``itinerary.json`` first).

    Raises
    ------
    OutputError
        *out_dir* cannot be created or written (nothing is written then).
    InputError
        An unknown format.
    """
    from tours.outputs import parse_formats, write_outputs  # noqa: PLC0415

    out_dir = Path(out_dir)
    wanted = parse_formats(formats)
    check_output_folder(out_dir)
    written: list[Path] = []
    with staged_outputs(out_dir) as stage:
        for result in plan.results:
            folder = stage / result.delegation.id
            files = write_outputs(
                result.itinerary,
                folder,
                formats=wanted,
                basemap_osm=basemap_osm,
                basemap=basemap,
            )
            written += [out_dir / result.delegation.id / f.relative_to(folder) for f in files]
        host = write_host_outputs(plan, stage, pdf="pdf" in wanted)
    return [*(out_dir / name for name in host), *written]


def _with_fairness(conference: Conference, fairness: Fairness | None) -> Conference:
    if fairness is None:
        return conference
    if fairness not in _FAIRNESS:
        msg = f"`fairness` is {fairness!r}; choose one of {', '.join(_FAIRNESS)}"
        raise InputError(msg)
    return dataclasses.replace(conference, fairness=fairness)


def _budget(budget: SearchBudget | None, rounds: int) -> Budget:
    search = CONFERENCE_BUDGET if budget is None else budget
    if isinstance(rounds, bool) or not isinstance(rounds, int) or not 1 <= rounds <= 50:
        msg = f"`rounds` is {rounds!r}; give a whole number from 1 to 50"
        raise InputError(msg)
    return Budget(
        seed=search.seed,
        max_iterations=search.max_iterations,
        time_limit=search.time_limit,
        rounds=rounds,
    )


def _day(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        msg = f"`late_day` is {value!r}; give a date as 'YYYY-MM-DD'"
        raise InputError(msg) from None


def _previous(
    conference: Conference, previous: Path | str | Mapping[str, Itinerary]
) -> dict[str, Itinerary]:
    """Each delegation's current itinerary, by id (*previous* a folder or a mapping)."""
    if isinstance(previous, Mapping):
        plans = dict(previous)
        missing = [d.name for d in conference.delegations if d.id not in plans]
        if missing:
            msg = f"`previous` has no plan for {missing[0]!r}; give every delegation's itinerary"
            raise InputError(msg)
        return plans
    folder = Path(previous)
    summary = folder / "conference.json"
    if not summary.is_file():
        msg = (
            f"`previous={folder}`: no conference.json; "
            "give the folder `tours conference plan` wrote"
        )
        raise ConferenceFileError(msg)
    try:
        data = json.loads(summary.read_text(encoding="utf-8"))
        folders = {d["id"]: d.get("folder", d["id"]) for d in data.get("delegations", [])}
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        msg = (
            f"`previous={folder}`: {summary.name} is damaged or not a conference summary; "
            "plan the conference again"
        )
        raise ConferenceFileError(msg) from None
    out: dict[str, Itinerary] = {}
    for d in conference.delegations:
        if d.id not in folders:
            msg = (
                f"`previous={folder}`: {d.name!r} was not planned there; plan the conference again"
            )
            raise ConferenceFileError(msg)
        out[d.id] = Itinerary.load(folder / folders[d.id] / "itinerary.json")
    return out


def _run(
    conference: Conference,
    network: NetworkLike | None,
    engine: EngineLike,
    progress: bool,
    plan_with: Callable[[StreetNetwork, Engine], ConferencePlan],
) -> ConferencePlan:
    """Load the network, run the engine, plan with *plan_with*; time and workers noted."""
    net = _network(network, conference, progress=progress)
    began = time.perf_counter()
    with _running(engine, progress=progress) as running:
        plan = plan_with(net, running)
        plan.workers = running.n_workers
    plan.seconds = time.perf_counter() - began
    return plan


def _network(
    network: NetworkLike | None, conference: Conference, *, progress: bool
) -> StreetNetwork:
    if network is not None:
        return load_network(network, progress=progress)
    path = conference.pack.osm_extract_path()
    if not path.is_file():
        msg = (
            f"city pack {conference.pack.id!r}: its OSM extract `{path}` is not on this "
            "machine; pass `network` (an OSM file or a NetworkSource)"
        )
        raise InputError(msg)
    return load_network(path, progress=progress)


@contextlib.contextmanager
def _running(engine: EngineLike, *, progress: bool) -> Iterator[Engine]:
    """A started engine: *engine* if it runs already, else one started (and stopped) here."""
    if isinstance(engine, Engine) and engine.started:
        yield engine
        return
    if engine is None or isinstance(engine, str):
        engine = Engine(scheduler=engine, progress=progress)
    with engine as running:
        yield running


__all__ = [
    "CONFERENCE_BUDGET",
    "ConferenceLike",
    "EngineLike",
    "load_conference",
    "plan_conference",
    "replan_conference",
    "write_conference_outputs",
]
