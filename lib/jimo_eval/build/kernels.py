"""Kernels with the heavy modules already imported: forked from one preloaded process.

A kernel started the usual way is a new interpreter that imports pandas, SciPy, statsmodels,
matplotlib, pandera and the package again, about 2 s of CPU per notebook before the first cell. Here
the build forks, once and while it is still single-threaded, a *preloader* process that imports those
modules once; each kernel is then a fork of the preloader (copy-on-write: the imported modules cost
neither time nor extra memory) running an ordinary IPython kernel on the connection file jupyter_client
wrote. Notebooks run exactly as in a fresh kernel (own process, own namespace, same cwd and environment
as the build); only the import time is gone.

jupyter_client still launches "the kernel process": a tiny stub (the standard library only) that asks
the preloader for a kernel over a Unix socket, forwards interrupts and terminations to it, and exits
with its status; if the stub is killed, the preloader kills the kernel. Anything that prevents the
preloader from starting (a multi-threaded caller, an import error) falls back to ordinary kernels;
``JIMO_EVAL_PRELOAD=0`` turns it off.

The socket is in Linux's abstract namespace (no file, so no path-length limit whatever TMPDIR is, and
nothing to leave behind); the preloader serves only processes of its own user. Elsewhere it is a file
in a private temporary folder with a short path. Every process is accounted for: the stubs (and
ordinary kernels) are jupyter_client's children, each in its own process group; the preloader is this
process's child and kills the process group of each kernel it forked when it is stopped (SIGTERM,
SIGINT, SIGHUP) or its parent goes; a forked kernel exits by itself if the preloader goes.
``kill_all`` stops all of them at once (a build that is interrupted). Kernel connection files are
written where the build says (``manager_class(runtime)``), and removed with the kernel.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import json
import os
import secrets
import selectors
import signal
import socket
import struct
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

# What every kernel imports, whatever its notebook: the kernel itself, the plotting backend, and
# pandera's built-in checks, which pandera imports only when the first input is checked (and which
# import hypothesis when it is installed, as it is for the tests): 0.9 CPU-s in every kernel, more than
# half of the kernels' work in a quarter's build, until the preloader did it once. Each programme's
# view module brings the rest it needs (pandas, SciPy, statsmodels…) at its own import.
KERNEL_MODULES = (
    "IPython",
    "ipykernel.kernelapp",
    "matplotlib.pyplot",
    "pandera.backends.pandas.builtin_checks",
)
# The stub jupyter_client starts as the kernel process (run with -I -S: no site, starts in ~20 ms).
STUB = r"""
import json, os, signal, socket, sys
link = socket.socket(socket.AF_UNIX)
address = sys.argv[1]
link.connect("\0" + address[1:] if address.startswith("@") else address)
link.sendall(json.dumps(sys.argv[2:]).encode() + b"\n")
reply = link.makefile("r")
pid = int(reply.readline())
def forward(signum, frame):
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass
for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
    signal.signal(signum, forward)
status = reply.readline()
sys.exit(int(status) if status.strip() else 1)
"""

# (pid, socket address) of the running preloader; an address starting with "@" is an abstract socket.
_active: tuple[int, str] | None = None
_managers: set = set()  # every kernel manager whose kernel may be running (for kill_all)
_closed = threading.Event()  # set by kill_all: the build is being stopped, no kernel may start
SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
# sockaddr_un holds 108 bytes on Linux, 104 on macOS: a socket file's path must stay below both.
MAX_SOCKET_PATH = 100


def manager_class(runtime: Path | str | None = None):
    """The kernel manager class for a notebook's kernel: forked from the preloader when one is running,
    an ordinary kernel otherwise. Its connection file goes into ``runtime`` (default: the temp folder);
    nbclient, owning the manager, shuts the kernel down and removes the file after the notebook."""
    from jupyter_client.manager import AsyncKernelManager  # not at import: start_preloader() runs first

    address = _active[1] if _active is not None else None

    class BuildKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            if runtime is not None:
                kwargs.setdefault("connection_file", str(Path(runtime) / f"kernel-{uuid.uuid4()}.json"))
            super().__init__(**kwargs)

        def format_kernel_cmd(self, extra_arguments=None):
            cmd = super().format_kernel_cmd(extra_arguments)
            if address is None:
                return cmd
            launcher = "ipykernel_launcher"
            kernel_args = cmd[cmd.index(launcher) + 1 :] if launcher in cmd else cmd[1:]
            return [sys.executable, "-I", "-S", "-c", STUB, address, *kernel_args]

        async def start_kernel(self, **kwargs):
            if _closed.is_set():
                raise BuildStopping("the build is being stopped: no kernel starts")
            _managers.add(self)
            return await super().start_kernel(**kwargs)

        async def cleanup_resources(self, restart: bool = False):
            try:
                return await super().cleanup_resources(restart=restart)
            finally:
                if not restart:
                    _managers.discard(self)

    return BuildKernelManager


def kernel_manager(kernel_name: str = "python3"):
    """A manager for one notebook's kernel from the running preloader, or None (start one normally)."""
    if _active is None:
        return None
    return manager_class()(kernel_name=kernel_name)


