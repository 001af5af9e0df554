"""Compiled kernels of the orienteering solver (numba): schedule, insert, ruin, recreate, polish.

Everything here works on flat numpy arrays built by :mod:`tours.planning.solver.optw`; the rules are
the ones documented there and re-implemented, readably, in ``evaluate_route``.

The inputs ``pb`` are an :class:`~tours.planning.solver._state.Instance` (built by
``optw._compile``); a solution and its schedule ``sx`` is a
:class:`~tours.planning.solver._state.State` (``optw._empty_state``). Both are named tuples of
arrays, documented field by field in that module.

The objective, ``State.value = [score, travel, duration, imbalance]``, is compared
lexicographically by :func:`_better`: more effective score first, then (when the instance has
a balance key) stops and walking spread more evenly over the tours, then less total tour
duration (earlier returns, less waiting), then less total travel time. A guide prefers a
day that ends earlier over one that saves a minute of driving but waits half an hour for a
gate.
"""

# ruff: noqa: PLR0911, PLR0912, PLR0917
# (numba kernels: flat positional arguments and early returns keep the compiled code simple)
from __future__ import annotations

import numpy as np
from numba import njit

from tours.planning.solver._state import (
    VALUE_DURATION,
    VALUE_IMBALANCE,
    VALUE_SCORE,
    VALUE_TRAVEL,
    Instance,
    State,
)

EPS = 1e-7
INF = np.inf


@njit(cache=True)
def _rand(rs: np.ndarray) -> float:
    """Xorshift64: a uniform float in [0, 1); the state lives in ``rs[0]``."""
    x = rs[0]
    x ^= x << np.uint64(13)
    x ^= x >> np.uint64(7)
    x ^= x << np.uint64(17)
    rs[0] = x
    return float(x >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@njit(cache=True)
def _randint(rs: np.ndarray, n: int) -> int:
    r = int(_rand(rs) * n)
    return min(r, n - 1)


DAY_S = 86_400.0


@njit(cache=True, inline="always")
def _segment(x: float, xp: np.ndarray, j: int) -> int:
    """The index *j* with ``xp[j] <= x < xp[j + 1]`` (from a guess; -1 below, n-1 at or above
    the last point) — numpy's lookup for :func:`_lerp`, started near the answer."""
    n = xp.shape[0]
    if x < xp[0]:
        return -1
    if x >= xp[n - 1]:
        return n - 1
    j = min(max(j, 0), n - 2)
    while xp[j] > x:
        j -= 1
    while xp[j + 1] <= x:
        j += 1
    return j


@njit(cache=True, inline="always")
def _lerp(x: float, xp: np.ndarray, fp: np.ndarray, j: int) -> float:
    """``np.interp(x, xp, fp)`` for a scalar, bit for bit, with *j* from :func:`_segment`.

    numba's own ``np.interp`` allocates arrays on every scalar call; this does not.
    """
    if j < 0:
        return fp[0]
    if j >= xp.shape[0] - 1 or xp[j] == x:
        return fp[j]
    slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j])
    return slope * (x - xp[j]) + fp[j]


@njit(cache=True)
def _drive_arrival(
    tt: np.ndarray, ff: np.ndarray, unit: float, w: float, off: float, fixed: float, t: float
) -> float:
    """Arrival of a time-dependent leg (``fixed``, drive ``w`` after ``off``) left at *t*.

    *tt*, *ff*: the profile's clock and integral table (``Instance.td_t``, ``td_f``); the
    lookups start where the (uniform) clock grid and the local speed predict, so they take a
    step or two instead of a binary search, and give ``np.interp``'s result bit for bit.
    """
    s = t + off
    day = np.floor(s / DAY_S) * DAY_S
    local = s - day
    if np.isnan(local):  # an infinite departure: nan, as np.interp gives
        return t + local
    last = tt.shape[0] - 1
    step = tt[1] - tt[0]
    k0 = _segment(local, tt, int((local - tt[0]) / step))
    f0 = _lerp(local, tt, ff, k0)
    target = f0 + w
    guess = last - 1
    if 0 <= k0 < last and target < ff[last]:
        rate = (ff[k0 + 1] - ff[k0]) / step  # the speed factor there
        guess = k0 + int((target - f0) / (rate * step))
    e = day + _lerp(target, ff, tt, _segment(target, ff, guess))
    raw = fixed + (e - s)
    if unit > 0.0:
        raw = np.ceil(raw / unit - 1e-9) * unit
    return t + raw


@njit(cache=True)
def _arrive(pb: Instance, i: int, j: int, t: float) -> float:
    """Arrival at node *j* when leaving node *i* at *t* (time-dependent when ``pb.td_*``).

    FIFO: a later departure never arrives earlier (the speed model of :mod:`routing.traffic`;
    rounding up to whole ``td_round`` units keeps it on a grid of such units). Kept small so
    it compiles inline into its callers: the table work goes to :func:`_drive_arrival` with
    only the arrays it reads (a call that takes the whole ``pb`` costs far more than the
    arithmetic, numba counting references to each of its arrays).
    """
    if pb.td_drive.shape[0] == 0:
        return t + pb.travel[i, j]
    w = pb.td_drive[i, j]
    if w <= 0.0:
        return t + pb.travel[i, j]
    return _drive_arrival(
        pb.td_t, pb.td_f, pb.td_round[0], w, pb.td_offset[i, j], pb.td_fixed[i, j], t
    )


