"""Named inputs and state of the compiled solver kernels (:mod:`._kernel`).

Both are typed tuples of numpy arrays: numba compiles attribute access to the same code as
positional indexing, so names cost nothing at run time. To add a field, append it here (the
cached kernels recompile for the new types), fill it in ``optw._compile`` or
``optw._empty_state`` and, for :class:`State`, in ``_kernel.copy_state`` and
``_kernel._state_copy``.
This module imports no numba, so the pure-Python side builds the values without loading it.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class Instance(NamedTuple):
    """One problem as flat arrays (N nodes, K tours, W time windows, B breaks, M must-sees).

    Times are in the problem's unit (minutes in the planner); ``inf`` means "no limit".
    """

    travel: np.ndarray
    """(N, N) travel time from node i to node j."""
    walk: np.ndarray
    """(N, N) walking time of that leg (counts against :attr:`walk_limit`)."""
    score: np.ndarray
    """(N,) effective score: a mandatory node's includes a bonus above all scores together."""
    service: np.ndarray
    """(N,) time spent at the node."""
    win_ptr: np.ndarray
    """(K*N + 1,) windows of node j on tour k: ``win_*[win_ptr[k*N+j]:win_ptr[k*N+j+1]]``."""
    win_open: np.ndarray
    """(W,) earliest start of service of each window."""
    win_close: np.ndarray
    """(W,) latest start of service of each window."""
    tour_start_node: np.ndarray
    """(K,) start depot of each tour."""
    tour_end_node: np.ndarray
    """(K,) end depot of each tour."""
    t_start: np.ndarray
    """(K,) time each tour leaves its start depot."""
    t_end: np.ndarray
    """(K,) latest return of each tour."""
    walk_limit: np.ndarray
    """(K,) most walking per tour (inf: none)."""
    brk_ptr: np.ndarray
    """(K + 1,) breaks of tour k: ``brk_*[brk_ptr[k]:brk_ptr[k+1]]``, in time order."""
    brk_earliest: np.ndarray
    """(B,) earliest start of each break."""
    brk_latest: np.ndarray
    """(B,) latest start of each break."""
    brk_duration: np.ndarray
    """(B,) length of each break."""
    mand_order: np.ndarray
    """(M,) the mandatory candidates, most constrained first."""
    mand_rank: np.ndarray
    """(N,) position of each node in :attr:`mand_order`, -1 for optional nodes and depots."""
    td_fixed: np.ndarray
    """(N, N) time-dependent legs: the part that does not depend on the hour; (0, 0): none."""
    td_drive: np.ndarray
    """(N, N) driving time at speed factor 1 (0: the leg does not depend on the hour)."""
    td_offset: np.ndarray
    """(N, N) time from leaving a node to driving off."""
    td_t: np.ndarray
    """(M,) clock times of the speed profile's integral table (from local midnight)."""
    td_f: np.ndarray
    """(M,) the integral of the speed factor at :attr:`td_t` (strictly increasing)."""
    td_round: np.ndarray
    """(1,) time-dependent leg times are rounded up to a multiple of this (0: not rounded)."""
    balance_unit: np.ndarray
    """(1,) walking per unit of the balance key (e.g. 5000 m); 0: no balance key."""


class State(NamedTuple):
    """One solution with its schedule (K tours, routes of at most L positions, N nodes)."""

    route: np.ndarray
    """(K, L) node ids; positions ``0..rlen[k]-1`` are used, depots first and last."""
    rlen: np.ndarray
    """(K,) number of positions used on each route."""
    arr: np.ndarray
    """(K, L) arrival time at each position."""
    start: np.ndarray
    """(K, L) start of service."""
    end: np.ndarray
    """(K, L) end of service (at the end depot: the time the tour ends, breaks included)."""
    breaks_before: np.ndarray
    """(K, L) breaks taken before the service at that position (on arrival included; at the
    end depot: before arriving)."""
    latest_arr: np.ndarray
    """(K, L) latest arrival keeping the rest of the route feasible (tours without breaks)."""
    walked: np.ndarray
    """(K,) walking time of each route."""
    where: np.ndarray
    """(N,) tour visiting each node, -1 for none."""
    value: np.ndarray
    """(4,) the objective ``[score, travel, duration, imbalance]``; compared by
    ``_kernel._better``."""


VALUE_SCORE = 0
"""Index of the total effective score in :attr:`State.value`."""
VALUE_TRAVEL = 1
"""Index of the total travel time in :attr:`State.value`."""
VALUE_DURATION = 2
"""Index of the total tour duration (return minus start, summed) in :attr:`State.value`."""

VALUE_IMBALANCE = 3
"""Index of the imbalance of the tours in :attr:`State.value`: the sum over tours of the
squared number of stops plus the squared walking in :attr:`Instance.balance_unit` (rounded);
0 when the instance has no balance key."""


def new_memo(slots: int, length: int) -> np.ndarray:
    """An empty memo of polished routes for ``_kernel.improve`` (*length*: ``State.route``'s)."""
    return np.zeros((slots, length + 2), dtype=np.int64)


__all__ = [
    "VALUE_DURATION",
    "VALUE_IMBALANCE",
    "VALUE_SCORE",
    "VALUE_TRAVEL",
    "Instance",
    "State",
    "new_memo",
]
