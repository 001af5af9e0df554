"""Reading a request file: YAML (with line numbers) -> a checked :class:`Request`."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from tours._errors import RequestError
from tours.planning.request._yaml import Path_, dotted, line_of, load_yaml, read_text
from tours.planning.request.checks import semantic_problems
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
    try:
        request = Request.model_validate(data)
    except ValidationError as err:
        raise RequestError(_pydantic_problems(err, lines, source)) from None
    request._source = source
    request._lines = lines
    request._base_dir = base_dir
    problems = semantic_problems(request)
    if problems:
        raise RequestError(problems)
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
