"""What a build holds while it runs, and letting go of all of it however the build ends.

* One build per output folder at a time: ``locked(out)`` holds an exclusive ``flock`` on
  ``OUT/../.OUT.lock``; a second build of the same folder waits, saying so, or (``wait=False``) refuses.
  The lock goes with the process however it ends (the kernel releases it); the file is removed on release.
* Scratch space: the build's staging folder (beside OUT, unique per build) and its temp folder
  (kernel connection files) are registered here while they exist.
* ``signals_handled()`` (the command line): SIGINT, SIGTERM and SIGHUP stop every kernel and launcher
  (kernels.kill_all), remove the registered folders, release the locks, reap the children and exit with
  128 + the signal's number, within seconds; nothing is left in the temp folder, no process, no socket.
  ``signals_deferred()`` holds a signal back while the published folder is being swapped in, so that an
  interruption never leaves OUT half replaced.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

from jimo_eval.build import kernels
from jimo_eval.core.identifiers import mask_identifiers

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

_paths: dict[Path, None] = {}  # folders to remove if the build is stopped, in the order registered
_locks: dict[int, OutputLock] = {}
_deferred = 0
_pending: list[int] = []
_stopping = threading.Event()
_state = threading.RLock()  # re-entrant: the handler runs in the thread it interrupts


class Busy(RuntimeError):
    """Another build holds the lock of the output folder (and the caller would not wait)."""


class OutputLock:
    """An exclusive lock on an output folder, as a lock file beside it (``.OUT.lock``, holding the
    holder's process id). ``flock``: per open file, so two builds in one process exclude each other too."""

    def __init__(self, out: Path):
        out = Path(out)
        self.path = out.parent / f".{out.name}.lock"
        self.fd: int | None = None

    def acquire(self, wait: bool = True, on_wait: Callable[[str], None] | None = None) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        told = False
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = self.holder()
                if not wait:
                    os.close(fd)
                    raise Busy(f"{self.path.parent}: another build ({holder}) is writing there") from None
                if not told and on_wait is not None:
                    on_wait(f"another build ({holder}) is writing {self.path.parent}; waiting for it to end")
                    told = True
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                except BaseException:
                    os.close(fd)
                    raise
            # The holder removes the file on release: the lock counts only on the file still at the path.
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd
        _locks[id(self)] = self

    def holder(self) -> str:
        try:
            pid = self.path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            pid = ""
        return f"process {pid}" if pid.isdigit() else "another process"

    def release(self) -> None:
        fd, self.fd = self.fd, None
        _locks.pop(id(self), None)
        if fd is None:
            return
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()  # while still holding it: a waiter then sees the file is gone and retries
        os.close(fd)


@contextlib.contextmanager
def locked(out: Path, wait: bool = True, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    lock = OutputLock(out)
    lock.acquire(wait=wait, on_wait=on_wait)
    try:
        yield
    finally:
        lock.release()


def remember(path: Path) -> Path:
    """Remove ``path`` if the build is stopped by a signal (until ``forget``)."""
    _paths[Path(path)] = None
    return path


def forget(path: Path) -> None:
    _paths.pop(Path(path), None)


def remove(path: Path) -> None:
    """Remove a folder (or file) even while another thread may still be writing into it: renamed out
    of the way first, then deleted; a stopped build's threads write nowhere visible."""
    path = Path(path)
    forget(path)
    if not path.exists() and not path.is_symlink():
        return
    if path.is_dir() and not path.is_symlink():
        trash = path.with_name(f"{path.name}.removing-{os.getpid()}-{threading.get_ident()}")
        with contextlib.suppress(OSError):
            path.rename(trash)
            path = trash
        for _ in range(3):
            shutil.rmtree(path, ignore_errors=True)
            if not path.exists():
                return
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


@contextlib.contextmanager
def scratch_folder(prefix: str = "jimo-eval-") -> Iterator[Path]:
    """A private temporary folder (kernel connection files), removed at the end or on a signal."""
    folder = remember(Path(tempfile.mkdtemp(prefix=prefix)))
    try:
        yield folder
    finally:
        remove(folder)


@contextlib.contextmanager
def signals_handled() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP stop the build cleanly (see the module's docstring); in the main
    thread only (elsewhere Python cannot take signals), else a no-op."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    owner = os.getpid()

    def handler(signum, _frame):
        if os.getpid() != owner:  # a child forked before it replaced the handler
            os._exit(128 + signum)
        with _state:
            if _deferred:
                _pending.append(signum)
                return
        stop(signum)

    previous = {signum: signal.signal(signum, handler) for signum in SIGNALS}
    try:
        yield
    finally:
        for signum, action in previous.items():
            signal.signal(signum, action)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Within the block a signal only takes effect at its end (swapping the finished folder in)."""
    global _deferred
    with _state:
        _deferred += 1
    try:
        yield
    finally:
        with _state:
            _deferred -= 1
            pending = _pending[0] if _pending and not _deferred else None
        if pending is not None:
            stop(pending)


def stop(signum: int) -> None:
    """Stop everything this build started and exit: kernels and launchers, preloader, staging and temp
    folders, locks; wait for the children; exit status 128 + ``signum``."""
    if _stopping.is_set():
        return
    _stopping.set()
    name = signal.Signals(signum).name
    _say(f"[build] {name}: stopping every kernel, removing the staging folder and the lock\n")
    kernels.kill_all()
    _kill_children()
    paths = list(reversed(list(_paths)))
    for path in paths:
        remove(path)
    for lock in list(_locks.values()):
        lock.release()
    _reap_children()
    # Build threads run on while this handler does: one may have written into a folder just removed
    # (a kernel's connection file recreates the temp folder). Once more, now that no kernel can start.
    kernels.kill_all()
    for path in paths:
        remove(path)
    _say(f"build stopped by {name}; nothing was published\n")
    os._exit(128 + signum)


def _kill_children() -> None:
    """SIGKILL to any other child process of this one (Linux: found in /proc)."""
    me = os.getpid()
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = entry.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == me:
            with contextlib.suppress(OSError):
                os.kill(int(entry.parent.name), signal.SIGKILL)


def _reap_children(timeout: float = 3.0) -> None:
    """Wait (a little) for any child process still exiting, so that none is left a zombie."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.02)


def _say(message: str) -> None:
    """Straight to the file descriptor: a signal handler must not wait on the stream's lock."""
    with contextlib.suppress(OSError):
        os.write(2, message.encode())


def unexpected(error: BaseException) -> str:
    """An error nobody anticipated, in one line: what, and where in the code it happened (identifiers
    masked, as in every message)."""
    frames = traceback.extract_tb(error.__traceback__)
    where = ""
    if frames:
        frame = frames[-1]
        where = f" (in {Path(frame.filename).name}, line {frame.lineno}, {frame.name})"
    return mask_identifiers(f"unexpected {type(error).__name__}: {error}{where}")