@njit(cache=True)
def _latest_departure(pb: Instance, i: int, j: int, x: float) -> float:
    """The latest departure from *i* that reaches *j* by *x* (inverse of :func:`_arrive`)."""
    if pb.td_drive.shape[0] == 0 or pb.td_drive[i, j] <= 0.0 or not np.isfinite(x):
        return x - pb.travel[i, j]
    unit = pb.td_round[0] if pb.td_round[0] > 0.0 else 1.0
    lo = np.floor((x - 25.0 * pb.travel[i, j] - 4.0 * unit) / unit)  # factors >= 0.05
    hi = np.floor(x / unit)
    if _arrive(pb, i, j, lo * unit) > x + EPS:
        return lo * unit - unit  # not reached: profiles are at least 1/20 of the speed
    while hi - lo > 1.0:
        mid = np.floor((lo + hi) / 2.0)
        if _arrive(pb, i, j, mid * unit) <= x + EPS:
            lo = mid
        else:
            hi = mid
    if _arrive(pb, i, j, hi * unit) <= x + EPS:
        return hi * unit
    return lo * unit


@njit(cache=True)
def _es(pb: Instance, k: int, j: int, t: float) -> float:
    """Earliest start of service of node *j* on tour *k* when arriving at *t* (inf: none)."""
    wp, wo, wc = pb.win_ptr, pb.win_open, pb.win_close
    n = pb.score.shape[0]
    base = k * n + j
    for w in range(wp[base], wp[base + 1]):
        if t <= wc[w] + EPS:
            return t if t >= wo[w] else wo[w]
    return INF


@njit(cache=True)
def _decide(
    pb: Instance, k: int, t: float, nb: int, cur: int, nxt: int, is_end: bool
) -> tuple[float, int, bool]:
    """Breaks taken at node *cur* (service ended at *t*) before leaving for *nxt*.

    A break left pending is taken on arrival at *nxt* (:func:`_before_service`) or later.
    Returns ``(time of departure, breaks taken so far, feasible)``.
    """
    service, bp, be, bl, bd = (
        pb.service,
        pb.brk_ptr,
        pb.brk_earliest,
        pb.brk_latest,
        pb.brk_duration,
    )
    b1 = bp[k + 1]
    while bp[k] + nb < b1:
        b = bp[k] + nb
        if t > bl[b] + EPS:
            return t, nb, False
        if t >= be[b]:
            t = t + bd[b]
            nb += 1
            continue
        a = _arrive(pb, cur, nxt, t)
        tb = be[b] + bd[b]
        if is_end:
            if a > bl[b] + EPS:
                t = tb
                nb += 1
                continue
            break
        sd = _es(pb, k, nxt, a)
        sb = _es(pb, k, nxt, _arrive(pb, cur, nxt, tb))
        if sb <= sd:
            t = tb
            nb += 1
            continue
        if sd + service[nxt] > bl[b] + EPS:
            # too late after nxt: here now, or at nxt on arrival (before its service) when
            # that starts nxt strictly earlier (see _before_service)
            s_at = a if a >= be[b] else be[b]
            if s_at <= bl[b] + EPS and _es(pb, k, nxt, s_at + bd[b]) < sb:
                break
            t = tb
            nb += 1
            continue
        break
    return t, nb, True


@njit(cache=True)
def _before_service(pb: Instance, k: int, nb: int, node: int, a: float) -> tuple[float, int]:
    """Start of service at *node* reached at *a*, pending breaks taken there on arrival.

    A pending break is taken on arrival (from ``max(a, earliest)``, by its latest start) when
    that does not delay the start of service (it fits in the wait for the window) or when the
    service would otherwise end after the break's latest start. Returns ``(start of service,
    breaks taken so far)``; the start is inf when no window is left.
    """
    service, bp, be, bl, bd = (
        pb.service,
        pb.brk_ptr,
        pb.brk_earliest,
        pb.brk_latest,
        pb.brk_duration,
    )
    s = _es(pb, k, node, a)
    b1 = bp[k + 1]
    while bp[k] + nb < b1:
        b = bp[k] + nb
        s_at = a if a >= be[b] else be[b]
        if s_at > bl[b] + EPS:
            break
        sb = _es(pb, k, node, s_at + bd[b])
        if sb <= s or s + service[node] > bl[b] + EPS:
            a = s_at + bd[b]
            s = sb
            nb += 1
            continue
        break
    return s, nb


@njit(cache=True)
def _finish(pb: Instance, k: int, a: float, nb: int) -> float:
    """Time the tour ends when arriving at its end depot at *a* (pending breaks taken there)."""
    bp, be, bl, bd, t_end = pb.brk_ptr, pb.brk_earliest, pb.brk_latest, pb.brk_duration, pb.t_end
    while bp[k] + nb < bp[k + 1]:
        b = bp[k] + nb
        s = a if a >= be[b] else be[b]
        if s > bl[b] + EPS:
            return INF
        a = s + bd[b]
        nb += 1
    if a > t_end[k] + EPS:
        return INF
    return a


