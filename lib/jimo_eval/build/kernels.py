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

**Warm between builds** (Linux): an evaluator rebuilds again and again, and each build paid the
preloader's imports again (≈ 2 CPU-s, most of a one-report rebuild). So by default the preloader is a
*kernel server* that outlives the build: started by the first build in its own session, it serves every
later build run in the same environment and exits after ``JIMO_EVAL_WARM_SECONDS`` (default 600) without
a kernel or a request; ``JIMO_EVAL_WARM_SECONDS=0`` gives the per-build preloader above. "The same
environment" is a digest (:func:`environment_key`) of the interpreter, ``sys.path`` and the times its
folders changed (a package installed or removed), every file of this package (size and modification
time) and the environment variables but a few that change between two runs of the same command
(``VOLATILE_VARIABLES``): anything that could make a module imported in the server differ from one
imported by a fresh kernel gives another server. The socket's name holds the user id and that digest; a
kernel still runs in the stub's working directory with the stub's environment variables (sent with the
request), and the stub checks that the server runs as its own user before sending them.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import hashlib
import importlib
import json
import os
import secrets
import selectors
import signal
import socket
import struct
import subprocess
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
# The stub jupyter_client starts as the kernel process (run with -I -S: no site, starts in ~20 ms). It
# sends the kernel's arguments, working directory and environment, after checking (where Linux says)
# that the server at the other end runs as this user: an abstract socket's name can be taken by anyone.
# Where no server answers (a warm one that just went idle) it becomes an ordinary kernel instead.
STUB = r"""
import json, os, signal, socket, struct, sys
def own_kernel(why):  # no server to ask (it just went idle, or another user holds its name): a plain kernel
    print("jimo-eval kernel stub: " + why + "; starting an ordinary kernel", file=sys.stderr)
    os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *sys.argv[2:]])
address = sys.argv[1]
link = socket.socket(socket.AF_UNIX)
try:
    link.connect("\0" + address[1:] if address.startswith("@") else address)
except OSError as error:
    own_kernel("no kernel server at " + address + " (" + type(error).__name__ + ")")
if hasattr(socket, "SO_PEERCRED"):
    _, uid, _ = struct.unpack("3i", link.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))
    if uid != os.getuid():
        own_kernel("the kernel server " + address + " runs as another user")
request = {"argv": sys.argv[2:], "cwd": os.getcwd(), "env": dict(os.environ)}
reply = link.makefile("r")
try:
    link.sendall(json.dumps(request).encode() + b"\n")
    pid = int(reply.readline())
except (OSError, ValueError):
    own_kernel("the kernel server " + address + " closed")
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
# pid None: a warm kernel server, which is not this build's to stop.
_active: tuple[int | None, str] | None = None
_managers: set = set()  # every kernel manager whose kernel may be running (for kill_all)
_closed = threading.Event()  # set by kill_all: the build is being stopped, no kernel may start
SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
# sockaddr_un holds 108 bytes on Linux, 104 on macOS: a socket file's path must stay below both.
MAX_SOCKET_PATH = 100
BUSY_POLL, IDLE_POLL = 0.05, 1.0  # seconds between the preloader's looks at its kernels and its parent
WARM_SECONDS_VARIABLE = "JIMO_EVAL_WARM_SECONDS"
DEFAULT_WARM_SECONDS = 600
# Environment variables that differ between two runs of the same command (make's own, the shell's)
# without changing anything a module does at import: left out of the warm server's environment key.
VOLATILE_VARIABLES = frozenset(
    {
        "_",
        "PWD",
        "OLDPWD",
        "SHLVL",
        "MAKEFLAGS",
        "MAKELEVEL",
        "MFLAGS",
        "MAKEOVERRIDES",
        "MAKE_TERMOUT",
        "MAKE_TERMERR",
        "COLUMNS",
        "LINES",
    }
)
PACKAGE_DIR = Path(__file__).resolve().parents[1]


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
    if os.environ.get("JIMO_EVAL_PRELOAD") == "0":
        return False
    if warm_seconds() > 0 and sys.platform.startswith("linux"):
        address = _warm_server()
        if address is not None:
            _active = (None, address)
            return True
    if threading.active_count() > 1:
        return False
    listener, address = _listen()
    listener.listen(64)
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the preloader
        try:
            _serve(
                listener, lambda: os.getppid() == parent, None if programmes is None else tuple(programmes)
            )
        finally:
            os._exit(0)
    listener.close()
    _active = (pid, address)
    atexit.register(stop_preloader)
    return True


def warm_seconds() -> float:
    """How long a warm kernel server waits, idle, before it exits (0: no warm server)."""
    value = os.environ.get(WARM_SECONDS_VARIABLE, str(DEFAULT_WARM_SECONDS))
    try:
        return max(0.0, float(value))
    except ValueError:
        raise ValueError(f"{WARM_SECONDS_VARIABLE} must be a number of seconds, not {value!r}") from None


def environment_key(package: Path = PACKAGE_DIR) -> str:
    """A digest of what the modules a kernel server imports depend on (module docstring)."""
    digest = hashlib.sha256()
    for entry in [sys.executable, sys.version, *sys.path]:
        digest.update(f"{entry}\0{_mtime(entry)}\0".encode())
    for path in sorted(package.rglob("*")):
        if "__pycache__" not in path.parts and path.is_file():
            info = path.stat()
            digest.update(f"{path.relative_to(package)}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    for name in sorted(set(os.environ) - VOLATILE_VARIABLES):
        digest.update(f"{name}={os.environ[name]}\0".encode())
    return digest.hexdigest()[:32]


def _mtime(path: str) -> int | None:
    try:
        return os.stat(path or ".").st_mtime_ns
    except OSError:
        return None


def _warm_server() -> str | None:
    """The address of this environment's warm kernel server, started now if there is none: the socket
    is bound here, so a kernel can be asked for at once (the request waits until the server's imports are
    done), and two builds starting together find one server. None: no socket could be bound."""
    name = f"jimo-eval-warm-{os.getuid()}-{environment_key()}"
    listener = socket.socket(socket.AF_UNIX)
    try:
        listener.bind("\0" + name)
    except OSError as error:
        listener.close()
        return "@" + name if error.errno == errno.EADDRINUSE else None
    listener.listen(64)
    with listener:
        subprocess.Popen(
            [sys.executable, "-m", "jimo_eval.build.kernels", str(listener.fileno()), str(warm_seconds())],
            pass_fds=(listener.fileno(),),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # not the build's: Ctrl-C in the terminal stops the build only
        )
    return "@" + name


class _Idle:
    """Whether a warm server should go on: a kernel is running, or one was asked for within ``seconds``."""

    def __init__(self, seconds: float):
        self.seconds, self.since = seconds, None  # counted from the end of the imports
        self.kernels: dict = {}

    def __call__(self) -> bool:
        if self.kernels or self.since is None:
            self.since = time.monotonic()
        return time.monotonic() - self.since < self.seconds


def _serve_warm(fileno: int, seconds: float) -> None:
    """The warm kernel server's process (``python -m jimo_eval.build.kernels FD SECONDS``)."""
    listener = socket.socket(fileno=fileno)
    idle = _Idle(seconds)
    _serve(listener, idle, None, idle.kernels)


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
    if pid is None:  # a warm server: it goes when idle
        return
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


