"""``tours pack init``: an editable city pack from an OSM extract."""

from __future__ import annotations

from pathlib import Path

import click

from tours.cli import cli


@cli.group("pack")
def pack_group() -> None:
    """Create city packs."""


@pack_group.command("init")
@click.option(
    "--osm",
    "osm_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The OSM extract (.osm, .osm.bz2 or .osm.pbf) to read the places from.",
)
@click.option(
    "-o",
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="New pack folder (must not exist or be empty).",
)
@click.option("--name", default=None, help="The city's name [default: from the extract].")
def init_command(*, osm_file: Path, out_dir: Path, name: str | None) -> None:
    """Write city.yaml and places.yaml for the extract's sights, restaurants and hotels."""
    from tours.places.generate import init_pack
    from tours.places.osm_features import load_feature_set

    pack = init_pack(osm_file, out_dir, name=name)
    if warning := load_feature_set(osm_file).warning():
        click.echo(f"warning: {warning}", err=True)
    counts: dict[str, int] = {}
    for place in pack.places.values():
        counts[place.category] = counts.get(place.category, 0) + 1
    listed = ", ".join(f"{n} {c}" for c, n in sorted(counts.items()))
    click.echo(
        f"Wrote city pack `{pack.id}` ({pack.name_en}, {pack.timezone}) to {out_dir}: "
        f"{len(pack.places)} places ({listed}); default start {pack.default_start}"
    )