@njit(cache=True)
def schedule(pb: Instance, sx: State, k: int) -> bool:
    """Recompute the times of route *k*; False when the route is infeasible."""
    walk, service, wp, wo, wc = (
        pb.walk,
        pb.service,
        pb.win_ptr,
        pb.win_open,
        pb.win_close,
    )
    t_start, t_end, wlim = pb.t_start, pb.t_end, pb.walk_limit
    route, rlen, arr, st, endt, nbk, la, rwalk = (
        sx.route,
        sx.rlen,
        sx.arr,
        sx.start,
        sx.end,
        sx.breaks_before,
        sx.latest_arr,
        sx.walked,
    )
    nn = pb.score.shape[0]
    n = rlen[k]
    t = t_start[k]
    nb = 0
    arr[k, 0] = t
    st[k, 0] = t
    endt[k, 0] = t
    nbk[k, 0] = 0
    w = 0.0
    for q in range(1, n):
        cur = route[k, q - 1]
        nxt = route[k, q]
        is_end = q == n - 1
        if pb.brk_ptr[k] + nb < pb.brk_ptr[k + 1]:  # else _decide keeps t: skip its call
            t, nb, ok = _decide(pb, k, t, nb, cur, nxt, is_end)
            if not ok:
                return False
        a = _arrive(pb, cur, nxt, t)
        w += walk[cur, nxt]
        arr[k, q] = a
        if is_end:
            nbk[k, q] = nb
            f = _finish(pb, k, a, nb)
            if f == INF:
                return False
            st[k, q] = a
            endt[k, q] = f
        else:
            if pb.brk_ptr[k] + nb < pb.brk_ptr[k + 1]:
                s, nb = _before_service(pb, k, nb, nxt, a)
            else:  # what _before_service gives with no break pending, without its call
                s = _es(pb, k, nxt, a)
            nbk[k, q] = nb
            if s == INF:
                return False
            st[k, q] = s
            t = s + service[nxt]
            endt[k, q] = t
    rwalk[k] = w
    if w > wlim[k] + EPS:
        return False
    if pb.brk_ptr[k] < pb.brk_ptr[k + 1]:
        return True  # latest arrivals serve only the O(1) test of tours without breaks
    la[k, n - 1] = t_end[k]
    for q in range(n - 2, 0, -1):
        node = route[k, q]
        bound = _latest_departure(pb, node, route[k, q + 1], la[k, q + 1]) - service[node]
        best = -INF
        base = k * nn + node
        for x in range(wp[base], wp[base + 1]):
            if wo[x] <= bound + EPS:
                v = wc[x] if wc[x] < bound else bound
                best = max(best, v)
        la[k, q] = best
    return True


@njit(cache=True)
def insertion_shift(pb: Instance, sx: State, k: int, j: int, p: int) -> float:
    """Delay at the successor when *j* goes after position *p* of route *k* (inf: infeasible)."""
    walk, service, wlim, bp = pb.walk, pb.service, pb.walk_limit, pb.brk_ptr
    route, rlen, arr, st, endt, nbk, la, rwalk = (
        sx.route,
        sx.rlen,
        sx.arr,
        sx.start,
        sx.end,
        sx.breaks_before,
        sx.latest_arr,
        sx.walked,
    )
    a_node = route[k, p]
    b_node = route[k, p + 1]
    if wlim[k] != INF:
        nw = rwalk[k] - walk[a_node, b_node] + walk[a_node, j] + walk[j, b_node]
        if nw > wlim[k] + EPS:
            return INF
    if bp[k] == bp[k + 1]:
        sj = _es(pb, k, j, _arrive(pb, a_node, j, endt[k, p]))
        if sj == INF:
            return INF
        ab = _arrive(pb, j, b_node, sj + service[j])
        if ab > la[k, p + 1] + EPS:
            return INF
        return ab - arr[k, p + 1]
    t = endt[k, p]
    nb = nbk[k, p]
    if bp[k] + nb < bp[k + 1]:  # a break is pending (else both calls keep t and nb)
        t, nb, ok = _decide(pb, k, t, nb, a_node, j, False)
        if not ok:
            return INF
        sj, nb = _before_service(pb, k, nb, j, _arrive(pb, a_node, j, t))
    else:
        sj = _es(pb, k, j, _arrive(pb, a_node, j, t))
    if sj == INF:
        return INF
    t = sj + service[j]
    cur = j
    n = rlen[k]
    shift = 0.0
    for q in range(p + 1, n):
        nxt = route[k, q]
        is_end = q == n - 1
        if bp[k] + nb < bp[k + 1]:  # else _decide keeps t: skip its call
            t, nb, ok = _decide(pb, k, t, nb, cur, nxt, is_end)
            if not ok:
                return INF
        a = _arrive(pb, cur, nxt, t)
        if q == p + 1:
            shift = a - arr[k, q]
        if is_end:
            if _finish(pb, k, a, nb) == INF:
                return INF
            return shift
        if bp[k] + nb < bp[k + 1]:
            s, nb = _before_service(pb, k, nb, nxt, a)
        else:  # what _before_service gives with no break pending, without its call
            s = _es(pb, k, nxt, a)
        if s == INF:
            return INF
        if s == st[k, q] and nb == nbk[k, q]:
            return shift
        t = s + service[nxt]
        cur = nxt
    return shift


