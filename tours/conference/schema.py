"""The conference file: delegations and the shared resources they compete for.

A conference file (YAML, ``version: 1``) lists the delegations (each a request file, relative
to the conference file, or an inline request) and the shared resources::

    title: World Conference on Cultural Industry — delegation programme
    city: chengdu
    fairness: maxmin            # maxmin | total
    delegations:
      - request: requests/south-yorkshire.yaml
        language: en            # the interpreter language it needs (default: its first)
      - request: {title: ..., delegation: {name: Liverpool, size: 8}, dates: [...], ...}
    resources:
      venues:
        - {place: eastern-suburb-memory, exclusive: true}          # one group at a time
        - {place: wenshu-monastery, groups: 2}                     # two groups at once
        - {place: chengdu-museum, slots: "every 30 min, 1 group"}  # entries per slot
        - {place: tianfu-square, people: 60}                       # people at once
      guides:
        - {language: en, count: 2, hours: {start: "08:00", end: "22:00"}}
      coaches: {count: 3, seats: 45}

:func:`load_conference` reads and checks it; every problem is one line naming the file,
the line and the field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tours._errors import InputError
from tours.places.pack import CityPack, load_city_pack
from tours.planning.request import Request, Window, load_request, parse_request
from tours.planning.request._yaml import dotted, line_of, load_yaml, read_text

Fairness = Literal["maxmin", "total"]
_SLOTS = re.compile(r"^\s*every\s+(\d+)\s*min(?:utes?)?\s*,\s*(\d+)\s+(groups?|people)\s*$", re.I)


class ConferenceFileError(InputError):
    """A conference file that cannot be used (one line: file, line, field, fix)."""


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DelegationEntry(_Spec):
    """One delegation: its request (a file path or an inline request) and overrides."""

    request: str | dict[str, Any]
    language: str | None = Field(
        default=None,
        min_length=2,
        description="Interpreter language it needs (default: its request's first language).",
    )
    size: int | None = Field(default=None, ge=1, le=500)


class VenueSpec(_Spec):
    """Capacity of one shared place: at once (`groups`/`people`/`exclusive`) or per slot."""

    place: str = Field(min_length=1)
    groups: int | None = Field(default=None, ge=1, le=1000)
    people: int | None = Field(default=None, ge=1, le=100000)
    exclusive: bool = False
    slots: str | None = None

    @field_validator("slots")
    @classmethod
    def _slots_syntax(cls, value: str | None) -> str | None:
        if value is not None and not _SLOTS.match(value):
            msg = f"write slots as 'every 30 min, 2 groups' (or 'N people'), not {value!r}"
            raise ValueError(msg)
        return value


class GuideSpec(_Spec):
    """Guides/interpreters of one language: how many and their working hours."""

    language: str = Field(min_length=2)
    count: int = Field(ge=0, le=10000)
    hours: Window = Field(
        default_factory=lambda: Window.model_validate({"start": "08:00", "end": "22:00"})
    )


class CoachSpec(_Spec):
    """The coach fleet: a delegation with coach legs holds enough coaches for the day."""

    count: int = Field(ge=0, le=10000)
    seats: int = Field(default=45, ge=1, le=100)


class ResourcesSpec(_Spec):
    """All shared resources."""

    venues: list[VenueSpec] = Field(default_factory=list)
    guides: list[GuideSpec] = Field(default_factory=list)
    coaches: CoachSpec | None = None


class ConferenceSpec(_Spec):
    """A whole conference file."""

    version: Literal[1] = 1
    title: str = Field(min_length=1)
    city: str = "chengdu"
    fairness: Fairness = "maxmin"
    delegations: list[DelegationEntry] = Field(min_length=1)
    resources: ResourcesSpec = Field(default_factory=ResourcesSpec)


@dataclass(frozen=True)
class Capacity:
    """A checked venue capacity.

    ``per`` is ``"at_once"`` (simultaneous visitors) or ``"slot"`` (visits starting within
    each ``slot_min``-minute slot from midnight); ``unit`` counts ``"groups"`` or
    ``"people"``.
    """

    place_id: str
    name: str
    limit: int
    unit: Literal["groups", "people"]
    per: Literal["at_once", "slot"]
    slot_min: int = 0

    def describe(self) -> str:
        """E.g. ``1 group at a time`` or ``2 groups per 30 min``."""
        noun = self.unit if self.limit != 1 or self.unit == "people" else "group"
        if self.per == "slot":
            return f"{self.limit} {noun} per {self.slot_min} min"
        return f"{self.limit} {noun} at a time"


@dataclass(frozen=True)
class DelegationInput:
    """A delegation ready to plan: its request, a stable id and what it needs."""

    id: str
    request: Request
    language: str
    size: int

    @property
    def name(self) -> str:
        """The delegation's name."""
        return self.request.delegation.name


