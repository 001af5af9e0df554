"""The Dask distributed engine: many independent plans at once.

:class:`Engine` wraps a ``distributed.Client``: an embedded :class:`distributed.LocalCluster`
by default (worker processes, one thread each: the numba solver holds the GIL, so processes
give real parallelism on a small machine), or an existing cluster by scheduler address
(``tcp://HOST:8786``). The street network and city pack travel to the workers once
(:meth:`Engine.share`, scattered with ``broadcast=True``); every task is the pure function
:func:`plan_job` of a small :class:`PlanJob` and the shared futures, and returns a plain
:class:`PlanOutcome`. Results are collected in job order, so they do not depend on which
worker finished first: the same seed and jobs give the same plans with any worker count.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from routing import StreetNetwork
from tours._errors import InputError, TourError
from tours.itinerary import Itinerary
from tours.places.pack import CityPack
from tours.planning._model import BlockedStarts
from tours.planning.budget import SearchBudget
from tours.planning.planner import plan_detailed
from tours.planning.request import Request, with_osm_places

#: Seconds to wait for a scheduler given by address.
CONNECT_TIMEOUT_S = 20


class EngineError(InputError):
    """The Dask scheduler cannot be reached or started (names the address and the fix)."""


@dataclass(frozen=True)
class PlanJob:
    """One delegation's planning task: the request and the venue times it must avoid."""

    index: int
    request: Request
    budget: SearchBudget
    blocked_starts: dict[str, list[tuple[Any, Any]]] = field(default_factory=dict)


@dataclass(frozen=True)
class PlanOutcome:
    """The plan of a :class:`PlanJob` (or the one-line reason it could not be planned)."""

    index: int
    itinerary: Itinerary | None
    error: str | None
    iterations: int
    seconds: float


def plan_job(job: PlanJob, network: StreetNetwork, pack: CityPack) -> PlanOutcome:
    """Plan *job* (runs on a worker; pure: the result depends only on the arguments)."""
    began = time.perf_counter()
    blocked: BlockedStarts = job.blocked_starts
    try:
        job_pack = with_osm_places(job.request, pack) if job.request.osm_refs() else pack
        result = plan_detailed(
            job.request,
            pack=job_pack,
            network=network,
            budget=job.budget,
            blocked_starts=blocked,
        )
    except TourError as err:
        return PlanOutcome(job.index, None, str(err), 0, time.perf_counter() - began)
    return PlanOutcome(
        job.index,
        result.itinerary,
        None,
        result.solution.iterations,
        time.perf_counter() - began,
    )


def _worker_rss() -> int:
    import psutil  # noqa: PLC0415 - a dependency of distributed, needed only here

    return int(psutil.Process(os.getpid()).memory_info().rss)


class Engine:
    """A Dask client for planning many requests at once (use as a context manager).

    Parameters
    ----------
    scheduler
        Address of a running scheduler (``tcp://HOST:8786``); ``None`` starts a
        :class:`~distributed.LocalCluster`.
    workers
        Local worker processes (``None``: one per CPU core); ignored with *scheduler*.
    processes
        Local workers as processes (default) or threads in this process.
    progress
        Show a progress bar per batch of tasks on stderr.
    """

    def __init__(
        self,
        *,
        scheduler: str | None = None,
        workers: int | None = None,
        processes: bool = True,
        progress: bool = False,
    ) -> None:
        self.scheduler = scheduler
        self.workers = workers or os.cpu_count() or 1
        self.processes = processes
        self.progress = progress
        self._cluster: Any = None
        self._client: Any = None
        self._shared: tuple[Any, Any] | None = None

    def __enter__(self) -> Engine:
        from distributed import Client, LocalCluster  # noqa: PLC0415 - heavy, imported on use

        if self.scheduler is not None:
            try:
                self._client = Client(self.scheduler, timeout=CONNECT_TIMEOUT_S)
            except (OSError, TimeoutError, ValueError) as err:
                msg = (
                    f"cannot reach the Dask scheduler at {self.scheduler!r} ({err}); start "
                    "`dask scheduler` there or drop `scheduler` to use local workers"
                )
                raise EngineError(msg) from None
        else:
            self._cluster = LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1,
                processes=self.processes,
                dashboard_address=":0",  # a free port: never clash with another cluster
                silence_logs=logging.ERROR,
            )
            self._client = Client(self._cluster)
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the client and stop the local cluster (idempotent)."""
        self._shared = None  # scattered to this client: gone with it
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    @property
    def client(self) -> Any:
        """The ``distributed.Client`` (only inside ``with``)."""
        if self._client is None:
            msg = "the engine is not started; use `with Engine(...) as engine:`"
            raise RuntimeError(msg)
        return self._client

    @property
    def started(self) -> bool:
        """Whether the engine runs (inside ``with``, or entered by hand)."""
        return self._client is not None

    @property
    def n_workers(self) -> int:
        """Workers the scheduler knows now."""
        return len(self.client.scheduler_info().get("workers", {}))

    def share(self, network: StreetNetwork, pack: CityPack) -> None:
        """Send the network and the city pack to every worker, once."""
        net_future = self.client.scatter(network, broadcast=True, hash=False)
        pack_future = self.client.scatter(pack, broadcast=True, hash=False)
        self._shared = (net_future, pack_future)

    def plan_all(self, jobs: Sequence[PlanJob], *, label: str = "Planning") -> list[PlanOutcome]:
        """Run *jobs* on the workers; the outcomes in job order."""
        from distributed import as_completed  # noqa: PLC0415

        if self._shared is None:
            msg = "call Engine.share(network, pack) before planning"
            raise RuntimeError(msg)
        if not jobs:
            return []
        net_future, pack_future = self._shared
        futures = [
            self.client.submit(plan_job, job, net_future, pack_future, pure=False) for job in jobs
        ]
        done: dict[int, PlanOutcome] = {}
        with self._bar(label, len(jobs)) as advance:
            for future in as_completed(futures):
                outcome: PlanOutcome = future.result()
                done[outcome.index] = outcome
                advance()
        return [done[job.index] for job in jobs]

    def plan_requests(
        self, requests: Sequence[Request], budget: SearchBudget, *, label: str = "Planning"
    ) -> list[PlanOutcome]:
        """Plan independent *requests* on the shared network and pack; outcomes in order.

        A request that cannot be planned has ``itinerary=None`` and its one-line ``error``.
        """
        jobs = [PlanJob(i, request, budget) for i, request in enumerate(requests)]
        return self.plan_all(jobs, label=label)

    def worker_memory(self) -> dict[str, int]:
        """Resident memory (bytes) of every worker process, by worker address."""
        return {str(k): int(v) for k, v in self.client.run(_worker_rss).items()}

    @contextlib.contextmanager
    def _bar(self, label: str, total: int) -> Iterator[Any]:
        if not self.progress:
            yield lambda: None
            return
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task(label, total=total)
            yield lambda: bar.advance(task)