@njit(cache=True)
def _insert_at(sx: State, k: int, j: int, p: int) -> None:
    route, rlen = sx.route, sx.rlen
    n = rlen[k]
    for q in range(n, p + 1, -1):
        route[k, q] = route[k, q - 1]
    route[k, p + 1] = j
    rlen[k] = n + 1
    sx.where[j] = k


@njit(cache=True)
def _remove_at(sx: State, k: int, p: int) -> None:
    route, rlen = sx.route, sx.rlen
    n = rlen[k]
    sx.where[route[k, p]] = -1
    for q in range(p, n - 1):
        route[k, q] = route[k, q + 1]
    rlen[k] = n - 1


@njit(cache=True)
def evaluate_value(pb: Instance, sx: State) -> None:
    """Store [total effective score, total travel time, total tour duration, imbalance] in
    ``sx.value`` (imbalance: see :data:`VALUE_IMBALANCE`)."""
    travel, walk, score, t_start = pb.travel, pb.walk, pb.score, pb.t_start
    rlen, endt, route = sx.rlen, sx.end, sx.route
    unit = pb.balance_unit[0]
    v = 0.0
    tr = 0.0
    d = 0.0
    imb = 0.0
    for k in range(rlen.shape[0]):
        n = rlen[k]
        w = 0.0
        for q in range(1, n - 1):
            v += score[route[k, q]]
        for q in range(1, n):
            tr += travel[route[k, q - 1], route[k, q]]
            w += walk[route[k, q - 1], route[k, q]]
        d += endt[k, n - 1] - t_start[k]
        if unit > 0.0:
            stops = float(n - 2)
            units = np.floor(w / unit + 0.5)
            imb += stops * stops + units * units
    sx.value[VALUE_SCORE] = v
    sx.value[VALUE_TRAVEL] = tr
    sx.value[VALUE_DURATION] = d
    sx.value[VALUE_IMBALANCE] = imb


@njit(cache=True)
def _better(a: np.ndarray, b: np.ndarray) -> int:
    """Compare objective values ``a`` and ``b`` (``State.value``): 1 better, 0 tied, -1 worse.

    Lexicographic: the score first (a tie within 1e-9), then the balance of the tours (less
    :data:`VALUE_IMBALANCE`: stops and walking spread over the days; always 0 without a
    balance key), then the earlier return (less total tour duration: travel plus waiting,
    :data:`VALUE_DURATION`), then less travel.
    """
    d = a[VALUE_SCORE] - b[VALUE_SCORE]
    if d > 1e-9:
        return 1
    if d < -1e-9:
        return -1
    d = b[VALUE_IMBALANCE] - a[VALUE_IMBALANCE]
    if d > 0.5:
        return 1
    if d < -0.5:
        return -1
    d = b[VALUE_DURATION] - a[VALUE_DURATION]
    if d > EPS:
        return 1
    if d < -EPS:
        return -1
    d = b[VALUE_TRAVEL] - a[VALUE_TRAVEL]
    if d > EPS:
        return 1
    if d < -EPS:
        return -1
    return 0


@njit(cache=True)
def copy_state(src: State, dst: State) -> None:
    """Copy solution *src* into *dst* (same shapes)."""
    dst.route[:] = src.route
    dst.rlen[:] = src.rlen
    dst.arr[:] = src.arr
    dst.start[:] = src.start
    dst.end[:] = src.end
    dst.breaks_before[:] = src.breaks_before
    dst.latest_arr[:] = src.latest_arr
    dst.walked[:] = src.walked
    dst.where[:] = src.where
    dst.value[:] = src.value


@njit(cache=True)
def _state_copy(sx: State) -> State:
    return State(
        sx.route.copy(),
        sx.rlen.copy(),
        sx.arr.copy(),
        sx.start.copy(),
        sx.end.copy(),
        sx.breaks_before.copy(),
        sx.latest_arr.copy(),
        sx.walked.copy(),
        sx.where.copy(),
        sx.value.copy(),
    )


@njit(cache=True)
def _shifts(pb: Instance, sx: State, k: int, j: int, out: np.ndarray) -> int:
    """Insertion shifts of *j* after each position of route *k* (:func:`insertion_shift`).

    Fills ``out[:m]`` (inf: infeasible there) and returns *m*: the positions worth trying,
    up to the first whose service ends after *j*'s last window on tour *k* closes (0: *j* is
    closed on that tour). The one insertion scan of :func:`_cheapest` and :func:`recreate`.
    """
    wp, wc = pb.win_ptr, pb.win_close
    base = k * pb.score.shape[0] + j
    if wp[base] == wp[base + 1]:
        return 0
    last_close = wc[wp[base + 1] - 1]
    m = 0
    for p in range(sx.rlen[k] - 1):
        if sx.end[k, p] > last_close + EPS:
            break
        out[p] = insertion_shift(pb, sx, k, j, p)
        m = p + 1
    return m