@dataclass(frozen=True)
class Conference:
    """A checked conference: delegations, capacities, guides, coaches, city pack."""

    title: str
    source: str
    fairness: Fairness
    delegations: list[DelegationInput]
    capacities: dict[str, Capacity]
    guides: list[GuideSpec]
    coaches: CoachSpec | None
    pack: CityPack

    def by_id(self, delegation_id: str) -> DelegationInput:
        """The delegation with this id (``ConferenceFileError`` naming the ids if none)."""
        for d in self.delegations:
            if delegation_id in (d.id, d.name):
                return d
        ids = ", ".join(d.id for d in self.delegations)
        msg = f"{self.source}: no delegation {delegation_id!r}; choose one of {ids}"
        raise ConferenceFileError(msg)


def _problem(source: str, lines: dict[Any, int], path: tuple[Any, ...], text: str) -> str:
    line = line_of(lines, path)
    at = f", line {line}" if line is not None else ""
    return f"{source}{at}, field `{dotted(path)}`: {text}"


def _fail(source: str, lines: dict[Any, int], path: tuple[Any, ...], text: str) -> None:
    raise ConferenceFileError(_problem(source, lines, path, text))


def _slug(text: str) -> str:
    out = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    return out or "delegation"


def _read_delegation(
    entry: DelegationEntry, i: int, base: Path, source: str, lines: dict[Any, int]
) -> Request:
    path = ("delegations", i, "request")
    try:
        if isinstance(entry.request, str):
            file = Path(entry.request)
            file = file if file.is_absolute() else base / file
            if not file.is_file():
                _fail(source, lines, path, f"request file `{file}` not found; check the path")
            return load_request(file)
        text = yaml.safe_dump(entry.request, allow_unicode=True, sort_keys=False)
        return parse_request(text, source=f"{source} ({dotted(path)})", base_dir=base)
    except ConferenceFileError:
        raise
    except InputError as err:
        first = str(err).splitlines()[0]
        raise ConferenceFileError(first) from None


def _capacity(venue: VenueSpec, pack: CityPack) -> Capacity:
    place = pack.place(venue.place)
    name = place.names.en
    if venue.slots is not None:
        match = _SLOTS.match(venue.slots)
        if match is None:  # checked by the validator
            msg = f"bad slots {venue.slots!r}"
            raise ConferenceFileError(msg)
        unit: Literal["groups", "people"] = (
            "people" if match.group(3).lower() == "people" else "groups"
        )
        return Capacity(place.id, name, int(match.group(2)), unit, "slot", int(match.group(1)))
    if venue.people is not None:
        return Capacity(place.id, name, venue.people, "people", "at_once")
    return Capacity(
        place.id, name, 1 if venue.exclusive else venue.groups or 1, "groups", "at_once"
    )


def _check_venue(venue: VenueSpec) -> str | None:
    given = [venue.groups is not None, venue.people is not None, venue.exclusive, venue.slots]
    if sum(bool(g) for g in given) != 1:
        return "give exactly one of `exclusive: true`, `groups: N`, `people: N` or `slots: ...`"
    if venue.slots is not None and int(_SLOTS.match(venue.slots).group(1)) < 5:  # type: ignore[union-attr]
        return "slots are at least 5 min long"
    return None


def parse_conference(text: str, *, source: str, base_dir: Path) -> Conference:
    """Read a conference from YAML *text* (see :func:`load_conference`)."""
    data, lines = load_yaml(text, source=source)
    return _checked(data, lines, source=source, base_dir=base_dir)


def conference_from_mapping(
    data: Mapping[str, Any], *, source: str = "conference", base_dir: Path | None = None
) -> Conference:
    """A conference from a mapping with the fields of a conference file (built in Python).

    Relative request paths and a ``city`` pack folder are relative to *base_dir* (default:
    the current folder); an inline request is a mapping under ``request``.
    """
    return _checked(data, {}, source=source, base_dir=base_dir or Path.cwd())


