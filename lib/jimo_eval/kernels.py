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
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import json
import os
import pkgutil
import selectors
import signal
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

HEAVY_MODULES = (
    "numpy",
    "pandas",
    "scipy.stats",
    "statsmodels.api",
    "matplotlib.pyplot",
    "pandera.pandas",
    "pyarrow.parquet",
    "IPython",
    "ipykernel.kernelapp",
)
# The stub jupyter_client starts as the kernel process (run with -I -S: no site, starts in ~20 ms).
STUB = r"""
import json, os, signal, socket, sys
link = socket.socket(socket.AF_UNIX)
link.connect(sys.argv[1])
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

_active: tuple[int, str] | None = None  # (pid, socket path) of the running preloader


def kernel_manager(kernel_name: str = "python3"):
    """A manager for one notebook's kernel from the running preloader, or None (start one normally)."""
    if _active is None:
        return None
    from jupyter_client.manager import KernelManager  # not at import: start_preloader() runs first

    class PreloadedKernelManager(KernelManager):
        def format_kernel_cmd(self, extra_arguments=None):
            cmd = super().format_kernel_cmd(extra_arguments)
            launcher = "ipykernel_launcher"
            kernel_args = cmd[cmd.index(launcher) + 1 :] if launcher in cmd else cmd[1:]
            return [sys.executable, "-I", "-S", "-c", STUB, socket_path, *kernel_args]

    socket_path = _active[1]
    return PreloadedKernelManager(kernel_name=kernel_name)


def start_preloader() -> bool:
    """Fork the preloader now, if none is running and this process is single-threaded (fork is safe
    only then). The build calls it before importing papermill and nbconvert, so that the two import
    phases run side by side. Whether one is running afterwards."""
    global _active
    if _active is not None:
        return True
    if os.environ.get("JIMO_EVAL_PRELOAD") == "0" or threading.active_count() > 1:
        return False
    path = str(Path(tempfile.mkdtemp(prefix="jimo-kernels-")) / "preloader.sock")
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(path)
    listener.listen(64)
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the preloader
        try:
            _serve(listener, parent)
        finally:
            os._exit(0)
    listener.close()
    _active = (pid, path)
    atexit.register(stop_preloader)
    return True


def stop_preloader() -> None:
    """Stop the preloader and every kernel it forked (no-op if none is running)."""
    global _active
    if _active is None:
        return
    (pid, path), _active = _active, None
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)
    with contextlib.suppress(OSError):
        os.unlink(path)
        os.rmdir(Path(path).parent)


@contextlib.contextmanager
def preloaded_kernels():
    """Kernels from a preloader within the block (started now unless already running; stopped at
    the end); ordinary kernels if it cannot start."""
    start_preloader()
    try:
        yield
    finally:
        stop_preloader()


def _preload() -> None:
    # What ipykernel sets before the notebook imports matplotlib: the same backend as a fresh kernel.
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    names = list(HEAVY_MODULES)
    package = importlib.import_module("jimo_eval")
    names += [
        f"jimo_eval.{m.name}" for m in pkgutil.iter_modules(package.__path__) if m.name.endswith("_view")
    ]
    for name in names:
        with contextlib.suppress(Exception):  # a module that fails here is imported by the kernel itself
            importlib.import_module(name)


def _serve(listener: socket.socket, parent: int) -> None:
    """The preloader: import once, then fork one kernel per request until the build ends."""
    kernels: dict[int, socket.socket] = {}  # kernel pid → its stub's connection
    signal.signal(signal.SIGTERM, lambda *_: _stop_kernels_and_exit(kernels))
    _preload()
    events = selectors.DefaultSelector()
    events.register(listener, selectors.EVENT_READ)
    while os.getppid() == parent:
        for key, _ in events.select(timeout=0.05):
            if key.fileobj is listener:
                link, _ = listener.accept()
                pid = _fork_kernel(link, listener, kernels)
                events.register(link, selectors.EVENT_READ, pid)
            elif not key.fileobj.recv(1):  # the stub is gone (killed): so goes its kernel
                events.unregister(key.fileobj)
                with contextlib.suppress(ProcessLookupError):
                    os.kill(key.data, signal.SIGKILL)
        _reap(kernels, events)
    _stop_kernels_and_exit(kernels)


def _fork_kernel(link: socket.socket, listener: socket.socket, kernels: dict) -> int:
    argv = json.loads(link.makefile("r").readline())
    pid = os.fork()
    if pid == 0:  # the kernel
        listener.close()
        link.close()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.setpgid(0, 0)
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


def _stop_kernels_and_exit(kernels: dict) -> None:
    for pid in list(kernels):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 2
    while kernels and time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            pid, _ = os.waitpid(-1, 0)
            kernels.pop(pid, None)
    os._exit(0)