@njit(cache=True)
def _cheapest(
    pb: Instance, sx: State, j: int, rs: np.ndarray, noise: float, eps_shift: float
) -> tuple[int, int]:
    """Tour and position of the least (noisy) shift for inserting *j*; ``(-1, -1)``: none."""
    shifts = np.empty(sx.route.shape[1])
    best = INF
    bk = -1
    bpos = -1
    for k in range(sx.rlen.shape[0]):
        for p in range(_shifts(pb, sx, k, j, shifts)):
            sh = shifts[p]
            if sh == INF:
                continue
            c = (sh if sh > 0.0 else 0.0) + eps_shift
            if noise > 0.0:
                c /= 1.0 + noise * _rand(rs)
            if c < best:
                best = c
                bk = k
                bpos = p
    return bk, bpos


@njit(cache=True)
def _place(pb: Instance, sx: State, j: int, k: int, p: int) -> bool:
    """Insert *j* after position *p* of route *k*; undone (False) if the schedule fails."""
    _insert_at(sx, k, j, p)
    if schedule(pb, sx, k):
        return True
    _remove_at(sx, k, p + 1)  # numerical corner case
    schedule(pb, sx, k)
    return False


@njit(cache=True)
def _fits_alone(pb: Instance, tmp: State, k: int, j: int) -> bool:
    """True when *j* fits on tour *k* with no other stop (uses row *k* of *tmp*)."""
    tmp.route[k, 0] = pb.tour_start_node[k]
    tmp.route[k, 1] = pb.tour_end_node[k]
    tmp.rlen[k] = 2
    if not schedule(pb, tmp, k):
        return False
    return insertion_shift(pb, tmp, k, j, 0) != INF


@njit(cache=True)
def _without_block(pb: Instance, sx: State, tmp: State, k: int, a: int, b: int) -> bool:
    """Row *k* of *tmp* := route *k* of *sx* without positions ``a..b``, scheduled."""
    route, rlen = sx.route, sx.rlen
    m = 0
    for q in range(rlen[k]):
        if q < a or q > b:
            tmp.route[k, m] = route[k, q]
            m += 1
    tmp.rlen[k] = m
    return schedule(pb, tmp, k)


@njit(cache=True)
def _exchange(
    pb: Instance, sx: State, out: State, k: int, a: int, b: int, j: int, p: int, rs: np.ndarray
) -> float:
    """*out* := *sx* with positions ``a..b`` of route *k* replaced by *j* (after *p* there).

    The evicted mandatory nodes are re-inserted at once, most constrained first. Returns the
    effective score lost (optional nodes and mandatory ones ranked after *j* that no longer
    fit), or inf when *j* does not fit or a mandatory node ranked before *j* would be lost.
    """
    score, morder, rank = pb.score, pb.mand_order, pb.mand_rank
    copy_state(sx, out)
    ranks = np.empty(b - a + 1, dtype=np.int64)
    m = 0
    lost = 0.0
    for q in range(a, b + 1):
        v = sx.route[k, q]
        if rank[v] >= 0:
            ranks[m] = rank[v]
            m += 1
        else:
            lost += score[v]
    for _ in range(b - a + 1):
        _remove_at(out, k, a)
    if not schedule(pb, out, k) or not _place(pb, out, j, k, p):
        return INF
    for r in np.sort(ranks[:m]):
        v = morder[r]
        kv, pv = _cheapest(pb, out, v, rs, 0.0, 0.0)
        if kv < 0 or not _place(pb, out, v, kv, pv):
            if r < rank[j]:
                return INF
            lost += score[v]
    return lost


@njit(cache=True)
def _repair(pb: Instance, sx: State, j: int, rs: np.ndarray, eps_shift: float) -> bool:
    """Insert mandatory node *j* in place of the block of consecutive stops worth least.

    Evicted mandatory nodes are re-inserted elsewhere right away (see :func:`_exchange`);
    those ranked after *j* that no longer fit are left to the caller. Ties go to the least
    shift. False (and *sx* unchanged): no block makes room.
    """
    score, rank = pb.score, pb.mand_rank
    route, rlen = sx.route, sx.rlen
    kk = rlen.shape[0]
    tmp = _state_copy(sx)
    out = _state_copy(sx)
    best_lost = INF
    best_sh = INF
    bk = -1
    ba = -1
    bb = -1
    bpos = -1
    for k in range(kk):
        if not _fits_alone(pb, tmp, k, j):
            continue
        n = rlen[k]
        for a in range(1, n - 1):
            bound = 0.0  # score of the optional nodes in the block: a lower bound of the loss
            with_mandatory = False
            for b in range(a, n - 1):
                v = route[k, b]
                if rank[v] >= 0:
                    with_mandatory = True
                else:
                    bound += score[v]
                if bound > best_lost + 1e-9:
                    break
                if not _without_block(pb, sx, tmp, k, a, b):
                    continue
                p = -1
                sh = INF
                for q in range(tmp.rlen[k] - 1):
                    x = insertion_shift(pb, tmp, k, j, q)
                    if x < sh:
                        sh = x
                        p = q
                if p < 0:
                    continue
                lost = bound
                if with_mandatory:
                    lost = _exchange(pb, sx, out, k, a, b, j, p, rs)
                    if lost == INF:
                        continue
                sh = (sh if sh > 0.0 else 0.0) + eps_shift
                if lost < best_lost - 1e-9 or (lost <= best_lost + 1e-9 and sh < best_sh):
                    best_lost = lost
                    best_sh = sh
                    bk = k
                    ba = a
                    bb = b
                    bpos = p
    if bk < 0 or _exchange(pb, sx, out, bk, ba, bb, j, bpos, rs) == INF:
        return False
    copy_state(out, sx)
    return True


