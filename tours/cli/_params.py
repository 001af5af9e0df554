"""Custom click parameter types shared by the ``tours`` commands."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)"
_PAIR = re.compile(rf"^\s*({_NUMBER})\s*[,;\s]\s*({_NUMBER})\s*$")


def parse_latlon(text: str) -> tuple[float, float]:
    """``"30.6598,104.0633"`` -> ``(30.6598, 104.0633)``; :class:`ValueError` with a hint."""
    match = _PAIR.match(text)
    if match is None:
        msg = f"{text!r} is not `lat,lon`; write two numbers like 30.6598,104.0633"
        raise ValueError(msg)
    lat, lon = float(match.group(1)), float(match.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        hint = (
            " (did you swap them? latitude comes first)"
            if -90 <= lon <= 90 and -180 <= lat <= 180
            else ""
        )
        msg = f"{text!r} is out of range: latitude must be in -90..90, longitude in -180..180{hint}"
        raise ValueError(msg)
    return lat, lon


class LatLon(click.ParamType):
    """A ``lat,lon`` coordinate pair in decimal degrees, e.g. ``30.6598,104.0633``."""

    name = "LAT,LON"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[float, float]:
        """Parse *value*; fail with a one-line hint when it is not a coordinate pair."""
        if isinstance(value, tuple):
            return value
        try:
            return parse_latlon(str(value))
        except ValueError as err:
            self.fail(str(err), param, ctx)


class BBox(click.ParamType):
    """A bounding box ``W,S,E,N`` in decimal degrees (west, south, east, north)."""

    name = "W,S,E,N"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[float, float, float, float]:
        """Parse *value* into four finite numbers with west < east and south < north."""
        if isinstance(value, tuple):
            return value
        parts = [p.strip() for p in str(value).split(",")]
        try:
            west, south, east, north = (float(p) for p in parts)
        except ValueError:
            self.fail(
                f"{value!r} is not `W,S,E,N`; write four numbers like 104.04,30.65,104.13,30.73",
                param,
                ctx,
            )
        box = (west, south, east, north)
        if not all(math.isfinite(v) for v in box) or not (
            -180 <= west < east <= 180 and -90 <= south < north <= 90
        ):
            self.fail(
                f"{value!r} is not a valid box: need west < east (longitudes) and "
                "south < north (latitudes), e.g. 104.04,30.65,104.13,30.73",
                param,
                ctx,
            )
        return box


LATLON = LatLon()
BBOX = BBox()


class FiniteFloatRange(click.FloatRange):
    """A :class:`click.FloatRange` that also refuses ``nan`` and ``inf``."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """Parse *value*; fail on a number that is not finite, then check the range."""
        number = super(click.FloatRange, self).convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return super().convert(number, param, ctx)


class OutDir(click.Path):
    """An output folder: like ``click.Path(file_okay=False)``, but never an empty name."""

    def __init__(self) -> None:
        super().__init__(file_okay=False, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """Refuse an empty or blank folder name (it would silently mean the current folder)."""
        if isinstance(value, str) and not value.strip():
            self.fail("the folder name is empty; give a folder, e.g. `-o out/plan`", param, ctx)
        return super().convert(value, param, ctx)


def option_group(
    name: str,
    options: Sequence[Callable[[F], F]],
    build: Callable[..., Any],
    keys: Sequence[str],
) -> Callable[[F], F]:
    """Add *options* to a command that receives them as one value.

    The options' values named *keys* are taken out of the command's keyword arguments and
    given to *build*; its result reaches the command as *name* (e.g. ``--time-limit``,
    ``--iterations`` and ``--seed`` as one ``budget``).
    """

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            values = {key: kwargs.pop(key) for key in keys}
            kwargs[name] = build(**values)
            return func(*args, **kwargs)

        command: Any = wrapper
        for option in reversed(options):
            command = option(command)
        return command  # type: ignore[no-any-return]

    return decorate