def _checked(data: Any, lines: dict[Any, int], *, source: str, base_dir: Path) -> Conference:
    if isinstance(data, Mapping):
        data = dict(data)
    if not isinstance(data, dict):
        msg = f"{source}, line 1: a conference file is a YAML mapping (`title:`, `delegations:`)"
        raise ConferenceFileError(msg)
    try:
        spec = ConferenceSpec.model_validate(data)
    except ValidationError as err:
        item = err.errors()[0]
        path = tuple(item["loc"])
        if item["type"] == "extra_forbidden":
            text_ = "unknown field; check the spelling (see the README, conference mode)"
        elif item["type"] == "missing":
            text_ = "required field is missing"
        elif item["msg"].startswith("Value error, "):
            text_ = item["msg"].removeprefix("Value error, ")
        else:
            text_ = f"{item['msg']} (got {item['input']!r})"
        raise ConferenceFileError(_problem(source, lines, path, text_)) from None
    try:
        pack = load_city_pack(None)
        if spec.city != pack.id:
            folder = Path(spec.city)
            pack = load_city_pack(folder if folder.is_absolute() else base_dir / folder)
    except InputError as err:
        raise ConferenceFileError(
            _problem(source, lines, ("city",), str(err).splitlines()[0])
        ) from None
    return Conference(
        title=spec.title,
        source=source,
        fairness=spec.fairness,
        delegations=_delegations(spec, pack, base_dir, source, lines),
        capacities=_capacities(spec, pack, source, lines),
        guides=_guides(spec, source, lines),
        coaches=spec.resources.coaches,
        pack=pack,
    )


def _delegations(
    spec: ConferenceSpec, pack: CityPack, base_dir: Path, source: str, lines: dict[Any, int]
) -> list[DelegationInput]:
    delegations: list[DelegationInput] = []
    seen: set[str] = set()
    for i, entry in enumerate(spec.delegations):
        request = _read_delegation(entry, i, base_dir, source, lines)
        if request.city not in (None, pack.id, spec.city):  # no city: the conference's
            _fail(
                source,
                lines,
                ("delegations", i, "request"),
                f"its city is {request.city!r}, the conference's is {spec.city!r}; plan one "
                "city per conference",
            )
        ident = _slug(request.delegation.name)
        if ident in seen:
            _fail(
                source,
                lines,
                ("delegations", i),
                f"two delegations are named {request.delegation.name!r}; give each its own "
                "`delegation.name`",
            )
        seen.add(ident)
        language = entry.language or (request.delegation.languages or ["en"])[0]
        size = entry.size or request.delegation.size
        if entry.size is not None:
            request = request.model_copy(
                update={"delegation": request.delegation.model_copy(update={"size": size})}
            )
        delegations.append(DelegationInput(ident, request, language.casefold(), size))
    return delegations


def _capacities(
    spec: ConferenceSpec, pack: CityPack, source: str, lines: dict[Any, int]
) -> dict[str, Capacity]:
    capacities: dict[str, Capacity] = {}
    for j, venue in enumerate(spec.resources.venues):
        path = ("resources", "venues", j)
        bad = _check_venue(venue)
        if bad:
            _fail(source, lines, path, bad)
        try:
            cap = _capacity(venue, pack)
        except InputError as err:
            _fail(source, lines, (*path, "place"), str(err).splitlines()[0])
        if cap.place_id in capacities:
            _fail(source, lines, (*path, "place"), f"{cap.name} is listed twice; list it once")
        capacities[cap.place_id] = cap
    return capacities


def _guides(spec: ConferenceSpec, source: str, lines: dict[Any, int]) -> list[GuideSpec]:
    languages = [g.language.casefold() for g in spec.resources.guides]
    if len(set(languages)) != len(languages):
        _fail(source, lines, ("resources", "guides"), "a language is listed twice; add counts")
    return list(spec.resources.guides)


def load_conference(path: Path) -> Conference:
    """Read and check a conference file; request paths are relative to it.

    Raises
    ------
    ConferenceFileError
        One line naming the file, the line and the field, and what to do.
    """
    path = Path(path)
    try:
        text = read_text(path)
    except InputError as err:
        raise ConferenceFileError(str(err).replace("request file", "conference file")) from None
    return parse_conference(text, source=str(path), base_dir=path.parent)