@njit(cache=True)
def recreate(
    pb: Instance,
    sx: State,
    cand: np.ndarray,
    rs: np.ndarray,
    noise: float,
    banned: np.ndarray,
    eps_shift: float,
) -> None:
    """Insert the missing mandatory nodes, then optional ones greedily until nothing fits.

    Mandatory nodes (``pb.mand_order``, most constrained first) ignore *banned*; each goes where it
    shifts the route least (multiplicative noise), else :func:`_repair` takes the place of a
    block of stops. Optional nodes follow by ``score**2 / shift`` (noise too).
    """
    score, order, rank = pb.score, pb.mand_order, pb.mand_rank
    where = sx.where
    kk = sx.rlen.shape[0]
    for mi in range(order.shape[0]):
        j = order[mi]
        if where[j] >= 0:
            continue
        k, p = _cheapest(pb, sx, j, rs, noise, eps_shift)
        if k < 0 or not _place(pb, sx, j, k, p):
            _repair(pb, sx, j, rs, eps_shift)
    # shifts[c, k, :count[c, k]]: the scan of candidate c on route k, kept while route k
    # is unchanged (count -1: stale); the same values and random draws as a full rescan
    shifts = np.empty((cand.shape[0], kk, sx.route.shape[1]))
    count = np.full((cand.shape[0], kk), -1, dtype=np.int64)
    while True:
        best_r = -1.0
        bj = -1
        bk = -1
        bpos = -1
        for ci in range(cand.shape[0]):
            j = cand[ci]
            if where[j] >= 0 or banned[j] or rank[j] >= 0:
                continue
            s2 = score[j] * score[j]
            for k in range(kk):
                if count[ci, k] < 0:
                    count[ci, k] = _shifts(pb, sx, k, j, shifts[ci, k])
                for p in range(count[ci, k]):
                    sh = shifts[ci, k, p]
                    if sh == INF:
                        continue
                    r = s2 / ((sh if sh > 0.0 else 0.0) + eps_shift)
                    if noise > 0.0:
                        r *= 1.0 + noise * _rand(rs)
                    if r > best_r:
                        best_r = r
                        bj = j
                        bk = k
                        bpos = p
        if bj < 0:
            return
        placed = _place(pb, sx, bj, bk, bpos)
        count[:, bk] = -1
        if not placed:
            banned[bj] = True


@njit(cache=True)
def _try_order(pb: Instance, sx: State, tmp: State, k: int, order: np.ndarray, m: int) -> bool:
    """Route *k* of *sx* := ``order[:m]`` when that order is feasible and returns no later.

    The order is scheduled in *tmp*; it is kept only if the route ends no later than now, so
    cutting travel never costs the objective's earlier-return key.
    """
    tmp.route[k, :m] = order[:m]
    tmp.rlen[k] = m
    if not schedule(pb, tmp, k):
        return False
    if tmp.end[k, m - 1] > sx.end[k, sx.rlen[k] - 1] + EPS:
        return False
    sx.route[k, :] = tmp.route[k, :]
    sx.arr[k, :] = tmp.arr[k, :]
    sx.start[k, :] = tmp.start[k, :]
    sx.end[k, :] = tmp.end[k, :]
    sx.breaks_before[k, :] = tmp.breaks_before[k, :]
    sx.latest_arr[k, :] = tmp.latest_arr[k, :]
    sx.walked[k] = tmp.walked[k]
    return True


