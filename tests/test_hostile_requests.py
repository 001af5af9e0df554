"""Hostile requests: malformed and malicious request files.

Every case must fail with one line naming the file and field, exit code 2, no traceback and
nothing written (issue 16, findings 5-7 and 9); each runs ``tours check --no-network``.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from _cli import one_line_exit_2 as _one_line_exit_2
from click.testing import CliRunner, Result

from tours._errors import InputError
from tours.cli import cli
from tours.planning.request import parse_request

BASE = """\
version: 1
title: Test visit
delegation: {name: Test group, size: 4}
dates: [2025-03-21]
places:
  must_see: [wenshu-monastery]
"""


def _check(tmp_path: Path, text: str | bytes) -> Result:
    path = tmp_path / "request.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return CliRunner().invoke(cli, ["check", "--no-network", str(path)])


def _bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for k in range(1, levels + 1):
        refs = ", ".join([f"*a{k - 1}"] * 9)
        lines.append(f"a{k}: &a{k} [{refs}]")
    return "\n".join(lines) + "\n"


REQUEST_CASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "alias bomb": (_bomb(), ("alias",)),
    "recursive alias": ("a: &a [*a]\n", ("recursive alias", "line 1")),
    "recursive mapping alias": ("&a {x: *a}\n", ("recursive alias",)),
    "deep lists": ("[" * 5000 + "]" * 5000 + "\n", ("nested more than",)),
    "deep mappings": (
        "".join("  " * i + f"k{i}:\n" for i in range(60)) + "  " * 60 + "v\n",
        ("nested more than",),
    ),
    "boolean size": (
        BASE.replace("size: 4", "size: true"),
        ("field `delegation.size`", "valid integer", "True"),
    ),
    "float size": (BASE.replace("size: 4", "size: 4.5"), ("field `delegation.size`",)),
    "timestamp date": (
        BASE.replace("[2025-03-21]", "[1742515200]"),
        ("field `dates[0]`", "YYYY-MM-DD"),
    ),
    "impossible date": (BASE.replace("2025-03-21", "2025-02-30"), ("field `dates[0]`",)),
    "far future date": (BASE.replace("2025-03-21", "9999-12-31"), ("field `dates[0]`",)),
    "NUL in title": (
        BASE.replace("title: Test visit", 'title: "Te\\0st"'),
        ("field `title`", "U+0000"),
    ),
    "escape in a name": (
        BASE.replace("name: Test group", 'name: "A\\x1b[31m"'),
        ("field `delegation.name`", "U+001B"),
    ),
    "long title": (
        BASE.replace("title: Test visit", "title: " + "x" * 100_000),
        ("field `title`", "at most 200"),
    ),
    "infinite number": (
        BASE + "travel: {walk_max_min: 1e999}\n",
        ("field `travel.walk_max_min`", "finite"),
    ),
    "nan as text": (BASE + "buffer_min: .nan\n", ("field `buffer_min`",)),
    "negative size": (BASE.replace("size: 4", "size: -3"), ("field `delegation.size`",)),
    "huge list": (
        BASE.replace(
            "must_see: [wenshu-monastery]",
            "optional: [" + ",".join(f"p{i}" for i in range(5000)) + "]",
        ),
        ("field `places.optional`", "at most 200"),
    ),
    "not a mapping": ("- just\n- a list\n", ("YAML mapping",)),
}


@pytest.mark.parametrize("case", sorted(REQUEST_CASES))
def test_hostile_request_is_one_line_exit_2(tmp_path: Path, case: str) -> None:
    text, needles = REQUEST_CASES[case]
    started = time.perf_counter()
    result = _check(tmp_path, text)
    assert time.perf_counter() - started < 10
    _one_line_exit_2(result, "request.yaml", *needles)


def test_alias_bomb_stops_fast() -> None:
    started = time.perf_counter()
    with pytest.raises(InputError, match="alias"):
        parse_request(_bomb(12), source="bomb.yaml")
    assert time.perf_counter() - started < 5


def test_plain_aliases_still_work() -> None:
    text = BASE.replace("dates: [2025-03-21]", "dates: [&d 2025-03-21]\nappointments: []").replace(
        "must_see: [wenshu-monastery]", "must_see: [wenshu-monastery]\n  optional: []"
    )
    request = parse_request(
        text + "meals: [{window: &w {start: '12:00', end: '14:00'}, minutes: 60, dates: [*d]}]\n",
        source="r.yaml",
    )
    assert request.meals[0].window.start == 12 * 60


def test_dev_zero_is_refused_by_size(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "--no-network", "/dev/zero"])
    _one_line_exit_2(result, "/dev/zero", "larger than")


def test_binary_and_folder_requests(tmp_path: Path) -> None:
    _one_line_exit_2(_check(tmp_path, b"\xff\xfe\x00bad"), "not UTF-8")
    result = CliRunner().invoke(cli, ["check", "--no-network", str(tmp_path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
