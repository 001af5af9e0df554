"""A YAML reader that remembers where every value came from.

Request files are small and hand-written, so every error should name the line. PyYAML's
composer gives a node tree with marks; this module turns it into plain Python values and a map
from each value's path (``("appointments", 1, "end")``) to its 1-based line.

Scalars are read conservatively (a subset of YAML 1.2's core schema): ``09:00`` stays the
string ``"09:00"`` instead of YAML 1.1's sexagesimal integer 540, ``no`` and ``on`` stay
strings, and dates stay strings for the schema to parse. Duplicate keys are an error.

Hostile files are refused with one line before they cost time or memory: files larger than
:data:`MAX_REQUEST_BYTES` (read with a byte cap, so ``/dev/zero`` is refused too), nesting
deeper than :data:`MAX_DEPTH` (checked on the event stream, before PyYAML's recursive
composer runs), aliases that refer to themselves, and more than :data:`MAX_VALUES` values
after aliases are expanded (a "billion laughs" alias bomb stops at the limit).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from tours._errors import InputError, YamlError

Path_ = tuple[str | int, ...]

#: Largest request file read (bytes); real requests are a few kilobytes.
MAX_REQUEST_BYTES = 1_000_000
#: Deepest nesting of mappings and lists (a request needs 4).
MAX_DEPTH = 32
#: Most values (scalars, lists, mappings) after aliases are expanded.
MAX_VALUES = 100_000

_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)([eE][-+]?[0-9]+)?")
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}


_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "value", "merge")
}
_WORDS: dict[str, Any] = {
    **dict.fromkeys(_NULL),
    **dict.fromkeys(_TRUE, True),
    **dict.fromkeys(_FALSE, False),
}


def _scalar(node: yaml.ScalarNode) -> Any:
    value: str = node.value
    if node.style is not None or node.tag not in _PLAIN_TAGS:
        return value  # quoted or block scalars (and explicit tags) are always text
    if value in _WORDS:
        return _WORDS[value]
    if _INT.fullmatch(value):
        return int(value)
    if _FLOAT.fullmatch(value):
        return float(value)
    return value


class _Builder:
    """Turns a composed node tree into plain values, with a budget and cycle detection."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.lines: dict[Path_, int] = {}
        self.values = 0
        self.active: set[int] = set()  # ids of the collection nodes being built (cycles)

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.values += 1
        if self.values > MAX_VALUES:
            msg = (
                f"{self.source}: more than {MAX_VALUES:,} values once aliases are expanded "
                "(an alias bomb?); write the request without repeated `*alias` references"
            )
            raise YamlError(msg)
        self.lines.setdefault(path, node.start_mark.line + 1)
        line = node.start_mark.line + 1
        if len(path) > MAX_DEPTH:
            msg = f"{self.source}, line {line}: nested more than {MAX_DEPTH} levels deep"
            raise YamlError(msg)
        if isinstance(node, yaml.ScalarNode):
            value = _scalar(node)
            if isinstance(value, str) and (bad := control_character(value)) is not None:
                msg = (
                    f"{self.source}, line {line}, field `{_dotted(path)}`: contains the control "
                    f"character {bad}; remove it (only tabs and line breaks are allowed)"
                )
                raise YamlError(msg)
            return value
        if id(node) in self.active:
            msg = (
                f"{self.source}, line {node.start_mark.line + 1}: an alias refers to the "
                "value that contains it (a recursive alias); remove the `*alias`"
            )
            raise YamlError(msg)
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node, path)
        finally:
            self.active.discard(id(node))
        msg = f"{self.source}, line {node.start_mark.line + 1}: unsupported YAML node"
        raise YamlError(msg)  # pragma: no cover

    def mapping(self, node: yaml.MappingNode, path: Path_) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                line = key_node.start_mark.line + 1
                msg = (
                    f"{self.source}, line {line}: a key must be a plain word; check the indentation"
                )
                raise YamlError(msg)
            key = str(key_node.value)
            if key in out:
                line = key_node.start_mark.line + 1
                where = _dotted((*path, key))
                msg = (
                    f"{self.source}, line {line}: field `{where}` is given twice; keep one of them"
                )
                raise YamlError(msg)
            child_path = (*path, key)
            self.lines[child_path] = key_node.start_mark.line + 1
            out[key] = self.build(value_node, child_path)
        return out


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def control_character(text: str) -> str | None:
    """The first control character in *text* as ``U+XXXX`` (tab, CR and LF are allowed)."""
    match = _CONTROL.search(text)
    return None if match is None else f"U+{ord(match.group()):04X}"


