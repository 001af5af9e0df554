"""A YAML reader that remembers where every value came from.

Request files are small and hand-written, so every error should name the line. PyYAML's
composer gives a node tree with marks; this module turns it into plain Python values and a map
from each value's path (``("appointments", 1, "end")``) to its 1-based line.

Scalars are read conservatively (a subset of YAML 1.2's core schema): ``09:00`` stays the
string ``"09:00"`` instead of YAML 1.1's sexagesimal integer 540, ``no`` and ``on`` stay
strings, and dates stay strings for the schema to parse. Duplicate keys are an error.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from tours._errors import InputError, YamlError

Path_ = tuple[str | int, ...]

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


def _build(node: yaml.Node, path: Path_, lines: dict[Path_, int], source: str) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return [_build(child, (*path, i), lines, source) for i, child in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                line = key_node.start_mark.line + 1
                msg = f"{source}, line {line}: a key must be a plain word; check the indentation"
                raise YamlError(msg)
            key = str(key_node.value)
            if key in out:
                line = key_node.start_mark.line + 1
                where = _dotted((*path, key))
                msg = f"{source}, line {line}: field `{where}` is given twice; keep one of them"
                raise YamlError(msg)
            child_path = (*path, key)
            lines[child_path] = key_node.start_mark.line + 1
            out[key] = _build(value_node, child_path, lines, source)
        return out
    msg = f"{source}, line {node.start_mark.line + 1}: unsupported YAML node"  # pragma: no cover
    raise YamlError(msg)


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
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = f", line {mark.line + 1}" if mark is not None else ""
        problem = err.problem or err.context or "invalid YAML"
        if err.problem and err.context and err.context_mark is not None:
            problem += f" ({err.context} that starts on line {err.context_mark.line + 1})"
        msg = f"{source}{line}: YAML syntax error: {problem}; check indentation and quotes"
        raise YamlError(msg) from None
    except yaml.YAMLError as err:
        msg = f"{source}: YAML syntax error: {err}"
        raise YamlError(msg) from None
    lines: dict[Path_, int] = {}
    if node is None:
        return None, lines
    return _build(node, (), lines, source), lines


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
    """Read a request file as UTF-8, with an :class:`InputError` that names it."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        msg = f"request file `{path}` not found; check the path"
        raise InputError(msg) from None
    except UnicodeDecodeError:
        msg = f"request file `{path}` is not UTF-8 text; save it as UTF-8"
        raise InputError(msg) from None
    except OSError as err:
        msg = f"cannot read request file `{path}`: {err.strerror}"
        raise InputError(msg) from None
