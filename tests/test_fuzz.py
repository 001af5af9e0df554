"""Property tests (hypothesis) over request fields and itinerary JSON (issue 16).

For generated input the outcome must be one of: a clear refusal (each problem one line,
naming the file), or a valid value -- for itineraries one whose GPX is well-formed XML, for
requests one that plans into an itinerary the independent checker accepts (or a one-line
planning refusal). Kept fast: few examples, derandomized, iteration caps.
"""

from __future__ import annotations

import copy
import json
import math
import textwrap
import xml.etree.ElementTree as ET
from typing import Any

import yaml
from _sample import sample_itinerary
from checker import check_itinerary
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routing import StreetNetwork
from tours._errors import InputError, PlanningError
from tours.itinerary import Itinerary
from tours.places.pack import CityPack
from tours.planning.budget import SearchBudget
from tours.planning.planner import plan
from tours.planning.request import Request, parse_request

FAST = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

BASE: dict[str, Any] = yaml.safe_load(
    textwrap.dedent(
        """\
        version: 1
        title: Fuzz visit
        delegation: {name: Fuzz group, size: 6, mobility: standard}
        dates: ["2025-03-22"]
        hotel: crowne-plaza-city-center
        day_window: {start: "08:30", end: "21:30"}
        travel: {mode: mixed, walk_max_min: 15, coach_overhead_min: 10}
        buffer_min: 10
        places:
          must_see: [wenshu-monastery]
          optional:
            - {place: chunxi-road, priority: 5}
            - {place: daci-temple, priority: 7, minutes: 45}
        appointments:
          - {title: Talk, place: eastern-suburb-memory, date: "2025-03-22", start: "14:00",
             end: "15:00"}
        meals:
          - {title: Lunch, window: {start: "11:30", end: "13:30"}, minutes: 60}
        """
    )
)
#: Paths of the leaves the fuzzer replaces (as in the YAML file).
REQUEST_PATHS: list[tuple[Any, ...]] = [
    ("title",),
    ("delegation", "name"),
    ("delegation", "size"),
    ("delegation", "mobility"),
    ("dates", 0),
    ("day_window", "start"),
    ("day_window", "end"),
    ("travel", "mode"),
    ("travel", "walk_max_min"),
    ("buffer_min",),
    ("places", "must_see", 0),
    ("places", "optional", 1, "priority"),
    ("places", "optional", 1, "minutes"),
    ("appointments", 0, "date"),
    ("appointments", 0, "start"),
    ("appointments", 0, "end"),
    ("meals", 0, "minutes"),
    ("meals", 0, "window", "end"),
]

hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(max_codepoint=0x9F), max_size=12),
    st.sampled_from(["", " ", "24:00", "25:61", "9:5", "2025-02-30", "1742515200", "x" * 500]),
)
hostile_value = st.one_of(
    hostile_text,
    st.booleans(),
    st.none(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _assert_refusal(err: InputError, source: str) -> None:
    lines = str(err).splitlines()
    assert lines, "an empty message"
    for line in lines:
        assert line.startswith(source) or line.startswith("... and "), line
        assert len(line) < 600, line


@FAST
@given(path=st.sampled_from(REQUEST_PATHS), value=hostile_value)
def test_request_field_is_parsed_or_refused_in_one_line(path: tuple[Any, ...], value: Any) -> None:
    data = copy.deepcopy(BASE)
    _set(data, path, value)
    text = yaml.safe_dump(data, allow_unicode=True)
    try:
        request = parse_request(text, source="fuzz.yaml")
    except InputError as err:
        _assert_refusal(err, "fuzz.yaml")
        return
    assert isinstance(request, Request)
    for number in (request.delegation.size, request.buffer_min, request.travel.walk_max_min):
        assert not isinstance(number, bool)
        assert math.isfinite(number)


@FAST
@given(text=st.text(max_size=200))
def test_any_text_is_parsed_or_refused_in_one_line(text: str) -> None:
    try:
        parse_request(text, source="fuzz.yaml")
    except InputError as err:
        _assert_refusal(err, "fuzz.yaml")


def _leaf_paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in _leaf_paths(v, (*prefix, k))]
    if isinstance(data, list) and data and not isinstance(data[0], int | float):
        return [p for i, v in enumerate(data) for p in _leaf_paths(v, (*prefix, i))]
    return [prefix]


SAMPLE = json.loads(sample_itinerary().to_json())
SAMPLE_PATHS = _leaf_paths(SAMPLE)


@FAST
@given(path=st.sampled_from(SAMPLE_PATHS), value=hostile_value)
def test_tampered_itinerary_is_read_or_refused_in_one_line(
    path: tuple[Any, ...], value: Any
) -> None:
    data = copy.deepcopy(SAMPLE)
    _set(data, path, value)
    try:
        text = json.dumps(data, allow_nan=True)
    except (TypeError, ValueError):
        return
    try:
        itinerary = Itinerary.from_json(text, source="fuzz.json")
    except InputError as err:
        _assert_refusal(err, "fuzz.json")
        return
    from maps.gpx_export import gpx_text  # noqa: PLC0415

    ET.fromstring(gpx_text(itinerary).encode("utf-8"))  # noqa: S314 - our own output


# -- valid variations plan into checked itineraries ----------------------------------------


@settings(
    max_examples=6,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    mode=st.sampled_from(["walk", "coach", "mixed"]),
    mobility=st.sampled_from(["standard", "reduced", "wheelchair"]),
    buffer=st.integers(min_value=0, max_value=30),
    lunch_end=st.integers(min_value=13 * 60, max_value=15 * 60),
    talk_start=st.integers(min_value=9 * 4, max_value=17 * 4),
)
def test_valid_variations_plan_or_refuse_in_one_line(  # noqa: PLR0917 - hypothesis arguments
    pack: CityPack,
    chengdu_net: StreetNetwork,
    mode: str,
    mobility: str,
    buffer: int,
    lunch_end: int,
    talk_start: int,
) -> None:
    data = copy.deepcopy(BASE)
    data["travel"]["mode"] = mode
    data["delegation"]["mobility"] = mobility
    data["buffer_min"] = buffer
    data["meals"][0]["window"]["end"] = f"{lunch_end // 60:02d}:{lunch_end % 60:02d}"
    start = talk_start * 15
    data["appointments"][0]["start"] = f"{start // 60:02d}:{start % 60:02d}"
    data["appointments"][0]["end"] = f"{(start + 60) // 60:02d}:{(start + 60) % 60:02d}"
    try:
        request = parse_request(yaml.safe_dump(data), source="fuzz.yaml")
        itinerary = plan(
            request,
            pack=pack,
            network=chengdu_net,
            budget=SearchBudget(time_limit=None, max_iterations=30),
        )
    except InputError as err:
        _assert_refusal(err, "fuzz.yaml")
        return
    except PlanningError as err:
        assert len(str(err).splitlines()) == 1
        assert "node " not in str(err)
        return
    assert check_itinerary(itinerary, request=request, pack=pack, network=chengdu_net) == []