@njit(cache=True)
def _improve_route(
    pb: Instance, sx: State, tmp: State, k: int, order: np.ndarray, fwd: np.ndarray, bwd: np.ndarray
) -> bool:
    """Apply one feasible move of route *k* that cuts its travel time; False: none left.

    Moves (first improvement, fixed order): 2-opt (reverse positions ``i..j``), then or-opt
    (move a block of 1-3 consecutive stops elsewhere in the route, as is or reversed). The
    travel change is computed in O(1) from prefix sums (forward and backward, for asymmetric
    matrices); only improving moves are scheduled to check their feasibility.
    """
    travel = pb.travel
    r = sx.route[k]
    n = sx.rlen[k]
    if n < 4:
        return False
    fwd[0] = 0.0
    bwd[0] = 0.0
    for q in range(1, n):
        fwd[q] = fwd[q - 1] + travel[r[q - 1], r[q]]
        bwd[q] = bwd[q - 1] + travel[r[q], r[q - 1]]
    # 2-opt: reverse the stops i..j
    for i in range(1, n - 2):
        for j in range(i + 1, n - 1):
            delta = (
                travel[r[i - 1], r[j]]
                + travel[r[i], r[j + 1]]
                - travel[r[i - 1], r[i]]
                - travel[r[j], r[j + 1]]
                + (bwd[j] - bwd[i])
                - (fwd[j] - fwd[i])
            )
            if delta >= -EPS:
                continue
            m = 0
            for q in range(i):
                order[m] = r[q]
                m += 1
            for q in range(j, i - 1, -1):
                order[m] = r[q]
                m += 1
            for q in range(j + 1, n):
                order[m] = r[q]
                m += 1
            if _try_order(pb, sx, tmp, k, order, m):
                return True
    # or-opt: the block i..e goes between p and p + 1 (original positions), as is or reversed
    for size in range(1, 4):
        for i in range(1, n - size):
            e = i + size - 1
            gain = travel[r[i - 1], r[i]] + travel[r[e], r[e + 1]] - travel[r[i - 1], r[e + 1]]
            inner_rev = (bwd[e] - bwd[i]) - (fwd[e] - fwd[i])
            for p in range(n - 1):
                if i - 1 <= p <= e:
                    continue
                base = travel[r[p], r[p + 1]]
                for rev in range(2 if size > 1 else 1):
                    if rev == 0:
                        added = travel[r[p], r[i]] + travel[r[e], r[p + 1]] - base
                    else:
                        added = travel[r[p], r[e]] + travel[r[i], r[p + 1]] - base + inner_rev
                    if added - gain >= -EPS:
                        continue
                    m = 0
                    for q in range(n):
                        if i <= q <= e:
                            continue
                        order[m] = r[q]
                        m += 1
                        if q == p:
                            for t in range(size):
                                order[m] = r[e - t] if rev == 1 else r[i + t]
                                m += 1
                    if _try_order(pb, sx, tmp, k, order, m):
                        return True
    return False


@njit(cache=True)
def _memo_slot(memo: np.ndarray, sx: State, k: int) -> tuple[int, bool]:
    """Slot of route *k* in *memo* and whether the slot holds exactly that route.

    A row is ``[length, tour, node...]`` (length 0: empty); a route found there has no
    improving move left (:func:`improve`), a fact of its tour and its stops alone.
    """
    route = sx.route
    n = sx.rlen[k]
    h = np.uint64(14695981039346656037) ^ np.uint64(k)
    for q in range(n):
        h = (h ^ np.uint64(route[k, q])) * np.uint64(1099511628211)
    slot = int(h % np.uint64(memo.shape[0]))
    if memo[slot, 0] != n or memo[slot, 1] != k:
        return slot, False
    for q in range(n):
        if memo[slot, 2 + q] != route[k, q]:
            return slot, False
    return slot, True


@njit(cache=True)
def improve(pb: Instance, sx: State, memo: np.ndarray) -> bool:
    """Cut the travel time of every route by 2-opt and or-opt moves that keep it feasible
    and return no later.

    Each route keeps its set of stops (so the score is unchanged); moves are applied until
    none improves. Returns True when a route changed (``sx.value`` is not updated). Routes
    left without a move are remembered in *memo* (``_state.new_memo``) and skipped when they
    come back: the search revisits the same routes many times.
    """
    kk = sx.rlen.shape[0]
    todo = False
    for k in range(kk):
        if not _memo_slot(memo, sx, k)[1]:
            todo = True
    if not todo:
        return False
    tmp = _state_copy(sx)
    length = sx.route.shape[1]
    order = np.empty(length, dtype=np.int64)
    fwd = np.empty(length)
    bwd = np.empty(length)
    changed = False
    for k in range(kk):
        if _memo_slot(memo, sx, k)[1]:
            continue
        while _improve_route(pb, sx, tmp, k, order, fwd, bwd):
            changed = True
        slot = _memo_slot(memo, sx, k)[0]
        n = sx.rlen[k]
        memo[slot, 0] = n
        memo[slot, 1] = k
        memo[slot, 2 : 2 + n] = sx.route[k, :n]
    return changed


@njit(cache=True)
def polish(
    pb: Instance, sx: State, cand: np.ndarray, rs: np.ndarray, eps_shift: float, memo: np.ndarray
) -> None:
    """:func:`improve`, then insert what now fits (:func:`recreate`), while that adds stops.

    Deterministic (recreate without noise draws no random numbers); updates ``sx.value``.
    """
    ban = np.zeros(pb.score.shape[0], dtype=np.bool_)
    for _ in range(8):
        if not improve(pb, sx, memo):
            break
        before = sx.rlen.sum()
        ban[:] = False
        recreate(pb, sx, cand, rs, 0.0, ban, eps_shift)
        if sx.rlen.sum() == before:
            break
    evaluate_value(pb, sx)


