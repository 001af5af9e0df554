"""A second process that imports the map stack while this one plans, then draws the maps.

``tours plan`` spends about a second planning on one core; importing Folium, Branca and the
map renderers and then drawing the interactive maps is the slowest output. An
:class:`OutputWorker` forks at the start of a run, before the street network loads, imports
what the wanted formats render with on the second core, and waits. When the itinerary is
ready, :func:`tours.outputs.write_outputs` hands it the maps and the exports (calendar, GPX,
CSV) while this process renders the print; the files are the same as without a worker.

The worker is forked while this process has no other Python thread (the progress spinner
starts later). NumPy's OpenBLAS threads are the only native threads then; OpenBLAS stops
them in its ``pthread_atfork`` handler, so the child starts clean. Where a worker cannot
start (one core, no ``fork``, other threads running) :meth:`OutputWorker.start` returns an
inactive worker and everything renders in this process, as without one.

The worker never outlives the command: it leaves on :meth:`OutputWorker.close`, is
terminated when the ``with`` block ends by an exception or a signal, ends by itself when
this process dies (``PR_SET_PDEATHSIG`` on Linux, else the closed pipe), and ignores
``SIGINT`` (Ctrl-C reaches this process, which stops it).
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Collection, Iterator
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any, Generic, TypeVar

T = TypeVar("T")

#: The formats a worker renders (every output but the print, which this process lays out from
#: the day-map images it draws), each with the modules the worker imports for it while this
#: process plans.
PRELOADS: dict[str, tuple[str, ...]] = {
    "maps": ("folium", "branca.element", "jinja2", "maps.folium_map", "tours._renderers"),
    "ics": ("icalendar", "maps.calendar_ics", "tours._renderers"),
    "gpx": ("gpxpy.gpx", "maps.gpx_export", "tours._renderers"),
    "csv": ("maps.csv_export", "tours._renderers"),
}
#: Seconds :meth:`OutputWorker.close` waits for the worker to leave before terminating it.
_LEAVE_S = 5.0


class WorkerLostError(RuntimeError):
    """The worker process ended without answering (killed, or it could not start)."""


class PendingResult(Generic[T]):
    """The answer of one task handed to an :class:`OutputWorker`."""

    def __init__(self, worker: OutputWorker) -> None:
        self._worker = worker
        self._done = False
        self._value: Any = None

    def result(self) -> T:
        """Wait for the task; its return value, or its exception raised here.

        Raises
        ------
        WorkerLostError
            The worker ended without answering.
        """
        if not self._done:
            self._value = self._worker._receive()  # one task at a time
            self._done = True
        ok, value = self._value
        if not ok:
            raise value
        result: T = value
        return result


class OutputWorker:
    """A forked process that renders part of the outputs beside this one.

    Create it with :meth:`start` as early as possible (before planning) and pass it to
    :func:`tours.write_outputs` (``worker=``); use it as a context manager so it is stopped
    on every way out::

        with OutputWorker.start("all") as worker:
            itinerary = tours.plan(request)
            tours.write_outputs(itinerary, "out/", worker=worker)

    An inactive worker (:attr:`active` false) changes nothing: the outputs render in this
    process.
    """

    def __init__(self, process: Any = None, connection: Connection | None = None) -> None:
        self._process = process
        self._connection = connection
        self._busy = False

    @classmethod
    def start(cls, formats: str | Collection[str] = "all") -> OutputWorker:
        """Fork a worker that imports the renderers of *formats*, or an inactive one.

        The worker is started only when it has formats to render (:func:`worker_formats`),
        the machine has a second core, ``fork`` exists and this process runs no other
        Python thread.
        """
        from tours.outputs import parse_formats  # noqa: PLC0415 (outputs imports this module)

        beside = worker_formats(parse_formats(formats))
        if not beside or not can_fork_worker():
            return cls()
        preload = sorted({module for name in beside for module in PRELOADS[name]})
        context = multiprocessing.get_context("fork")
        ours, theirs = context.Pipe()
        for stream in (sys.stdout, sys.stderr):  # nothing buffered is written twice
            with contextlib.suppress(Exception):
                stream.flush()
        process = context.Process(
            target=_serve,
            args=(theirs, ours, preload, os.getpid()),
            name="tours-output-worker",
            daemon=True,
        )
        with frozen_garbage():
            process.start()
        theirs.close()
        return cls(process, ours)

    @property
    def active(self) -> bool:
        """Whether the worker runs and can take a task."""
        return self._process is not None and self._connection is not None and not self._busy

    @property
    def pid(self) -> int | None:
        """The worker's process id (``None``: inactive)."""
        return None if self._process is None else int(self._process.pid)

    def submit(self, function: Callable[..., T], *args: Any) -> PendingResult[T]:
        """Run ``function(*args)`` in the worker (one task at a time; picklable arguments).

        Raises
        ------
        WorkerLostError
            The worker is inactive, busy or gone.
        """
        if not self.active or self._connection is None:
            msg = "the output worker is not running or busy"
            raise WorkerLostError(msg)
        try:
            self._connection.send((function, args))
        except (OSError, EOFError) as err:
            self.terminate()
            msg = "the output worker ended before it could take the task"
            raise WorkerLostError(msg) from err
        self._busy = True
        return PendingResult(self)

    def _receive(self) -> tuple[bool, Any]:
        """The answer of the task in progress."""
        if self._connection is None:
            msg = "the output worker was stopped"
            raise WorkerLostError(msg)
        try:
            answer: tuple[bool, Any] = self._connection.recv()
        except (OSError, EOFError) as err:
            self.terminate()
            msg = "the output worker ended without finishing its task"
            raise WorkerLostError(msg) from err
        self._busy = False
        return answer

    def close(self) -> None:
        """Let the worker leave (after its task) and wait for it; terminate it if it hangs."""
        if self._connection is not None and not self._busy:
            with contextlib.suppress(OSError, EOFError):
                self._connection.send(None)
        if self._process is not None and not self._busy:
            self._process.join(_LEAVE_S)
        self.terminate()

    def terminate(self) -> None:
        """Stop the worker now and reap it (no zombie); idempotent."""
        process, self._process = self._process, None
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()
        if process is not None:
            if process.is_alive():
                process.terminate()
            process.join(_LEAVE_S)
            if process.is_alive():
                process.kill()
                process.join()
            process.close()

    def __enter__(self) -> OutputWorker:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is None:
            self.close()
        else:
            self.terminate()


