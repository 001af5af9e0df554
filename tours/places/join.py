"""Join city-pack places with the OSM features of an extract.

:func:`match_place` finds a place's feature by its OSM id, else by name (any name tag)
within a radius, and reports the distance. The pack and the features stay independent:
this module imports both, neither imports it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from tours.places.osm_features import OsmFeature, norm
from tours.places.pack import CityPack, Place


@dataclass(frozen=True)
class PlaceMatch:
    """How a pack place joins the extract.

    ``method`` : {"osm_id", "name", None} — None when no feature matched.
    ``distance_m`` is from the place's coordinates to the matched feature.
    """

    place_id: str
    method: str | None
    feature: OsmFeature | None
    distance_m: float | None
    note: str = ""


def match_place(place: Place, features: list[OsmFeature], *, radius_m: float = 300.0) -> PlaceMatch:
    """Find *place* among *features*: by OSM id, else by any name within *radius_m*.

    Name matching compares the place's names with every name tag of a feature
    (normalised, so spaces and punctuation do not matter; a score of 90+ also counts).
    """
    if place.osm_id:
        for feature in features:
            if feature.osm_id == place.osm_id:
                dist = feature.distance_m(place.lat, place.lon)
                return PlaceMatch(place.id, "osm_id", feature, dist)
        note = f"{place.osm_id} is not in the extract"
    else:
        note = "no osm_id"
    wanted = [norm(n) for n in place.names.all() if norm(n)]
    best: tuple[float, OsmFeature] | None = None
    for feature in features:
        dist = feature.distance_m(place.lat, place.lon)
        if dist > radius_m:
            continue
        labels = [norm(n) for n in feature.names.values()]
        score = max((fuzz.ratio(w, lab) for w in wanted for lab in labels if lab), default=0.0)
        if score >= 90 and (best is None or dist < best[0]):
            best = (dist, feature)
    if best is not None:
        return PlaceMatch(place.id, "name", best[1], best[0], note=note)
    return PlaceMatch(
        place.id, None, None, None, note=f"{note}; no named feature within {radius_m:.0f} m"
    )


def join_pack(
    pack: CityPack, features: list[OsmFeature], *, radius_m: float = 300.0
) -> list[PlaceMatch]:
    """:func:`match_place` for every place of *pack*, in pack order."""
    return [match_place(p, features, radius_m=radius_m) for p in pack.places.values()]
