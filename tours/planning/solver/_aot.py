"""The solver's kernels compiled ahead of time: an extension module that loads without numba.

numba compiles :mod:`._kernel` on first use and caches the machine code, but every process
still pays for loading it: importing numba, its typing registry and the cached kernels take
about a second, more than the search of a day's plan. ``scripts/setup.sh`` (through
``python -m tours.planning.solver.warmup``) therefore also compiles the two entry points the
solver calls, :func:`._kernel.search` and :func:`._kernel.prepare`, into a small extension
module with numba's ahead-of-time compiler (``numba.pycc``); importing it takes milliseconds
and needs no numba at all.

The module's name carries a hash of the kernel's source, this file and NumPy's version
(``_kernel_aot_<hash>``), so an edited kernel is never run from an outdated build: until it
is built again, :func:`solver_kernels` returns the just-in-time kernels of :mod:`._kernel`,
which compute the same plans. The code is compiled for the architecture's generic CPU, so a
checkout whose folder moves to another machine still runs it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.machinery
import importlib.util
import os
import sys
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import numpy as np

from tours.planning.solver._state import Instance, State, new_memo

#: The kernels the solver calls from Python (everything else is compiled into them).
ENTRY_POINTS = ("search", "prepare")
#: Files whose bytes decide the compiled code (with NumPy's version): the kernels, their
#: argument types (``_state``; the dtypes ``optw`` fills in; the sample ``warmup`` builds) and
#: the signatures below. The compiled wrappers do not check argument types, so any edit that
#: could change one must give another module name.
_SOURCES = ("_kernel.py", "_state.py", "optw.py", "warmup.py", "_aot.py")


@functools.cache
def module_name() -> str:
    """``_kernel_aot_<hash>``: the extension module built from the kernel's current source."""
    digest = hashlib.sha256(np.__version__.encode())
    here = Path(__file__).parent
    for name in _SOURCES:
        digest.update(b"\0" + (here / name).read_bytes())
    return f"_kernel_aot_{digest.hexdigest()[:16]}"


def module_path(folder: Path | None = None) -> Path:
    """Where the extension module of the current source is (or would be) built."""
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    return (folder if folder is not None else _default_folder()) / f"{module_name()}{suffix}"


def _default_folder() -> Path:
    """``__pycache__`` beside the kernel, where numba keeps its own cache of it."""
    return Path(__file__).parent / "__pycache__"


@functools.cache
def solver_kernels() -> ModuleType:
    """The module with the kernels :data:`ENTRY_POINTS`: the ahead-of-time compiled one when
    built for the current source, else numba's :mod:`._kernel`, whose just-in-time kernels
    compile on their first call (or load from numba's cache)."""
    module = load_compiled()
    if module is None:
        from tours.planning.solver import _kernel  # noqa: PLC0415 (loads numba)

        module = _kernel
    return module


def load_compiled(folder: Path | None = None) -> ModuleType | None:
    """The extension module built for the current source, ``None`` when there is none."""
    path = module_path(folder)
    if not path.is_file():
        return None
    name = module_name()
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        return None
    try:
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except ImportError:  # built for another Python or NumPy ABI: use the JIT kernels
        return None
    if not all(callable(getattr(module, entry, None)) for entry in ENTRY_POINTS):
        return None
    sys.modules[name] = module
    return module


def build(folder: Path | None = None) -> Path:
    """Compile :data:`ENTRY_POINTS` ahead of time into :func:`module_path` (atomically).

    Takes about as long as numba's first just-in-time compile (a minute on a small machine);
    the kernels it calls are compiled into the module and cached by numba on the way.

    Raises
    ------
    RuntimeError
        numba's ahead-of-time compiler is missing, compiling or linking failed (no C
        compiler, say) or the folder is read-only; the just-in-time kernels still work then.
    """
    target = module_path(folder)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return _build_into(target)
    except OSError as err:
        msg = f"cannot write the compiled solver kernels to `{target.parent}` ({err.strerror})"
        raise RuntimeError(msg) from err


def _build_into(target: Path) -> Path:
    """:func:`build` into the file *target*."""
    # numba.pycc is deprecated in favour of a successor that does not exist yet; it still
    # ships and works, and a failure here only means the just-in-time kernels are used
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            from numba import typeof, types  # noqa: PLC0415
            from numba.pycc import CC  # noqa: PLC0415

            from tours.planning.solver import _kernel  # noqa: PLC0415
        except ImportError as err:
            msg = f"numba's ahead-of-time compiler is not available ({err})"
            raise RuntimeError(msg) from err
        instance, state, cand, memo = _sample_arguments()
        array_i64, array_u64 = typeof(cand), typeof(np.zeros(1, dtype=np.uint64))
        pb, sx = typeof(instance), typeof(state)
        search = types.none(
            pb, sx, sx, sx, array_i64, array_u64, array_i64, types.int64, types.float64,
            types.int64, types.float64, typeof(memo),
        )  # fmt: skip
        prepare = types.int64(
            pb, sx, array_i64, array_u64, types.float64, typeof(memo), types.boolean
        )
        with tempfile.TemporaryDirectory(prefix="tours-aot-", dir=target.parent) as scratch:
            compiler = CC(module_name(), source_module=_kernel)
            compiler.output_dir = scratch
            compiler.export("search", search)(_kernel.search.py_func)
            compiler.export("prepare", prepare)(_kernel.prepare.py_func)
            log = Path(scratch) / "build.log"
            try:
                with _output_to(log):
                    compiler.compile()
            except Exception as err:  # distutils and numba raise many kinds
                tail = log.read_text(errors="replace").strip().splitlines()[-3:]
                msg = f"compiling the solver kernels ahead of time failed: {err}"
                raise RuntimeError("; ".join([msg, *tail])) from err
            (Path(scratch) / compiler.output_file).replace(target)  # same folder: atomic
    _remove_outdated(target)
    return target


def _sample_arguments() -> tuple[Instance, State, np.ndarray, np.ndarray]:
    """Arrays with the types real plans pass (the warm-up problem's)."""
    from tours.planning.solver.optw import _compile, _empty_state  # noqa: PLC0415
    from tours.planning.solver.warmup import tiny_problem  # noqa: PLC0415

    problem = tiny_problem()
    instance, cand = _compile(problem)
    state = _empty_state(problem, len(cand) + 2)
    return instance, state, cand, new_memo(1, state.route.shape[1])


@contextlib.contextmanager
def _output_to(log: Path) -> Iterator[None]:
    """Send the C compiler's and linker's chatter (file descriptors 1 and 2) to *log*."""
    saved = [os.dup(1), os.dup(2)]
    with log.open("wb") as sink:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
        try:
            yield None
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)


def _remove_outdated(current: Path) -> None:
    """Delete modules built from earlier versions of the kernel beside *current* for the
    same Python (another Python's build, another file suffix, stays)."""
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    for path in current.parent.glob(f"_kernel_aot_*{suffix}"):
        if path != current and path.is_file():
            with contextlib.suppress(OSError):
                path.unlink()


__all__ = [
    "ENTRY_POINTS",
    "build",
    "load_compiled",
    "module_name",
    "module_path",
    "solver_kernels",
]