class BuildStopping(RuntimeError):
    """No kernel starts once the build is being stopped (kill_all)."""


def kill_all() -> None:
    """Stop every kernel and launcher stub now (an interrupted build): the process group of each,
    SIGKILL; the preloader and its kernels; wait for each to be gone; remove their connection files.
    From then on no kernel starts in this process: a build thread about to start one would otherwise
    write its connection file after the temp folder was removed (and recreate the folder)."""
    _closed.set()
    processes = []
    for manager in list(_managers):
        provisioner = getattr(manager, "provisioner", None)
        process = getattr(provisioner, "process", None)
        if process is not None and process.returncode is None:
            for kill, target in ((os.killpg, getattr(provisioner, "pgid", None)), (os.kill, process.pid)):
                if target:
                    with contextlib.suppress(OSError):
                        kill(target, signal.SIGKILL)
            processes.append(process)
        with contextlib.suppress(OSError, TypeError):
            os.remove(manager.connection_file)
    stop_preloader()
    for process in processes:
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(process.pid, 0)
    _managers.clear()


def start_preloader(programmes: Iterable[str] | None = None) -> bool:
    """Fork the preloader now, if none is running and this process is single-threaded (fork is safe
    only then). The build calls it before importing papermill and nbconvert, so that the two import
    phases run side by side. ``programmes``: the names whose notebooks will run (their views are
    imported ahead); None: every registered programme. Whether one is running afterwards."""
    global _active
    if _active is not None:
        return True
    if os.environ.get("JIMO_EVAL_PRELOAD") == "0" or threading.active_count() > 1:
        return False
    listener, address = _listen()
    listener.listen(64)
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the preloader
        try:
            _serve(listener, parent, None if programmes is None else tuple(programmes))
        finally:
            os._exit(0)
    listener.close()
    _active = (pid, address)
    atexit.register(stop_preloader)
    return True


def _listen() -> tuple[socket.socket, str]:
    """A bound Unix socket for the preloader and the address a stub connects to: an abstract socket on
    Linux, else a file in a private temporary folder whose path fits a socket address."""
    listener = socket.socket(socket.AF_UNIX)
    if sys.platform.startswith("linux"):
        name = f"jimo-eval-{os.getpid()}-{secrets.token_hex(8)}"
        listener.bind("\0" + name)
        return listener, "@" + name
    folder = tempfile.mkdtemp(prefix="jimo-k-")
    if len(folder) > MAX_SOCKET_PATH - len("/s"):
        os.rmdir(folder)
        folder = tempfile.mkdtemp(prefix="jimo-k-", dir="/tmp")
    path = os.path.join(folder, "s")
    listener.bind(path)
    return listener, path


def stop_preloader() -> None:
    """Stop the preloader and every kernel it forked (no-op if none is running)."""
    global _active
    if _active is None:
        return
    (pid, address), _active = _active, None
    _end(pid)
    if not address.startswith("@"):
        with contextlib.suppress(OSError):
            os.unlink(address)
            os.rmdir(Path(address).parent)


def _end(pid: int, patience: float = 5.0) -> None:
    """SIGTERM to the preloader until it is gone, SIGKILL after ``patience`` seconds. Sent once, a
    SIGTERM can be lost: CPython discards a signal that arrives in a child between fork and its first
    Python code (a build that stops at once, e.g. a busy OUT, stops the preloader microseconds after
    forking it), and the build then waited for ever."""
    started = time.monotonic()
    next_signal = started
    while True:
        now = time.monotonic()
        try:
            if now >= next_signal:  # again every half second: the handler takes a moment to end kernels
                os.kill(pid, signal.SIGKILL if now - started > patience else signal.SIGTERM)
                next_signal = now + 0.5
            done, _ = os.waitpid(pid, os.WNOHANG)
        except (ProcessLookupError, ChildProcessError):
            return
        if done:
            return
        time.sleep(0.02)