def _check_depth(text: str, source: str) -> None:
    """Refuse nesting deeper than :data:`MAX_DEPTH` (PyYAML's event parser is iterative)."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                line = event.start_mark.line + 1 if event.start_mark else 1
                msg = (
                    f"{source}, line {line}: nested more than {MAX_DEPTH} levels deep; "
                    "a request needs only a few levels (see data/chengdu/requests/README.md)"
                )
                raise YamlError(msg)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _dotted(path: Path_) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"


def load_yaml(text: str, *, source: str) -> tuple[Any, dict[Path_, int]]:
    """Parse YAML *text*; return the data and a map from value path to 1-based line.

    Raises
    ------
    YamlError
        The text is not YAML (names *source*, the line and the parser's complaint).
    """
    if len(text) > MAX_REQUEST_BYTES:
        msg = (
            f"{source}: {len(text):,} characters, more than a request may have "
            f"({MAX_REQUEST_BYTES:,}); is it the right file?"
        )
        raise YamlError(msg)
    try:
        _check_depth(text, source)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = f", line {mark.line + 1}" if mark is not None else ""
        problem = err.problem or err.context or "invalid YAML"
        if err.problem and err.context and err.context_mark is not None:
            problem += f" ({err.context} that starts on line {err.context_mark.line + 1})"
        msg = f"{source}{line}: YAML syntax error: {problem}; check indentation and quotes"
        raise YamlError(msg) from None
    except yaml.reader.ReaderError as err:
        char = err.character if isinstance(err.character, int) else ord(str(err.character)[:1])
        msg = (
            f"{source}: character U+{char:04X} at position {err.position} is not "
            "allowed in YAML (a control character); remove it"
        )
        raise YamlError(msg) from None
    except yaml.YAMLError as err:
        first = str(err).splitlines()[0] if str(err) else "invalid YAML"
        msg = f"{source}: YAML syntax error: {first}"
        raise YamlError(msg) from None
    if node is None:
        return None, {}
    builder = _Builder(source)
    return builder.build(node, ()), builder.lines


def line_of(lines: dict[Path_, int], path: Path_) -> int | None:
    """The line of *path*, or of its nearest ancestor that the file contains."""
    for cut in range(len(path), -1, -1):
        if path[:cut] in lines:
            return lines[path[:cut]]
    return None


def dotted(path: Path_) -> str:
    """``("appointments", 1, "end")`` -> ``appointments[1].end``."""
    return _dotted(path)


def read_text(path: Path) -> str:
    """Read a request file as UTF-8 (at most :data:`MAX_REQUEST_BYTES`), with an
    :class:`InputError` that names it."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_REQUEST_BYTES + 1)
    except FileNotFoundError:
        msg = f"request file `{path}` not found; check the path"
        raise InputError(msg) from None
    except IsADirectoryError:
        msg = f"request file `{path}` is a folder; give the path of a YAML file"
        raise InputError(msg) from None
    except OSError as err:
        msg = f"cannot read request file `{path}`: {err.strerror}"
        raise InputError(msg) from None
    if len(data) > MAX_REQUEST_BYTES:
        msg = (
            f"request file `{path}` is larger than {MAX_REQUEST_BYTES:,} bytes (a request is "
            "a few kilobytes); is it the right file?"
        )
        raise InputError(msg)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        msg = f"request file `{path}` is not UTF-8 text; save it as UTF-8"
        raise InputError(msg) from None
