"""Every stop has an address: the city pack's, an OSM element's ``addr:*`` tags (its own or
one at the same location), or the nearest named street, marked as no postal address in every
output. Values from the real Chengdu, Krems and Monaco extracts."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import osmium
import pytest
from _demo_fixtures import ItineraryCase
from _osm_files import MONACO_PBF
from click.testing import CliRunner
from icalendar import Calendar

from maps._schedule import address_in
from maps.calendar_ics import calendar_bytes
from maps.csv_export import csv_bytes
from maps.folium_map import build_map
from maps.i18n import translator
from maps.print_pdf import render_print_html
from tours.cli import cli
from tours.itinerary import PlaceRef
from tours.places.address import format_address
from tours.places.addresses import NEAREST_STREET_M, AddressBook
from tours.places.osm_features import (
    feature_by_id,
    load_address_data,
    load_feature_set,
    load_features,
    osm_text_warning,
)
from tours.places.pack import load_city_pack

KREMS = (Path(__file__).resolve().parents[1] / ".." / "shared" / "osm" / "other").resolve() / (
    "krems-2013.osm.bz2"
)


@pytest.fixture(scope="module")
def chengdu_book(chengdu_bz2: Path) -> AddressBook:
    return AddressBook(pack=load_city_pack(), data=load_address_data(chengdu_bz2))


def _found(book: AddressBook, place: PlaceRef) -> tuple[str, str, str | None]:
    """``(text, source, osm_id)`` of the address *book* finds for *place* (it must find one)."""
    address = book.address_of(place)
    assert address is not None
    return address.text, address.source, address.osm_id


# -- what the extracts carry ---------------------------------------------------------------


def test_address_data_of_the_three_extracts(chengdu_bz2: Path) -> None:
    chengdu = load_address_data(chengdu_bz2)
    krems = load_address_data(KREMS)
    monaco = load_address_data(MONACO_PBF)
    assert (len(chengdu.elements), len(chengdu.streets)) == (68, 1064)
    assert (len(krems.elements), len(krems.streets)) == (346, 281)
    assert (len(monaco.elements), len(monaco.streets)) == (30, 290)
    keys = {key for element in chengdu.elements for key in element.tags}
    # what Chengdu's mappers write: street, number, city, postcode, and a few districts
    assert {"addr:street", "addr:housenumber", "addr:city", "addr:district"} <= keys
    assert not chengdu.stripped


def test_addresses_are_written_the_way_the_country_writes_them(chengdu_bz2: Path) -> None:
    tags = {e.osm_id: e.tags for e in load_address_data(chengdu_bz2).elements}
    # Chinese: city, street, number, no spaces; a bare number gets its 号
    assert format_address(tags["node/2852766092"]) == "成都市建设北路三段168号"
    assert format_address(tags["node/2532979484"]) == "成都羊子山路68号"
    assert format_address(tags["node/1947168648"]) == "解放西路8号附1号"
    krems = {e.osm_id: e.tags for e in load_address_data(KREMS).elements}
    # Austrian: street number, postcode town
    assert format_address(krems["node/415939150"]) == "Untere Landstraße 3, 3500 Krems"
    monaco = {e.osm_id: e.tags for e in load_address_data(MONACO_PBF).elements}
    # Monaco writes the number first, as France does
    assert format_address(monaco["node/1306037369"], country="MC") == "2 rue des Orangers, 98000"


# -- the order: pack, OSM element, element at the same place, nearest street -------------


def test_pack_address_first(chengdu_book: AddressBook) -> None:
    hotel = load_city_pack().places["crowne-plaza-city-center"].to_ref()
    address = chengdu_book.address_of(hotel)
    assert address is not None
    assert (address.text, address.source) == ("成都市锦江区总府街31号", "pack")


def test_osm_element_of_the_place(chengdu_bz2: Path, chengdu_book: AddressBook) -> None:
    hotpot = feature_by_id(load_features(chengdu_bz2), "node/1947168648").to_ref()
    assert _found(chengdu_book, hotpot) == ("解放西路8号附1号", "osm", "node/1947168648")


def test_osm_outline_at_the_same_place() -> None:
    book = AddressBook(pack=None, data=load_address_data(KREMS), country="AT")
    # a point inside an unnamed building of Austraße (the place has no OSM id of its own)
    place = PlaceRef(id="guesthouse", name_en="Guesthouse", lat=48.407233, lon=15.608812)
    assert _found(book, place) == ("Austraße 18, 3500 Krems", "osm", "way/36522577")


def test_nearest_street_fallback(chengdu_book: AddressBook) -> None:
    dinner = load_city_pack().places["da-rong-he-shahe"].to_ref()
    address = chengdu_book.address_of(dinner)
    assert address is not None
    assert (address.text, address.source, address.osm_id) == ("旭光路", "street", "way/259714045")
    assert address.distance_m == pytest.approx(100.3, abs=0.5)
    assert not address.is_postal
    assert address_in(dinner.model_copy(update={"address": address}), translator("en")) == (
        "near 旭光路 (nearest street, no postal address)"
    )
    assert address_in(dinner.model_copy(update={"address": address}), translator("de")) == (
        "nahe 旭光路 (nächste Straße, keine Postanschrift)"
    )


def test_street_names_in_the_readers_language() -> None:
    book = AddressBook(pack=None, data=load_address_data(MONACO_PBF), country="MC")
    place = PlaceRef(id="palace-square", name_en="Palace square", lat=43.7315, lon=7.4200)
    address = book.address_of(place)
    assert address is not None
    assert (address.text, address.source) == ("Place du Palais", "street")
    assert address.distance_m is not None and address.distance_m <= NEAREST_STREET_M


def test_no_street_near_means_no_address() -> None:
    book = AddressBook(pack=None, data=load_address_data(KREMS), country="AT")
    vineyard = PlaceRef(id="vineyard", name_en="Vineyard", lat=48.4150, lon=15.5900)
    assert book.address_of(vineyard) is None


# -- the demo plan: every stop has an address, and every output marks the fallback ---------


def _places(case: ItineraryCase) -> list[PlaceRef]:
    it = case.itinerary
    return [p for d in it.days for p in (d.start_place, *(s.place for s in d.stops), d.end_place)]


def test_every_demo_stop_has_an_address(demo_plan: ItineraryCase) -> None:
    places = _places(demo_plan)
    sources = [p.address.source for p in places if p.address is not None]
    assert len(sources) == len(places) == 19
    assert (sources.count("pack"), sources.count("osm"), sources.count("street")) == (17, 0, 2)
    dinner = next(p for p in places if p.id == "da-rong-he-shahe")
    assert dinner.address is not None and dinner.address.source == "street"
    # Wenshufang Lanes (文殊坊) is in the city pack by its OSM way, with no address: 金马巷
    lanes = next(p for p in places if p.id == "osm-way-576653660")
    assert lanes.address is not None and lanes.address.source == "street"
    assert (lanes.address.text, lanes.address.osm_id) == ("金马巷", "way/500554502")
    for day in demo_plan.itinerary.days:
        for stop in day.stops:
            found = getattr(stop, "restaurant", None)
            if found is not None and found.place is not None:
                assert found.place.address is not None


def test_outputs_mark_the_nearest_street(demo_plan: ItineraryCase) -> None:
    it = demo_plan.itinerary
    marked = "near 旭光路 (nearest street, no postal address)"
    html = render_print_html(it, for_pdf=True)
    assert marked in html  # the day's notes
    driver = html[html.index('class="driver"') :]
    assert "旭光路附近（最近的街道，非邮政地址）" in driver  # the driver reads Chinese
    rows = list(csv.DictReader(io.StringIO(csv_bytes(it).decode("utf-8-sig"))))
    dinner = next(r for r in rows if r["place_id"] == "da-rong-he-shahe")
    assert dinner["address"] == marked
    assert dinner["address_source"] == "nearest street:way/259714045"
    hotel = next(r for r in rows if r["place_id"] == "chengdu-stage")
    assert hotel["address_source"] == "pack"
    calendar = Calendar.from_ical(calendar_bytes(it))
    locations = [str(e.get("location")) for e in calendar.walk("VEVENT")]
    assert any(loc.endswith(f", {marked}") for loc in locations)
    page = build_map(it, offline=True).get_root().render()
    assert "near 旭光路 (nearest street, no postal address)" in page


# -- control characters in OSM text: removed, with one warning naming where -----------------


def test_control_characters_in_osm_text_are_stripped_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "dirty.osm.pbf"
    writer = osmium.SimpleWriter(str(path))
    try:
        for number, tags in enumerate(
            (
                [("name", "Bad\x07Name"), ("amenity", "cafe")],
                [
                    ("name", "Ok"),
                    ("opening_hours", "Mo-Fr\x1b 08:00-18:00"),
                    ("addr:street", "A\x01b"),
                ],
            ),
            start=1,
        ):
            location = osmium.osm.Location(15.60 + number / 1000, 48.41)
            writer.add_node(
                osmium.osm.mutable.Node(id=number, version=1, location=location, tags=tags)
            )
    finally:
        writer.close()
    found = load_feature_set(path, cache=False)
    names = {f.osm_id: f.name for f in found.features}
    assert names == {"node/1": "BadName", "node/2": "Ok"}
    assert found.features[1].tags["opening_hours"] == "Mo-Fr 08:00-18:00"
    assert found.warning() is None  # nothing clipped
    warning = osm_text_warning(path)
    assert warning is not None and "\n" not in warning
    assert "2 OSM element(s): node/1 (name), node/2 (opening_hours, addr:street)" in warning
    data = load_address_data(path, cache=False)
    assert data.elements[0].tags == {"addr:street": "Ab"}
    assert data.stripped == (("node/2", "addr:street"),)


def test_plan_warns_about_control_characters_in_the_extract(tmp_path: Path) -> None:
    """`tours plan` on a Monaco extract whose "My Sushi" name holds a bell character: one
    warning line names the element and the tag; the plan and its outputs are written."""
    dirty = tmp_path / "monaco-dirty.osm.pbf"
    writer = osmium.SimpleWriter(str(dirty))
    try:
        for obj in osmium.FileProcessor(str(MONACO_PBF)):
            if obj.is_node() and obj.id == 1306037369:
                tags = {t.k: t.v for t in obj.tags} | {"name": "My\x07 Sushi"}
                writer.add_node(obj.replace(tags=tags))
            else:
                writer.add(obj)
    finally:
        writer.close()
    out = tmp_path / "out"
    request = (
        Path(__file__).resolve().parents[1] / "data" / "requests" / "monaco-grimaldi-forum.yaml"
    )
    result = CliRunner().invoke(
        cli,
        ["plan", str(request), "--osm", str(dirty), "-o", str(out), "--formats", "csv",
         "--iterations", "200", "--no-progress"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "control characters" in line]
    assert warnings == [
        "warning: extract `monaco-dirty.osm.pbf`: removed control characters from the text of "
        "1 OSM element(s): node/1306037369 (name); fix the tags in OpenStreetMap"
    ]
    assert (out / "itinerary.csv").is_file()
