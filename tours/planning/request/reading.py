"""Reading a request file: YAML (with line numbers) -> a checked :class:`Request`."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tours._errors import RequestError, raise_problems
from tours.planning.request._yaml import Path_, dotted, line_of, load_yaml, read_text
from tours.planning.request.checks import request_problems
from tours.planning.request.schema import Request


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
            text = f"{text} (got {item['input']!r})"
        problems.append(f"{source}{at}, field `{dotted(path)}`: {text}")
    return problems


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
    try:
        request = Request.model_validate(data)
    except ValidationError as err:
        raise RequestError(_pydantic_problems(err, lines, source)) from None
    request._source = source
    request._lines = lines
    request._base_dir = base_dir
    raise_problems(*request_problems(request))
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
