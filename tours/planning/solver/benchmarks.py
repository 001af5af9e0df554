"""Readers of the public OPTW benchmark files (TOPTW and TTDP formats) into a :class:`Problem`.

Rules (``shared/bench/optw/README.md``):

* TOPTW (Solomon ``c101``/``r101``/``rc101``, Cordeau ``pr01``): line ``i x y d S f a list O C``;
  node 0 is start and end of every tour, its ``C`` is the time budget. Travel time is the
  Euclidean distance rounded DOWN to 1 decimal (Solomon) or 2 decimals (Cordeau ``pr*``).
  Service must start in ``[O, C]``.
* TTDP (``t101``): header ``k M SD N ...``; depot line ``0 x y d S O C`` (tour from ``O`` to
  ``C``); node lines ``i x y d S t open0 close0 ... open6 close6 b`` with opening hours per
  weekday. Tour ``k`` runs on weekday ``(SD + k) % 7``; a node with ``open == close == 0`` that
  day is closed; otherwise its service must start in ``[open, close]`` (the TOPTW convention).
  Distances are rounded down to 2 decimals.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tours._errors import InputError
from tours.planning.solver.optw import Node, Problem, Tour


@dataclass(frozen=True)
class BenchmarkInstance:
    """A parsed instance: its name, the file's vertex ids (index -> id) and the problem."""

    name: str
    ids: list[int]
    problem: Problem
    coords: np.ndarray


def _floor_distances(coords: np.ndarray, decimals: int) -> np.ndarray:
    scale = 10.0**decimals
    diff = coords[:, None, :] - coords[None, :, :]
    dist = np.sqrt((diff**2).sum(axis=2))
    # the tiny epsilon keeps exact decimals (e.g. 5.0 computed as 4.9999999) from dropping
    return np.floor(dist * scale + 1e-9) / scale


def _numbers(path: Path) -> list[list[float]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        msg = f"cannot read benchmark file `{path}`: {err}"
        raise InputError(msg) from None
    rows: list[list[float]] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append([float(x) for x in line.split()])
        except ValueError:
            msg = f"`{path.name}` line {lineno}: expected numbers, got {line.strip()!r}"
            raise InputError(msg) from None
    return rows


def read_toptw(path: Path, *, tours: int = 1, decimals: int | None = None) -> BenchmarkInstance:
    """Read a TOPTW file (Solomon/Cordeau based) for *tours* identical tours.

    *decimals* of the rounded-down travel times defaults to 2 for ``pr*`` files, else 1.
    """
    path = Path(path)
    rows = _numbers(path)
    if len(rows) < 3:
        msg = f"`{path.name}` has {len(rows)} lines; a TOPTW file has a header and nodes"
        raise InputError(msg)
    if decimals is None:
        decimals = 2 if path.stem.lower().startswith("pr") else 1
    ids: list[int] = []
    coords: list[tuple[float, float]] = []
    nodes: list[Node] = []
    for row in rows[2:]:
        if len(row) < 9:
            msg = f"`{path.name}` vertex line {row!r} has {len(row)} fields; expected >= 9"
            raise InputError(msg)
        ids.append(int(row[0]))
        coords.append((row[1], row[2]))
        opens, closes = row[-2], row[-1]
        nodes.append(Node(score=row[4], service=row[3], windows=[[(opens, closes)]]))
    xy = np.array(coords)
    budget = rows[2][-1]
    problem = Problem(
        nodes=nodes,
        travel=_floor_distances(xy, decimals),
        tours=[Tour(0, 0, rows[2][-2], budget) for _ in range(tours)],
    )
    return BenchmarkInstance(path.stem, ids, problem, xy)


def read_ttdp(path: Path, *, tours: int | None = None) -> BenchmarkInstance:
    """Read a TTDP file; *tours* defaults to ``M`` of its header (tour k on day SD + k)."""
    path = Path(path)
    rows = _numbers(path)
    if len(rows) < 3 or len(rows[0]) < 4:
        msg = f"`{path.name}` is not a TTDP file (header `k M SD N ...` missing)"
        raise InputError(msg)
    n_tours = int(rows[0][1]) if tours is None else tours
    start_day = int(rows[0][2])
    depot = rows[1]
    ids = [int(depot[0])]
    coords = [(depot[1], depot[2])]
    t_open, t_close = depot[-2], depot[-1]
    nodes = [Node(score=0.0, service=0.0, windows=[[(t_open, t_close)]])]
    for row in rows[2:]:
        if len(row) < 21:
            msg = f"`{path.name}` vertex line {row!r} has {len(row)} fields; expected 21"
            raise InputError(msg)
        per_tour: list[list[tuple[float, float]]] = []
        for k in range(n_tours):
            day = (start_day + k) % 7
            opens, closes = row[6 + 2 * day], row[7 + 2 * day]
            per_tour.append([] if opens == 0 and closes == 0 else [(opens, closes)])
        ids.append(int(row[0]))
        coords.append((row[1], row[2]))
        nodes.append(Node(score=row[4], service=row[3], windows=per_tour))
    xy = np.array(coords)
    problem = Problem(
        nodes=nodes,
        travel=_floor_distances(xy, 2),
        tours=[Tour(0, 0, t_open, t_close) for _ in range(n_tours)],
    )
    return BenchmarkInstance(path.stem, ids, problem, xy)


def read_instance(path: Path, *, tours: int | None = None) -> BenchmarkInstance:
    """Read a TOPTW or TTDP file, telling the formats apart by the header line."""
    path = Path(path)
    rows = _numbers(path)
    is_ttdp = len(rows) > 1 and len(rows[1]) == 7 and len(rows[0]) > 4
    if is_ttdp:
        return read_ttdp(path, tours=tours)
    return read_toptw(path, tours=1 if tours is None else tours)
