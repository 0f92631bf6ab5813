"""A worker's kernel host: a child process that runs notebooks as a local build does (cluster.py).

    python -m jimo_eval.build.kernel_host FD      # started by KernelHost, never by hand

The host starts single-threaded, so it can fork the kernels' preloader (kernels.py) at once; then each
request on its socket (a notebook's name, the params and the build's record) is run by
pipeline.run_notebook in a staging folder of its own, and the reply is the failure message or None, the
executed notebook, its HTML and the metrics it published. It exits, stopping its preloader and kernels,
when the link closes (its worker stopped or died). No Dask here: the host imports only the build.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
from multiprocessing.connection import Connection
from pathlib import Path

from jimo_eval.core.paths import REPO_ROOT


class HostDied(RuntimeError):
    """The kernel host exited (killed, or it could not start)."""


class KernelHost:
    """A child process that runs notebooks as a local build does, with kernels forked from its own
    preloader (module docstring); one request at a time over a socket pair."""

    def __init__(self):
        ours, theirs = socket.socketpair()
        env = {**os.environ, "PYTHONHASHSEED": "0"}  # what kernels inherit, as cli.py ensures locally
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jimo_eval.build.kernel_host", str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
            cwd=REPO_ROOT,
            env=env,
        )
        theirs.close()
        self.link = Connection(ours.detach())

    def run(self, name: str, params: dict, record: dict) -> dict:
        try:
            self.link.send((name, params, record))
            return self.link.recv()
        except (EOFError, OSError) as error:  # the task fails, and is retried with a new host
            status = self.process.poll()
            raise HostDied(
                f"the kernel host of this worker exited (status {status}; its error is in the worker's log)"
            ) from error

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.link.close()  # the host exits when its link closes, stopping its preloader and kernels
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def serve(fd: int) -> None:
    """The kernel host: fork the preloader while single-threaded, then run each request (a notebook's
    name, params and the build's record) until the link closes; reply its outcome and files."""
    from jimo_eval.build import kernels

    kernels.start_preloader(None)
    link = Connection(fd)
    from jimo_eval.build.pipeline import run_notebook
    from jimo_eval.programmes import PROGRAMMES

    try:
        with tempfile.TemporaryDirectory(prefix="jimo-host-") as runtime:
            while True:
                try:
                    name, params, record = link.recv()
                except EOFError:
                    return
                link.send(_run(run_notebook, PROGRAMMES.get(name), params, record, Path(runtime)))
    finally:
        kernels.stop_preloader()


def _run(run_notebook, spec, params: dict, record: dict, runtime: Path) -> dict:
    from jimo_eval.build.pipeline import published_metrics

    with tempfile.TemporaryDirectory(prefix="jimo-task-") as folder:
        staging = Path(folder)
        failure = run_notebook(spec, params, staging, record, runtime)
        executed, html = staging / f"{spec.name}.ipynb", staging / f"{spec.name}.html"
        return {
            "failure": failure,
            "ipynb": executed.read_bytes() if executed.is_file() else None,
            "html": html.read_bytes() if html.is_file() else None,
            "metrics": published_metrics(executed) if failure is None else {},
        }


if __name__ == "__main__":
    serve(int(sys.argv[1]))
