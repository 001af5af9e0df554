"""Reading a request file: YAML (with line numbers) -> a checked :class:`Request`."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tours._errors import RequestError, raise_problems
from tours.planning.request._yaml import (
    Path_,
    control_character,
    dotted,
    line_of,
    load_yaml,
    read_text,
)
from tours.planning.request.checks import request_problems
from tours.planning.request.schema import Request

#: Most problems listed for one request (the rest are counted).
MAX_PROBLEMS = 20


def _capped(problems: list[str]) -> list[str]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    more = len(problems) - MAX_PROBLEMS
    return [*problems[:MAX_PROBLEMS], f"... and {more} more problem(s) like these"]


def _pydantic_problems(err: ValidationError, lines: dict[Path_, int], source: str) -> list[str]:
    problems: list[str] = []
    for item in err.errors():
        path: Path_ = tuple(item["loc"])
        line = line_of(lines, path)
        at = f", line {line}" if line is not None else ""
        text = item["msg"]
        if text.startswith("Value error, "):
            text = text.removeprefix("Value error, ")
        elif item["type"] == "extra_forbidden":
            text = "unknown field; check the spelling (see data/chengdu/requests/README.md)"
        elif item["type"] == "missing":
            text = "required field is missing"
        else:
            text = f"{text} (got {_short_repr(item['input'])})"
        problems.append(f"{source}{at}, field `{dotted(path)}`: {text}")
    return problems


def _control_characters(
    value: object, path: Path_, lines: dict[Path_, int], source: str
) -> list[str]:
    """A problem for every text with a control character (requests built in Python too)."""
    if isinstance(value, str):
        bad = control_character(value)
        if bad is None:
            return []
        line = line_of(lines, path)
        at = f", line {line}" if line is not None else ""
        return [
            f"{source}{at}, field `{dotted(path)}`: contains the control character {bad}; "
            "remove it (only tabs and line breaks are allowed)"
        ]
    if isinstance(value, Mapping):
        return [
            p
            for k, v in value.items()
            for p in _control_characters(v, (*path, str(k)), lines, source)
        ]
    if isinstance(value, list | tuple):
        return [
            p
            for i, v in enumerate(value)
            for p in _control_characters(v, (*path, i), lines, source)
        ]
    return []


def _short_repr(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."


def parse_request(text: str, *, source: str = "request", base_dir: Path | None = None) -> Request:
    """Read a request from YAML *text* (see :func:`load_request`)."""
    data, lines = load_yaml(text, source=source)
    if not isinstance(data, dict):
        msg = f"{source}, line 1: a request is a YAML mapping (`title: ...`, `dates: ...`, ...)"
        raise RequestError([msg])
    return _checked(data, lines, source=source, base_dir=base_dir)


def request_from_mapping(
    data: Mapping[str, Any], *, source: str = "request", base_dir: Path | None = None
) -> Request:
    """A request from a mapping with the fields of a request file (e.g. built in Python).

    Relative paths in it (a ``city`` pack folder) are relative to *base_dir* (default: the
    current folder).
    """
    if not isinstance(data, Mapping):
        msg = f"{source}: a request is a mapping (`title`, `dates`, ...), not {type(data).__name__}"
        raise RequestError([msg])
    return _checked(dict(data), {}, source=source, base_dir=base_dir or Path.cwd())


def _checked(
    data: dict[str, Any], lines: dict[Path_, int], *, source: str, base_dir: Path | None
) -> Request:
    if control := _control_characters(data, (), lines, source):
        raise RequestError(_capped(control))
    try:
        request = Request.model_validate(data)
    except ValidationError as err:
        raise RequestError(_capped(_pydantic_problems(err, lines, source))) from None
    request._source = source
    request._lines = lines
    request._base_dir = base_dir
    problems, conflicts = request_problems(request)
    raise_problems(_capped(problems), _capped(conflicts))
    return request


def load_request(path: Path) -> Request:
    """Read and check a request file (everything that needs no city data).

    Raises
    ------
    RequestError
        One line per problem, each naming the file, the line and the field.
    """
    path = Path(path)
    return parse_request(read_text(path), source=str(path), base_dir=path.parent)