@contextlib.contextmanager
def preloaded_kernels():
    """Kernels from a preloader within the block (started now unless already running; stopped at
    the end); ordinary kernels if it cannot start."""
    start_preloader()
    try:
        yield
    finally:
        stop_preloader()


def _preload(programmes: tuple[str, ...] | None) -> None:
    # What ipykernel sets before the notebook imports matplotlib: the same backend as a fresh kernel.
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    from jimo_eval.programmes import PROGRAMMES  # in the preloader only: the build reads it from params

    chosen = [p for p in PROGRAMMES if programmes is None or p.name in programmes]
    for name in [*KERNEL_MODULES, *(f"{programme.package}.view" for programme in chosen)]:
        with contextlib.suppress(Exception):  # a module that fails here is imported by the kernel itself
            importlib.import_module(name)


def _serve(listener: socket.socket, parent: int, programmes: tuple[str, ...] | None) -> None:
    """The preloader: import once, then fork one kernel per request until the build ends."""
    kernels: dict[int, socket.socket] = {}  # kernel pid → its stub's connection
    for signum in SIGNALS:  # the build's own handlers were inherited: replaced first thing
        signal.signal(signum, lambda *_: _stop_kernels_and_exit(kernels))
    _preload(programmes)
    events = selectors.DefaultSelector()
    events.register(listener, selectors.EVENT_READ)
    while os.getppid() == parent:
        for key, _ in events.select(timeout=0.05):
            if key.fileobj is listener:
                link, _ = listener.accept()
                if not _same_user(link):
                    link.close()
                    continue
                pid = _fork_kernel(link, listener, kernels)
                events.register(link, selectors.EVENT_READ, pid)
            elif not key.fileobj.recv(1):  # the stub is gone (killed): so goes its kernel
                events.unregister(key.fileobj)
                _kill_group(key.data)
        _reap(kernels, events)
    _stop_kernels_and_exit(kernels)


def _same_user(link: socket.socket) -> bool:
    """Whether the process at the other end runs as this user (an abstract socket has no file
    permissions to keep others out)."""
    if not hasattr(socket, "SO_PEERCRED"):
        return True
    credentials = link.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", credentials)
    return uid == os.getuid()


def _fork_kernel(link: socket.socket, listener: socket.socket, kernels: dict) -> int:
    argv = json.loads(link.makefile("r").readline())
    preloader = os.getpid()
    pid = os.fork()
    if pid == 0:  # the kernel
        listener.close()
        link.close()
        for signum in SIGNALS:
            signal.signal(signum, signal.SIG_DFL)
        os.setpgid(0, 0)
        # ipykernel exits by itself when its parent is no longer this process (the preloader killed).
        os.environ["JPY_PARENT_PID"] = str(preloader)
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        app.initialize(argv)
        app.start()
        os._exit(0)
    kernels[pid] = link
    link.sendall(f"{pid}\n".encode())
    return pid


def _reap(kernels: dict, events: selectors.BaseSelector) -> None:
    while kernels:
        pid, status = os.waitpid(-1, os.WNOHANG)
        if pid == 0:
            return
        link = kernels.pop(pid, None)
        if link is not None:
            with contextlib.suppress(KeyError, ValueError):
                events.unregister(link)
            with contextlib.suppress(OSError):
                link.sendall(f"{os.waitstatus_to_exitcode(status)}\n".encode())
            link.close()


def _kill_group(pid: int) -> None:
    """SIGKILL to a forked kernel's process group (whatever it started too), and to the kernel itself
    in case it had not made its group yet."""
    for kill in (os.killpg, os.kill):
        with contextlib.suppress(OSError):
            kill(pid, signal.SIGKILL)


def _stop_kernels_and_exit(kernels: dict) -> None:
    for pid in list(kernels):
        _kill_group(pid)
    deadline = time.monotonic() + 2
    while kernels and time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            time.sleep(0.01)
        kernels.pop(pid, None)
    os._exit(0)