@njit(cache=True)
def prepare(
    pb: Instance,
    sx: State,
    cand: np.ndarray,
    rs: np.ndarray,
    eps_shift: float,
    memo: np.ndarray,
    build: bool,
) -> int:
    """With *build*, schedule the empty routes of *sx* and fill them greedily (:func:`recreate`
    without noise); then :func:`polish` (the start of the search, and its end on the best).

    Returns the first tour infeasible even without stops (and does nothing more), else -1.
    One entry point instead of four keeps the cached kernels quick to load.
    """
    if build:
        for k in range(sx.rlen.shape[0]):
            if not schedule(pb, sx, k):
                return k
        recreate(pb, sx, cand, rs, 0.0, np.zeros(pb.score.shape[0], dtype=np.bool_), eps_shift)
        evaluate_value(pb, sx)
    polish(pb, sx, cand, rs, eps_shift, memo)
    return -1


@njit(cache=True)
def _ruin(pb: Instance, sx: State, rs: np.ndarray, removed: np.ndarray) -> bool:
    """Remove visited nodes: a block of consecutive stops, scattered stops, or a block per tour.

    Marks removed nodes in *removed*; returns False when nothing could be removed.
    """
    rlen = sx.rlen
    kk = rlen.shape[0]
    visited = 0
    for k in range(kk):
        visited += rlen[k] - 2
    if visited == 0:
        return False
    op = _randint(rs, 10)
    if op < 5 or op >= 8:
        tours_to_hit = kk if op >= 8 else 1
        start_k = _randint(rs, kk)
        for i in range(tours_to_hit):
            k = (start_k + i) % kk
            if tours_to_hit == 1:
                # pick a tour that has stops
                while rlen[k] <= 2:
                    k = (k + 1) % kk
            n = rlen[k] - 2
            if n <= 0:
                continue
            length = 1 + _randint(rs, min(n, max(2, n // 3)))
            p = 1 + _randint(rs, n)
            for _ in range(length):
                if p >= rlen[k] - 1:
                    break
                removed[sx.route[k, p]] = True
                _remove_at(sx, k, p)
    else:
        count = 1 + _randint(rs, min(visited, 4))
        for _ in range(count):
            k = _randint(rs, kk)
            while rlen[k] <= 2:
                k = (k + 1) % kk
            p = 1 + _randint(rs, rlen[k] - 2)
            removed[sx.route[k, p]] = True
            _remove_at(sx, k, p)
    return True


@njit(cache=True)
def search(
    pb: Instance,
    cur: State,
    best: State,
    trial: State,
    cand: np.ndarray,
    rs: np.ndarray,
    it_state: np.ndarray,
    n_iter: int,
    t0: float,
    cycle: int,
    eps_shift: float,
    memo: np.ndarray,
) -> None:
    """Run *n_iter* ruin-and-recreate iterations with simulated-annealing acceptance.

    A rebuilt solution scoring no less than the current one is polished (:func:`polish`)
    first. It is accepted when not worse (:func:`_better`: score, then duration, then travel),
    with probability 1/2 when it only travels more, else by the annealing rule on the score.
    The temperature falls linearly from *t0* to 0 over *cycle* iterations, then the search
    restarts from the best solution. ``it_state[0]`` counts iterations across calls, so
    running 2 x 500 iterations gives exactly the same result as 1 x 1000.
    """
    kk = cur.rlen.shape[0]
    nn = pb.score.shape[0]
    removed = np.zeros(nn, dtype=np.bool_)
    for _ in range(n_iter):
        it = it_state[0]
        it_state[0] = it + 1
        copy_state(cur, trial)
        removed[:] = False
        if not _ruin(pb, trial, rs, removed):
            removed[:] = False
        ok = True
        for k in range(kk):
            if not schedule(pb, trial, k):
                ok = False
        if ok:
            noise = 0.0 if _rand(rs) < 0.3 else 0.5 * _rand(rs)
            if _rand(rs) < 0.5:
                ban = removed.copy()
                recreate(pb, trial, cand, rs, noise, ban, eps_shift)
            ban = np.zeros(nn, dtype=np.bool_)
            recreate(pb, trial, cand, rs, noise, ban, eps_shift)
            evaluate_value(pb, trial)
            if (
                trial.value[VALUE_SCORE] > cur.value[VALUE_SCORE] - 1e-9
            ):  # may be accepted: tidy its routes first
                polish(pb, trial, cand, rs, eps_shift, memo)
            dv = trial.value[VALUE_SCORE] - cur.value[VALUE_SCORE]
            temp = t0 * (1.0 - (it % cycle) / cycle)
            accept = _better(trial.value, cur.value) >= 0
            if not accept and dv > -1e-9:
                accept = _rand(rs) < 0.5
            if not accept and temp > 0.0:
                accept = _rand(rs) < np.exp(dv / temp)
            if accept:
                copy_state(trial, cur)
                if _better(cur.value, best.value) > 0:
                    copy_state(cur, best)
        if (it + 1) % cycle == 0:
            copy_state(best, cur)
