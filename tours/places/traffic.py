"""A city pack's coach speed profile (``traffic.yaml``) and the request's override."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from routing import GENERIC_PROFILE, CoachSpeedProfile
from tours._errors import InputError

#: File name of a pack's profile.
TRAFFIC_FILE = "traffic.yaml"
#: Names a request may give instead of a profile of its own.
NAMED_PROFILES = ("city", "generic", "flat")


class _TrafficSource(BaseModel):
    model_config = ConfigDict(extra="forbid")

    facts: Annotated[list[str], Field(min_length=1)]
    title: Annotated[str, Field(min_length=1)]
    url: str | None = None
    checked: Any
    verified: bool = True
    note: str = ""


class TrafficFile(BaseModel):
    """The content of ``traffic.yaml``."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1)]
    factors: list[float] | dict[str, float]
    sources: Annotated[list[_TrafficSource], Field(min_length=1)]


def profile_from(data: Any, *, where: str) -> CoachSpeedProfile:
    """A profile from a ``traffic.yaml`` body or a request's ``coach_profile`` mapping.

    Raises
    ------
    InputError
        One line naming *where* and the bad field.
    """
    if not isinstance(data, dict):
        msg = f"{where}: expected a mapping with `factors` (24 numbers or hour: factor)"
        raise InputError(msg)
    try:
        return CoachSpeedProfile.from_mapping(data, name=str(data.get("name", "request")))
    except (ValueError, TypeError) as err:
        msg = f"{where}: field `factors`: {err}"
        raise InputError(msg) from None


def load_traffic(folder: Path, read_yaml: Any) -> CoachSpeedProfile:
    """The coach speed profile of the pack in *folder* (the generic one without a file)."""
    path = folder / TRAFFIC_FILE
    if not path.is_file():
        return GENERIC_PROFILE
    raw = read_yaml(path)
    try:
        TrafficFile.model_validate(raw)
    except ValidationError as err:
        first = err.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "(top level)"
        msg = f"{path}: field `{field}`: {first['msg']}; see data/README.md (traffic.yaml)"
        raise InputError(msg) from None
    return profile_from(raw, where=str(path))
