"""Atomic file output: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from routing._cache import write_atomic
from tours._errors import OutputError


def _unusable_folder(folder: Path, err: OSError | None = None) -> OutputError:
    """The one-line error for an output folder that cannot be created or written."""
    blocker = next((p for p in (folder, *folder.parents) if _exists(p) and not p.is_dir()), None)
    if blocker is not None:
        why = f"`{blocker}` is a file, not a folder"
    elif err is not None and err.strerror:
        why = err.strerror.lower()
    else:
        why = "it is not writable"
    msg = f"output folder `{folder}`: cannot write there ({why}); choose a writable folder"
    return OutputError(msg)


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # e.g. a name too long for the file system
        return False


def _name_problem(folder: Path) -> str | None:
    """Why *folder* cannot name a folder on this system (empty, a name too long), or ``None``."""
    if not str(folder).strip():
        return "the name is empty; give a folder name"
    probe = next((p for p in (folder, *folder.parents) if _exists(p)), Path())
    try:
        name_max = os.pathconf(probe, "PC_NAME_MAX")
        path_max = os.pathconf(probe, "PC_PATH_MAX")
    except (OSError, ValueError):
        name_max, path_max = 255, 4096
    for part in folder.parts:
        if len(os.fsencode(part)) > name_max:
            return (
                f"the name `{part[:40]}...` is longer than the {name_max} bytes a file name "
                "may have; choose a shorter name"
            )
    if len(os.fsencode(str(folder.absolute()))) >= path_max:
        return f"the path is longer than the {path_max} bytes a path may have; shorten it"
    return None


def check_output_folder(folder: Path | str) -> None:
    """Raise :class:`OutputError` now if *folder* cannot be created or written (no side effects).

    Lets a command fail before a long computation instead of after it.
    """
    folder = Path(folder)
    if (problem := _name_problem(folder)) is not None:
        msg = f"output folder `{str(folder)[:80]}`: {problem}"
        raise OutputError(msg)
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is None:
        return
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise _unusable_folder(folder)


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise _unusable_folder(folder, err) from None


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write *data* to *path* through a temporary file in the same folder, then rename.

    The one atomic writer (``routing._cache.write_atomic``); a folder that cannot be written
    raises :class:`OutputError` naming it.
    """
    _make_folder(path.parent)
    try:
        write_atomic(path, data)
    except OSError as err:
        raise _unusable_folder(path.parent, err) from None


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 *text* to *path* atomically."""
    write_bytes_atomic(path, text.encode("utf-8"))


#: Staging folders are named ``.tours-stage-<pid>-<random>``: the pid tells a later run
#: whether the run that made one is still alive.
STAGE_PREFIX = ".tours-stage-"
_STAGE_NAME = re.compile(re.escape(STAGE_PREFIX) + r"(?P<pid>[0-9]+)-[A-Za-z0-9_]+")
#: Signals that end a process outright by default: during staging they unwind (and clean
#: up) like Ctrl-C, whose KeyboardInterrupt already does.
_STOP_SIGNALS = tuple(sig for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)) if sig)
#: Held back while the staged files are moved into place.
_HELD_SIGNALS = (*_STOP_SIGNALS, signal.SIGINT)


def _alive(pid: int) -> bool:
    """Whether process *pid* exists (a process of another user counts as alive)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_stages(out_dir: Path) -> list[Path]:
    """Delete staging folders in *out_dir* left by runs that were killed (their pid is gone).

    Only folders with this module's naming (``.tours-stage-<pid>-...``) whose process no
    longer exists are removed; a live run's folder is never touched.
    """
    removed: list[Path] = []
    try:
        entries = sorted(out_dir.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = _STAGE_NAME.fullmatch(entry.name)
        if match is None or not entry.is_dir() or entry.is_symlink():
            continue
        pid = int(match.group("pid"))
        if pid == os.getpid() or _alive(pid):
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


class _Stopped(BaseException):
    """Raised by the signal handler so that staging unwinds and cleans up."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signum)


@contextlib.contextmanager
def _signals_unwind() -> Iterator[None]:
    """While the body runs, SIGTERM/SIGHUP raise :class:`_Stopped` (main thread only).

    Only signals left at their default action (ending the process) are caught: a handler
    the application installed keeps working.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        raise _Stopped(signum)

    previous = {
        sig: signal.signal(sig, stop)
        for sig in _STOP_SIGNALS
        if signal.getsignal(sig) == signal.SIG_DFL
    }
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextlib.contextmanager
def _signals_blocked() -> Iterator[None]:
    """Hold SIGTERM/SIGHUP/SIGINT back while the body runs (delivered right after)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


@contextlib.contextmanager
def staged_outputs(out_dir: Path) -> Iterator[Path]:
    """Stage several output files in a scratch folder; move them into *out_dir* only on success.

    If the body raises, or the process gets SIGINT (KeyboardInterrupt), SIGTERM or SIGHUP,
    *out_dir* keeps its previous files untouched and the scratch folder is removed (SIGTERM
    and SIGHUP then end the process as they would have). The final moves run with those
    signals held back, so a signal never leaves half a set. Scratch folders of earlier runs
    that were killed outright (SIGKILL, power loss) are removed first. A folder that cannot
    be created or written raises :class:`OutputError` naming it.
    """
    _make_folder(out_dir)
    remove_stale_stages(out_dir)
    try:
        with _signals_unwind():
            try:
                scratch_dir = tempfile.TemporaryDirectory(
                    prefix=f"{STAGE_PREFIX}{os.getpid()}-", dir=out_dir
                )
            except OSError as err:
                raise _unusable_folder(out_dir, err) from None
            with scratch_dir as scratch:
                stage = Path(scratch)
                yield stage
                moves = [
                    (staged, out_dir / staged.relative_to(stage))
                    for staged in sorted(stage.rglob("*"))
                    if staged.is_file()
                ]
                for _staged, target in moves:  # check all before moving any
                    if target.is_dir():
                        msg = f"cannot write `{target}`: a folder has that name; move it away"
                        raise OutputError(msg)
                with _signals_blocked():
                    for staged, target in moves:
                        target.parent.mkdir(parents=True, exist_ok=True)
                        staged.replace(target)
    except _Stopped as stopped:
        # the scratch folder is gone; end the process the way the signal would have
        signal.signal(stopped.signum, signal.SIG_DFL)
        os.kill(os.getpid(), stopped.signum)
        raise SystemExit(128 + stopped.signum) from None
