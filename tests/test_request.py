"""Reading and checking request files: syntax, schema, times, dates, places (no network)."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from tours._errors import InputError
from tours.places.pack import CityPack
from tours.planning.request import (
    Request,
    RequestError,
    city_pack_for,
    load_request,
    parse_request,
    resolve_request,
)
from tours.planning.request._yaml import YamlError

DEMO = Path(__file__).resolve().parents[1] / "data" / "chengdu" / "requests"
DEMO_FILE = DEMO / "british-culture-2025.yaml"

BASE = """\
title: Test visit
delegation:
  name: Test delegation
dates: [2025-03-21, 2025-03-22]
"""


def _parse(extra: str, *, base: str = BASE) -> object:
    return parse_request(base + textwrap.dedent(extra), source="req.yaml")


def _problems(extra: str, *, base: str = BASE) -> list[str]:
    with pytest.raises(RequestError) as info:
        _parse(extra, base=base)
    return info.value.problems


def test_demo_request_reads_and_resolves(pack: CityPack) -> None:
    request = load_request(DEMO_FILE)
    assert request.dates == [dt.date(2025, 3, 21), dt.date(2025, 3, 22)]
    assert request.day_window.start == 8 * 60 + 30
    assert request.window_on(dt.date(2025, 3, 22)).end == 22 * 60 + 30
    assert request.delegation.pace_kmh == 3.5
    assert request.travel.mode == "mixed"
    assert [a.start for a in request.appointments] == [540, 840, 960, 1140]
    assert len(request.delegation.contacts) == 3
    resolved = resolve_request(request, pack)
    assert {p.place.id for p in resolved.places if p.must_see} == {
        "wenshu-monastery",
        "chengdu-museum",
        "tianfu-square",
    }
    museum = next(p for p in resolved.places if p.place.id == "chengdu-museum")
    assert museum.minutes == 90  # the per-place override beats the pack's 120
    kuanzhai = next(p for p in resolved.places if p.place.id == "kuanzhai-alley")
    assert kuanzhai.minutes == pack.places["kuanzhai-alley"].visit_minutes
    assert kuanzhai.dates == tuple(request.dates)
    assert resolved.starts[dt.date(2025, 3, 21)].id == "crowne-plaza-city-center"
    assert resolved.meal_places[1] is not None and resolved.meal_places[1].id == "chen-mapo-tofu"
    assert city_pack_for(request).id == "chengdu"


def test_unquoted_times_stay_times_not_yaml11_sexagesimal() -> None:
    request = _parse(
        """\
        day_window: {start: 8:30, end: 21:30}
        appointments:
          - {title: A, place: tianfu-square, date: 2025-03-21, start: 9:00, end: 10:15}
        """
    )
    assert request.day_window.start == 510  # not YAML 1.1's 8*60+30 = 510 by luck:
    assert request.appointments[0].start == 540  # '9:00' would be the int 540 seconds there
    assert request.appointments[0].end == 615


def test_yaml_syntax_error_names_file_and_line() -> None:
    with pytest.raises(YamlError) as info:
        _parse("places:\n  must_see: [tianfu-square\n")
    assert str(info.value) == (
        "req.yaml, line 7: YAML syntax error: expected ',' or ']', but got '<stream end>' "
        "(while parsing a flow sequence that starts on line 6); check indentation and quotes"
    )
    with pytest.raises(YamlError, match=r"^req\.yaml, line 5: YAML syntax error: mapping values"):
        _parse("delegation: name: x\n")


def test_duplicate_key_is_an_error() -> None:
    with pytest.raises(YamlError, match=r"req\.yaml, line 5: field `title` is given twice"):
        _parse("title: again\n")


def test_bad_time_reports_line_and_field() -> None:
    problems = _problems(
        """\
        appointments:
          - title: Dinner
            place: da-rong-he-shahe
            date: 2025-03-21
            start: "19:00"
            end: "25:00"
        """
    )
    assert problems == [
        "req.yaml, line 10, field `appointments[0].end`: '25:00' is not a time of day; "
        "use 00:00 to 24:00"
    ]


@pytest.mark.parametrize(
    ("extra", "line", "field", "text"),
    [
        ("bogus: 1\n", 5, "bogus", "unknown field"),
        ("buffer_min: lots\n", 5, "buffer_min", "valid integer"),
        ("travel: {mode: bike}\n", 5, "travel.mode", "'walk', 'coach' or 'mixed'"),
        ("day_window: {start: '8h', end: '21:00'}\n", 5, "day_window.start", "not a time of day"),
        (
            "places:\n  optional:\n    - {place: jinli, priority: 11}\n",
            7,
            "places.optional[0].priority",
            "less than or equal to 10",
        ),
        ("delegation: {name: X, size: 0}\n", 5, "delegation.size", "greater than or equal to 1"),
    ],
)
def test_schema_errors_name_line_and_field(extra: str, line: int, field: str, text: str) -> None:
    base = (
        BASE.replace("delegation:\n  name: Test delegation\n", "")
        if "delegation" in extra
        else BASE
    )
    if "delegation" in extra:
        line -= 2
    problems = _problems(extra, base=base)
    assert len(problems) == 1
    assert problems[0].startswith(f"req.yaml, line {line}, field `{field}`: ")
    assert text in problems[0]


def test_missing_required_field() -> None:
    with pytest.raises(RequestError, match=r"field `dates`: required field is missing"):
        parse_request("title: x\ndelegation: {name: y}\n", source="req.yaml")


def test_not_a_mapping() -> None:
    with pytest.raises(RequestError, match="a request is a YAML mapping"):
        parse_request("- just\n- a list\n", source="req.yaml")


def test_end_before_start_date_outside_and_overlaps_one_line_each() -> None:
    problems = _problems(
        """\
        appointments:
          - {title: Talk, place: hongxing-road-35, date: 2025-03-21, start: "16:00", end: "15:00"}
          - {title: Visit, place: tianfu-square, date: 2025-03-25, start: "10:00", end: "11:00"}
          - {title: Ceremony, place: chengdu-stage, date: 2025-03-22, start: "09:00", end: "12:00"}
          - {title: Press, place: chengdu-stage, date: 2025-03-22, start: "11:30", end: "12:30"}
        """
    )
    assert len(problems) == 3
    assert problems[0].startswith("req.yaml, line 7, field `appointments[1].date`: 2025-03-25 is")
    assert "not one of the requested `dates` (2025-03-21, 2025-03-22)" in problems[0]
    assert problems[1] == (
        "req.yaml, line 6, field `appointments[0].end`: 'Talk' ends at 15:00, not after its "
        "start 16:00; fix the times"
    )
    assert problems[2].startswith("req.yaml, line 9, field `appointments[3].start`: 'Press'")
    assert "overlaps `appointments[2]` 'Ceremony' (09:00–12:00) on 2025-03-22" in problems[2]


def test_window_and_meal_problems() -> None:
    problems = _problems(
        """\
        day_window: {start: "21:30", end: "08:30"}
        appointments:
          - {title: Forum, place: chengdu-stage, date: 2025-03-21, start: "11:00", end: "14:00"}
        meals:
          - {title: Lunch, window: {start: "12:00", end: "13:00"}, minutes: 90}
          - {title: Brunch, window: {start: "11:30", end: "13:30"}, minutes: 30,
             dates: [2025-03-21]}
        """
    )
    joined = "\n".join(problems)
    assert "field `day_window.end`: ends at 08:30, not after its start 21:30" in joined
    assert "field `meals[0].minutes`: a 90-minute lunch does not fit in its window" in joined
    assert (
        "field `meals[1].window`: 'Brunch' (30 min within 11:30–13:30) does not fit around "
        "'Forum' on 2025-03-21" in joined
    )


def test_place_listed_twice() -> None:
    problems = _problems(
        """\
        places:
          must_see: [wenshu-monastery]
          optional: [Wenshu-Monastery]
        """
    )
    assert problems == [
        "req.yaml, line 7, field `places.optional[0].place`: 'Wenshu-Monastery' is already "
        "listed at `places.must_see[0]`; list each place once"
    ]


def test_unknown_place_suggests_close_matches(pack: CityPack) -> None:
    request = _parse(
        """\
        places:
          must_see: [wenshu-monastry]
          optional:
            - place: Kuanzhai Aley
        """
    )
    with pytest.raises(RequestError) as info:
        resolve_request(request, pack)
    first, second = info.value.problems
    assert first.startswith("req.yaml, line 6, field `places.must_see[0].place`: unknown place")
    assert "did you mean `wenshu-monastery`" in first
    assert second.startswith("req.yaml, line 8, field `places.optional[0].place`")
    assert "`kuanzhai-alley`" in second


def test_places_by_name_resolve(pack: CityPack) -> None:
    request = _parse("places:\n  optional: [Wenshu Monastery, 文殊院]\n")
    with pytest.raises(RequestError) as info:
        resolve_request(request, pack)
    assert info.value.problems == [
        "req.yaml, line 6, field `places.optional[1].place`: 'Wenshu Monastery' is already "
        "listed at `places.optional[0]`; list each place once"
    ]
    request = _parse("places:\n  optional: [Wenshu Monastery]\n")
    assert resolve_request(request, pack).places[0].place.id == "wenshu-monastery"


def test_must_see_closed_on_every_requested_day(pack: CityPack) -> None:
    request = _parse(
        "places:\n  must_see: [chengdu-museum]\n",
        base=BASE.replace("[2025-03-21, 2025-03-22]", "[2025-03-24]"),  # a Monday
    )
    with pytest.raises(RequestError) as info:
        resolve_request(request, pack)
    assert info.value.problems == [
        "req.yaml, line 6, field `places.must_see[0].place`: must-see Chengdu Museum is closed "
        "on every requested day (Mon 24 Mar) within the day window (opening hours: "
        'Tu-Su 09:00-17:00 "last entry 16:30"; Mo off); make it optional or change the dates'
    ]


def test_must_see_open_only_outside_the_day_window(pack: CityPack) -> None:
    request = _parse(
        "day_window: {start: '08:30', end: '19:00'}\nplaces:\n  must_see: [shufeng-yayun-opera]\n"
    )
    with pytest.raises(
        RequestError,
        match="must-see Shu Feng Ya Yun Sichuan Opera is closed on "
        r"every requested day \(Fri 21 Mar, Sat 22 Mar\)",
    ):
        resolve_request(request, pack)


def test_must_see_longer_than_any_opening(pack: CityPack) -> None:
    request = _parse("places:\n  must_see:\n    - {place: sichuan-art-museum, minutes: 500}\n")
    with pytest.raises(RequestError, match="needs 500 min but is open at most 480 min"):
        resolve_request(request, pack)


def test_unknown_city_pack(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(BASE + "city: atlantis\n", encoding="utf-8")
    request = load_request(path)
    with pytest.raises(InputError, match=r"r\.yaml, line 5, field `city`: no city pack 'atlantis'"):
        city_pack_for(request)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found; check the path"):
        load_request(tmp_path / "nope.yaml")


def test_errors_carry_the_path_given(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BASE + "buffer_min: -5\n", encoding="utf-8")
    with pytest.raises(RequestError, match=rf"^{path}, line 5, field `buffer_min`"):
        load_request(path)


def test_per_day_walking_limit() -> None:
    request = _parse(
        """\
        travel: {max_walk_km_per_day: 8}
        days:
          - {date: 2025-03-21, max_walk_km: 2.5}
          - {date: 2025-03-22, window: {start: "09:00", end: "18:00"}}
        """
    )
    assert isinstance(request, Request)
    assert request.days[0].max_walk_km == 2.5
    assert request.max_walk_km_on(dt.date(2025, 3, 21)) == 2.5  # the day's own limit
    assert request.max_walk_km_on(dt.date(2025, 3, 22)) == 8  # else the trip's
    # 0 is no walking at all
    request = _parse(
        """\
        travel: {max_walk_km_per_day: 8}
        days: [{date: 2025-03-22, max_walk_km: 0}]
        """
    )
    assert isinstance(request, Request)
    assert request.max_walk_km_on(dt.date(2025, 3, 22)) == 0
    # no limit set: the default of the mobility (issue 16)
    request = _parse("")
    assert isinstance(request, Request)
    assert request.max_walk_km_on(dt.date(2025, 3, 22)) == 15  # the mobility default


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("-1", "greater than or equal to 0 (got -1)"),
        ("51", "less than or equal to 50 (got 51)"),
        ("far", "valid number"),
    ],
)
def test_per_day_walking_limit_errors(value: str, text: str) -> None:
    problems = _problems(
        f"travel: {{max_walk_km_per_day: 8}}\ndays:\n  - date: 2025-03-22\n"
        f"    max_walk_km: {value}\n"
    )
    assert len(problems) == 1
    assert problems[0].startswith("req.yaml, line 8, field `days[0].max_walk_km`: ")
    assert text in problems[0]


def test_per_day_walking_limit_without_a_trip_wide_one() -> None:
    request = parse_request(BASE + "days:\n  - date: 2025-03-22\n    max_walk_km: 3\n")
    assert request.max_walk_km_on(dt.date(2025, 3, 22)) == 3
    assert request.max_walk_km_on(dt.date(2025, 3, 21)) == 15  # the mobility default
