"""A Dask cluster on this machine, for the batch tests and ``make bench-batch``: ``dask scheduler`` and
``dask worker`` processes from this environment on 127.0.0.1, each in its own session (so that stopping
one stops its kernel hosts too), each logging to ``<folder>/<name>.log``. docs/cluster.md shows how to
start a real one."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

DASK = Path(sys.executable).with_name("dask")
STARTUP_SECONDS = 60
STOP_SECONDS = 5  # then SIGKILL: a worker stopping waits for its kernel hosts, which add nothing here
WORKER = ["worker", "--host", "127.0.0.1", "--nworkers", "1", "--nthreads", "1", "--no-nanny"]


class LocalCluster:
    """A scheduler now; workers with :meth:`add_worker`; everything stopped by :meth:`stop`."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.file = folder / "scheduler.json"
        self.processes: list[subprocess.Popen] = []
        self._start("scheduler", ["scheduler", "--host", "127.0.0.1", "--port", "0"])
        wait_for(self.file.is_file, "the scheduler to write its address")

    def _start(self, name: str, arguments: list[str], env: dict | None = None) -> subprocess.Popen:
        log = (self.folder / f"{name}.log").open("w")
        process = subprocess.Popen(
            [str(DASK), *arguments, "--no-dashboard", "--scheduler-file", str(self.file)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "JIMO_EVAL_INPUT_CACHE": str(self.folder / "cache"), **(env or {})},
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def add_worker(self, name: str, env: dict | None = None, wait: bool = True) -> subprocess.Popen:
        """A worker of one thread (``env`` over this environment), registered with the scheduler unless
        ``wait`` is False."""
        process = self._start(name, WORKER, env)
        if wait:
            wait_for(lambda: "Registered to" in self.log(name), f"worker {name} to register")
        return process

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")

    @property
    def address(self) -> str:
        return json.loads(self.file.read_text())["address"]

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def wait_for(condition, what: str, seconds: float = STARTUP_SECONDS) -> None:
    """Until ``condition()`` holds; TimeoutError naming ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {seconds:g} s for {what}")
        time.sleep(0.2)
