"""``tours replan``: a new plan for the rest of the trip, from an itinerary and the time now.

``tours replan ITINERARY.json --now "2025-03-22 14:30" [--at PLACE|lat,lon] [--skip ID ...]
[--delay MIN] [--add ID ...] -o DIR`` keeps what is done, the appointments and the meals,
re-optimises the rest (see :mod:`tours.planning.replan.replanner`), prints what changed in
plain words and writes the same outputs as ``tours plan`` into DIR, only when everything succeeded.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import click

import tours
from routing import NetworkSource
from tours.cli import cli
from tours.cli._outputs import (
    CITY_PACK_OPTION,
    PROGRESS_OPTION,
    out_option,
    search_options,
    show_progress,
    working,
    write_outputs,
)
from tours.cli._params import _PAIR, parse_latlon
from tours.cli._source import (
    extract_of,
    network_source_options,
    source_for_itinerary,
    source_for_pack,
)
from tours.itinerary import Itinerary
from tours.planning.budget import REPLAN_BUDGET, SearchBudget
from tours.planning.replan.replanner import request_of
from tours.planning.request import Request, RequestError


class _Now(click.ParamType):
    name = "'YYYY-MM-DD HH:MM'"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.datetime:
        if isinstance(value, dt.datetime):
            return value
        try:
            return dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(
                f"{value!r} is not a date and time; write it as 'YYYY-MM-DD HH:MM' "
                "(local city time), e.g. '2025-03-22 14:30'",
                param,
                ctx,
            )


class _At(click.ParamType):
    name = "PLACE|LAT,LON"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> str | tuple[float, float]:
        if isinstance(value, tuple):
            return value
        text = str(value).strip()
        if not text:
            self.fail("give a city-pack place id or `lat,lon`", param, ctx)
        if _PAIR.match(text):
            try:
                return parse_latlon(text)
            except ValueError as err:
                self.fail(str(err), param, ctx)
        return text


def _request(itinerary: Itinerary, itinerary_file: Path, request_file: Path | None) -> Request:
    """``--request``, else the itinerary's embedded request, else ``request.yaml`` beside it."""
    if request_file is not None:
        return tours.load_request(request_file)
    beside = itinerary_file.parent / "request.yaml"
    if itinerary.request is None and beside.is_file():
        return tours.load_request(beside)
    try:
        return request_of(itinerary)
    except RequestError as err:  # name the file the embedded request came from
        raise RequestError([f"{itinerary_file}: {line}" for line in err.problems]) from None


@cli.command("replan")
@click.argument(
    "itinerary_file", metavar="ITINERARY.json", type=click.Path(dir_okay=False, path_type=Path)
)
@click.option(
    "--now",
    required=True,
    type=_Now(),
    help="The time now, local city time, e.g. '2025-03-22 14:30'. Items that started before "
    "it are kept; an item in progress is finished as planned, except a visit the group has "
    "left for where --at says it is now (it ends early).",
)
@click.option(
    "--at",
    "at",
    type=_At(),
    default=None,
    help="Where the group is now: a city-pack place id or lat,lon [default: where the plan "
    "puts it]. The group's move there ends at --now.",
)
@click.option(
    "--skip",
    multiple=True,
    metavar="ID",
    help="A place still to come to drop (closed, no interest); repeat for several.",
)
@click.option(
    "--delay",
    type=click.IntRange(min=0, max=24 * 60),
    default=0,
    show_default=True,
    help="Minutes before the group can move on (after the item in progress, or from "
    "--now at the --at position).",
)
@click.option(
    "--add",
    multiple=True,
    metavar="ID",
    help="A city-pack place to add as a must-see; repeat for several.",
)
@out_option("re-planning succeeded")
@click.option(
    "--request",
    "request_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The request file [default: the request stored in the itinerary, else "
    "request.yaml beside it].",
)
@search_options(REPLAN_BUDGET)
@CITY_PACK_OPTION
@network_source_options
@PROGRESS_OPTION
def replan_command(
    *,
    itinerary_file: Path,
    now: dt.datetime,
    at: str | tuple[float, float] | None,
    skip: tuple[str, ...],
    delay: int,
    add: tuple[str, ...],
    out_dir: Path,
    request_file: Path | None,
    budget: SearchBudget,
    formats: frozenset[str],
    city_pack: Path | None,
    source: NetworkSource,
    progress: bool | None,
) -> None:
    """Re-plan the rest of ITINERARY.json from --now; write the new plan to DIR."""
    began = time.perf_counter()
    itinerary = Itinerary.load(itinerary_file)
    request = _request(itinerary, itinerary_file, request_file)
    osm = None
    if request.city is None and city_pack is None:  # planned from an extract alone
        found = source_for_itinerary(source, itinerary)
        osm = extract_of(source) or (found.path if found is not None else None)
    pack = tours.load_places(city_pack, request=request, network=osm)
    source = source_for_pack(source, pack)
    network = tours.load_network(source, progress=show_progress(progress))
    with working("Re-planning", show=show_progress(progress)):
        result = tours.replan(
            itinerary,
            now=now,
            pack=pack,
            network=network,
            request=request,
            at=at,
            skip=skip,
            add=add,
            delay_min=delay,
            budget=budget,
        )
    # the guide reads the changes out first; the maps and prints follow
    for line in result.changes:
        click.echo(line)
    click.echo(
        f"Re-planned in {result.seconds:.2f} s ({time.perf_counter() - began:.2f} s with "
        f"loading; {'old order kept' if result.kept_old_order else 'new order'}, "
        f"seed {budget.seed})."
    )
    written = write_outputs(
        result.itinerary, out_dir, formats=formats, source=source, progress=progress
    )
    click.echo(f"Wrote {len(written)} file(s) to {out_dir}:")
    for path in written:
        click.echo(f"  {path}")