def _serve(listener: socket.socket, going_on, programmes: tuple[str, ...] | None, kernels=None) -> None:
    """The preloader: import once, then fork one kernel per request while ``going_on()`` (the build runs,
    or a warm server is not idle)."""
    kernels = {} if kernels is None else kernels  # kernel pid → its stub's connection
    for signum in SIGNALS:  # the build's own handlers were inherited: replaced first thing
        signal.signal(signum, lambda *_: _stop_kernels_and_exit(kernels))
    _preload(programmes)
    events = selectors.DefaultSelector()
    events.register(listener, selectors.EVENT_READ)
    while True:  # requests first: one already waiting is served even if the server is about to go
        # Kernels running: look often, a finished one is reaped and its stub told at once. None: a request
        # wakes the loop anyway, so an idle server (hours, between builds) hardly wakes at all.
        for key, _ in events.select(timeout=BUSY_POLL if kernels else IDLE_POLL):
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
        if not going_on():
            break
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
    request = json.loads(link.makefile("r").readline())
    preloader = os.getpid()
    pid = os.fork()
    if pid == 0:  # the kernel: where and with what the stub was started, as a kernel of its own would be
        listener.close()
        link.close()
        for signum in SIGNALS:
            signal.signal(signum, signal.SIG_DFL)
        os.setpgid(0, 0)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        # ipykernel exits by itself when its parent is no longer this process (the preloader killed).
        os.environ["JPY_PARENT_PID"] = str(preloader)
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        app.initialize(request["argv"])
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


if __name__ == "__main__":
    _serve_warm(int(sys.argv[1]), float(sys.argv[2]))
