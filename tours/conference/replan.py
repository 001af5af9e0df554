"""Changes on the day: a delegation runs late or drops out (``tours conference replan``).

Without moves, every other delegation keeps its plan and its venue reservations; only the
late delegation is planned again around them. With moves, the whole conference is planned
again jointly (others may move to make room).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from tours.conference.schema import Conference, ConferenceFileError, DelegationInput
from tours.planning.request import DaySpec


def without(conference: Conference, delegation_id: str) -> Conference:
    """*conference* without the delegation *delegation_id* (it drops out)."""
    gone = conference.by_id(delegation_id)
    kept = [d for d in conference.delegations if d.id != gone.id]
    if not kept:
        msg = f"{conference.source}: {gone.name!r} is the only delegation; nothing to re-plan"
        raise ConferenceFileError(msg)
    return dataclasses.replace(conference, delegations=kept)


def running_late(
    conference: Conference, delegation_id: str, day: dt.date, minutes: int
) -> tuple[Conference, DelegationInput]:
    """*conference* with *delegation_id* starting *minutes* later on *day*."""
    late = conference.by_id(delegation_id)
    request = late.request
    if day not in request.dates:
        dates = ", ".join(d.isoformat() for d in request.dates)
        msg = (
            f"`late_day={day.isoformat()}`: {late.name!r} is out on {dates} only; pick one of them"
        )
        raise ConferenceFileError(msg)
    window = request.window_on(day)
    start = window.start + minutes
    if start >= window.end:
        msg = (
            f"`late_min={minutes}`: {late.name!r} would start after its day ends ({window}); "
            "let it drop out with `drop` instead"
        )
        raise ConferenceFileError(msg)
    shifted = window.model_copy(update={"start": start})
    days = [d for d in request.days if d.date != day]
    old = next((d for d in request.days if d.date == day), None)
    spec = (
        old.model_copy(update={"window": shifted})
        if old is not None
        else DaySpec.model_validate({"date": day, "window": shifted})
    )
    new_request = request.model_copy(update={"days": sorted([*days, spec], key=lambda d: d.date)})
    updated = dataclasses.replace(late, request=new_request)
    delegations = [updated if d.id == late.id else d for d in conference.delegations]
    return dataclasses.replace(conference, delegations=delegations), updated
