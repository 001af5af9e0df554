"""``tours places``: list, show and search the places of a city pack and of the OSM extract."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from routing import NetworkSource, load_network
from tours._errors import InputError
from tours.cli import cli
from tours.places.join import match_place
from tours.places.osm_features import (
    NetworkStatus,
    load_features,
    network_status,
    search_features,
)
from tours.places.pack import CATEGORIES, CityPack, Place, load_city_pack


class _DateType(click.ParamType):
    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date; use YYYY-MM-DD, e.g. 2026-05-04", param, ctx)


_pack_option = click.option(
    "--city-pack",
    "city_pack",
    type=click.Path(path_type=Path),
    default=None,
    help="City pack folder (default: the embedded Chengdu pack).",
)
_osm_option = click.option(
    "--osm",
    "osm_file",
    type=click.Path(path_type=Path),
    default=None,
    help="OSM extract to use instead of the pack's default one.",
)
_network_option = click.option(
    "--network/--no-network",
    default=True,
    show_default=True,
    help="Load the street network to show whether each place is inside it.",
)


def _bare_extract(city_pack: Path | None, osm: Path | None) -> bool:
    """Browse an extract with no pack: ``--osm`` names another file than the embedded pack's
    extract and no ``--city-pack`` is given."""
    if city_pack is not None or osm is None:
        return False
    try:
        default = load_city_pack().osm_extract_path()
    except InputError:
        return True
    return osm.resolve() != default.resolve()


def _pack(ctx: click.Context, city_pack: Path | None, osm_file: Path | None = None) -> CityPack:
    """The city pack to browse: ``--city-pack``, else the places of a bare ``--osm``
    extract (every sight, restaurant and hotel, as ``tours pack init`` would list them),
    else the embedded pack."""
    parent = ctx.find_root().params if ctx.parent is None else (ctx.parent.params or {})
    path = city_pack if city_pack is not None else parent.get("city_pack")
    osm = osm_file if osm_file is not None else parent.get("osm_file")
    if osm is not None and _bare_extract(path, Path(osm)):
        from tours.places.generate import extract_city_pack

        return extract_city_pack(Path(osm))
    return load_city_pack(path)


def _osm_path(ctx: click.Context, pack: CityPack, osm_file: Path | None) -> Path:
    parent = ctx.parent.params if ctx.parent is not None else {}
    chosen = osm_file if osm_file is not None else parent.get("osm_file")
    return Path(chosen) if chosen is not None else pack.osm_extract_path()


def _load_net(osm: Path) -> Any:
    return load_network(NetworkSource.from_file(osm), progress=True)


def _hours_text(pack: CityPack, place: Place) -> str:
    return place.opening_hours if place.opening_hours is not None else "unknown"


def _place_row(
    pack: CityPack, place: Place, status: NetworkStatus | None, day: dt.date | None
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": place.id,
        "name_en": place.names.en,
        "name_zh": place.names.zh,
        "category": place.category,
        "opening_hours": place.opening_hours,
        "visit_minutes": place.visit_minutes,
        "min_visit_minutes": place.min_visit_minutes,
        "lat": place.lat,
        "lon": place.lon,
        "osm_id": place.osm_id,
        "in_network": None if status is None else status.inside,
        "snap_m": None if status is None else status.snap_m,
        "network_note": None if status is None else status.label,
    }
    if day is not None:
        hours = pack.hours(place)
        row["open_intervals"] = (
            None
            if hours is None
            else [[a.isoformat(), b.isoformat()] for a, b in hours.intervals_on(day)]
        )
    return row


def _open_on(pack: CityPack, place: Place, day: dt.date) -> bool | None:
    hours = pack.hours(place)
    return None if hours is None else hours.is_open_on(day)


@cli.group(invoke_without_command=True)
@click.option(
    "--category",
    type=click.Choice(CATEGORIES),
    default=None,
    help="Only places of this category.",
)
@click.option(
    "--open-on",
    "open_on",
    type=_DateType(),
    default=None,
    help="Only places open at some time on this date (unknown hours are kept, marked '?').",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@_pack_option
@_osm_option
@_network_option
@click.pass_context
def places(
    ctx: click.Context,
    *,
    category: str | None,
    open_on: dt.date | None,
    as_json: bool,
    city_pack: Path | None,
    osm_file: Path | None,
    network: bool,
) -> None:
    """List the places of the city pack (or show/search them with a subcommand)."""
    if ctx.invoked_subcommand is not None:
        return
    pack = _pack(ctx, city_pack, osm_file)
    chosen = [p for p in pack.places.values() if category is None or p.category == category]
    if open_on is not None:
        chosen = [p for p in chosen if _open_on(pack, p, open_on) is not False]
    net = _load_net(_osm_path(ctx, pack, osm_file)) if network else None
    statuses = {p.id: network_status(net, p.lat, p.lon) if net else None for p in chosen}
    if as_json:
        rows = [_place_row(pack, p, statuses[p.id], open_on) for p in chosen]
        click.echo(json.dumps({"city": pack.id, "places": rows}, ensure_ascii=False, indent=2))
        return
    city = f"{pack.name_en} ({pack.name_zh})" if pack.name_zh else pack.name_en
    table = Table(title=f"{city}: {len(chosen)} places")
    for col in ("id", "English", "other names", "category", "hours", "visit", "in network"):
        table.add_column(col, overflow="fold")
    if open_on is not None:
        table.add_column(f"open {open_on.isoformat()}")
    for p in chosen:
        status = statuses[p.id]
        cells = [
            p.id,
            p.names.en,
            " · ".join(n for lang, n in p.names.by_language().items() if lang != "en"),
            p.category,
            _hours_text(pack, p),
            f"{p.visit_minutes} min (min {p.min_visit_minutes})",
            "?" if status is None else status.label,
        ]
        if open_on is not None:
            hours = pack.hours(p)
            spans = [] if hours is None else hours.intervals_on(open_on)
            cells.append(
                "?"
                if hours is None
                else ", ".join(
                    f"{a:%H:%M}-{b:%H:%M}" if b.date() == a.date() else f"{a:%H:%M}-24:00"
                    for a, b in spans
                )
            )
        table.add_row(*cells)
    Console(width=160).print(table)


@places.command("show")
@click.argument("place_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@_pack_option
@_osm_option
@_network_option
@click.pass_context
def show(
    ctx: click.Context,
    *,
    place_id: str,
    as_json: bool,
    city_pack: Path | None,
    osm_file: Path | None,
    network: bool,
) -> None:
    """Show one place: names, hours, notes, sources, OSM match and network status."""
    pack = _pack(ctx, city_pack, osm_file)
    place = pack.place(place_id)
    osm = _osm_path(ctx, pack, osm_file)
    match = match_place(place, load_features(osm))
    status = network_status(_load_net(osm), place.lat, place.lon) if network else None
    if as_json:
        data = place.model_dump(mode="json")
        data["osm_match"] = {
            "method": match.method,
            "osm_id": match.feature.osm_id if match.feature else None,
            "name": match.feature.name if match.feature else None,
            "distance_m": match.distance_m,
            "note": match.note,
        }
        data["in_network"] = None if status is None else status.inside
        data["snap_m"] = None if status is None else status.snap_m
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    lines = [
        f"{place.id}: " + " / ".join(place.names.all()),
        f"  category      {place.category}",
        f"  position      {place.lat:.6f}, {place.lon:.6f}",
        f"  OSM id        {place.osm_id or '-'}",
        f"  hours         {_hours_text(pack, place)}",
        f"  visit         {place.visit_minutes} min (at least {place.min_visit_minutes})",
        f"  tickets       {place.tickets}",
    ]
    for label, value in (
        ("entrance", place.entrance),
        ("access", place.accessibility),
        ("address", place.address_zh or " / ".join(place.address.values())),
        ("website", place.website),
        ("wikidata", place.wikidata),
        ("notes", place.notes),
    ):
        if value:
            lines.append(f"  {label:<13} {value}")
    if match.feature is not None:
        lines.append(
            f"  OSM match     {match.feature.osm_id} {match.feature.name!r} by {match.method}, "
            f"{match.distance_m:.0f} m"
        )
    else:
        lines.append(f"  OSM match     none ({match.note})")
    if status is not None:
        lines.append(f"  in network    {status.label}")
    lines.append("  sources")
    for s in place.sources:
        flag = "" if s.verified else " (unverified)"
        where = f" <{s.url}>" if s.url else ""
        lines.append(f"    - {', '.join(s.facts)}: {s.title}{where}; checked {s.checked}{flag}")
        if s.note:
            lines.append(f"      {s.note}")
    click.echo("\n".join(lines))


@places.command("search")
@click.argument("text")
@click.option("--limit", default=20, show_default=True, help="Most results to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@_pack_option
@_osm_option
@_network_option
@click.pass_context
def search(
    ctx: click.Context,
    *,
    text: str,
    limit: int,
    as_json: bool,
    city_pack: Path | None,
    osm_file: Path | None,
    network: bool,
) -> None:
    """Find OSM features of the loaded extract by name, in any script; say whether each is
    inside the street network and the city pack's bounds."""
    pack = _pack(ctx, city_pack, osm_file)
    osm = _osm_path(ctx, pack, osm_file)
    found = search_features(load_features(osm), text, limit=limit)
    net = _load_net(osm) if network and found else None
    statuses = {f.osm_id: network_status(net, f.lat, f.lon) if net else None for f, _s in found}
    in_bounds = {f.osm_id: pack.settings.bounds.contains(f.lat, f.lon) for f, _s in found}
    if as_json:
        rows = [
            {
                "osm_id": f.osm_id,
                "name": f.name,
                "name_en": f.name_en,
                "name_zh": f.name_zh,
                "kind": f.kind,
                "lat": f.lat,
                "lon": f.lon,
                "score": score,
                "in_network": None if (st := statuses[f.osm_id]) is None else st.inside,
                "network_note": None if st is None else st.label,
                "in_pack_bounds": in_bounds[f.osm_id],
            }
            for f, score in found
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo(f"no match: no OSM feature of `{osm.name}` is named like {text!r}")
        return
    table = Table(title=f"OSM features of {osm.name} matching {text!r}")
    for col in ("osm id", "name", "name:en", "kind", "lat, lon", "score", "in network"):
        table.add_column(col, overflow="fold")
    table.add_column(f"in {pack.id} bounds")
    for f, score in found:
        status = statuses[f.osm_id]
        table.add_row(
            f.osm_id,
            f.name,
            f.name_en,
            f.kind,
            f"{f.lat:.6f}, {f.lon:.6f}",
            f"{score:.0f}",
            "?" if status is None else status.label,
            "yes" if in_bounds[f.osm_id] else "no",
        )
    Console(width=160).print(table)