def worker_formats(wanted: Collection[str]) -> list[str]:
    """The formats of *wanted* a worker renders: the interactive maps (their imports take as
    long as a plan), and the other formats of :data:`PRELOADS` only when this process has
    formats of its own to render meanwhile (the print)."""
    beside = [name for name in PRELOADS if name in wanted]
    if set(wanted) - PRELOADS.keys():
        return beside
    return [name for name in beside if name == "maps"]


def can_fork_worker() -> bool:
    """Whether forking a worker is possible and worth it here (second core, ``fork``, no
    other Python thread)."""
    affinity = getattr(os, "sched_getaffinity", None)
    cores = len(affinity(0)) if affinity is not None else (os.cpu_count() or 1)
    return (
        cores > 1
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


@contextlib.contextmanager
def frozen_garbage() -> Iterator[None]:
    """Fork inside this block: the child never collects the objects it inherits.

    An object of a native library whose threads stay in this process (pyosmium's readers,
    say) must not be freed in a child, where those threads do not exist: freeing it there
    waits for them forever. Garbage cycles that hold such an object would be freed by the
    child's first collection; :func:`gc.freeze` keeps every object that exists at the fork
    out of the child's collections (this process collects them again after the block).
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _serve(
    connection: Connection, parents_end: Connection, preload: list[str], parent: int
) -> None:
    """The worker: import *preload*, then run tasks from *connection* until told to leave."""
    parents_end.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with(parent)
    for module in preload:
        with contextlib.suppress(Exception):  # a missing stack fails later, in its renderer
            importlib.import_module(module)
    while True:
        try:
            task = connection.recv()
        except (OSError, EOFError):  # this process's parent is gone
            break
        if task is None:
            break
        function, args = task
        try:
            answer: tuple[bool, Any] = (True, function(*args))
        except Exception as err:  # handed back, raised in the parent
            answer = (False, err)
        try:
            connection.send(answer)
        except (OSError, EOFError):
            break
        except Exception as err:  # an unpicklable exception
            connection.send((False, RuntimeError(f"{type(err).__name__}: {err}")))
    connection.close()


def _die_with(parent: int) -> None:
    """Ask Linux to send this process SIGTERM when *parent* ends (best effort)."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(Exception):
        import ctypes  # noqa: PLC0415

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
    if os.getppid() != parent:  # the parent ended before the request took effect
        os._exit(0)


__all__ = [
    "OutputWorker",
    "PendingResult",
    "WorkerLostError",
    "can_fork_worker",
    "frozen_garbage",
    "worker_formats",
]
