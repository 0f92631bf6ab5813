"""Notebooks of a batch as tasks on a Dask cluster: one task per notebook report, the same bytes as a
local build (batch.py imports this module only when a scheduler is given; docs/cluster.md).

The client (``Runner``, the ``runner`` of pipeline.build) submits each notebook that needs running as one
task whose key is ``<programme>-<its fingerprint>`` (fingerprint.py): a task the scheduler still holds is
not run again, and an unchanged report is reused by the build before anything is submitted. The task
returns the executed notebook and its HTML (and the metrics it published); the client writes them into
the unit's staging folder, and the build finishes, scans and swaps the folder into place as it does
locally. A task whose worker dies is run again elsewhere by the scheduler; any other error of the task
itself is retried ``RETRIES`` times; a failing notebook is not an error of the task but its report's
failure, listed with the batch's.

Each worker runs ``WorkerKernels`` (a Dask WorkerPlugin). At set-up it checks the worker's environment
against the lock file (``JIMO_EVAL_LOCK``, default requirements.lock: every locked package installed at
its pinned version) and against the client's font files, package code and notebooks (their SHA-256), and
refuses, closing the worker, with a message naming every difference. Then it starts, per worker thread, a
*kernel host*: a child process (``python -m jimo_eval.build.cluster --serve FD``, single-threaded when it
forks the kernels' preloader, kernels.py) that runs notebooks exactly as a local build does
(pipeline.run_notebook), its kernels forked warm from its own preloader.

Inputs: with ``inputs="hash"`` (default) the client sends each input file's bytes once per batch into
the cluster (Dask moves them to each worker that needs them, once); the worker keeps them in its cache by
SHA-256 (``JIMO_EVAL_INPUT_CACHE``, default ~/.cache/jimo-eval/inputs) and puts each where the params name
it (relative to its own checkout, or the same absolute path) when it is not there yet; a different file
already there is never overwritten (the task fails saying so). With ``inputs="shared"`` the workers read
the same paths on a shared file system, and a task fails if a file's SHA-256 is not the client's.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
import os
import queue
import re
import threading
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from jimo_eval.build.fingerprint import current, discover_notebooks, package_files
from jimo_eval.build.kernel_host import KernelHost
from jimo_eval.build.notebook_form import read_committed
from jimo_eval.core.files import write_atomically
from jimo_eval.core.paths import PACKAGE_DIR, REPO_ROOT, resolve_repo_path
from jimo_eval.params import DATA_KEYS, data_path

LOCK_VARIABLE = "JIMO_EVAL_LOCK"
CACHE_VARIABLE = "JIMO_EVAL_INPUT_CACHE"
DEFAULT_LOCK = REPO_ROOT / "requirements.lock"
DEFAULT_CACHE = Path.home() / ".cache" / "jimo-eval" / "inputs"
FONTS_DIR = PACKAGE_DIR / "core" / "fonts"
PLUGIN_PREFIX = "jimo-eval-kernels-"  # + the client's environment digest: same code, same warm hosts
RETRIES = 2  # an error of the task itself (its kernel host died…); a dead worker is the scheduler's own
INPUT_MODES = ("hash", "shared")
_PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)")
logger = logging.getLogger("distributed.worker.jimo_eval")


class ClusterError(RuntimeError):
    """The cluster cannot run the batch: no worker fit to run it, or an input it cannot have."""


# --- what must be the same on every machine -----------------------------------------------------------


def locked_versions(lock: Path) -> dict[str, str]:
    """The exact pins of a lock file: name → version."""
    pins = {}
    for line in Path(lock).read_text(encoding="utf-8").splitlines():
        if match := _PIN.match(line.strip()):
            pins[match.group(1)] = match.group(2)
    return pins


def package_problems(lock: Path) -> list[str]:
    """Each locked package not installed at its pinned version, as a line."""
    problems = []
    for name, pinned in locked_versions(lock).items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = "not installed"
        if installed != pinned:
            problems.append(f"{name}: {lock} pins {pinned}, this worker has {installed}")
    return problems


def _digest(files: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name, content in sorted(files.items()):
        digest.update(name.encode() + b"\0" + hashlib.sha256(content).digest())
    return digest.hexdigest()


@functools.cache
def environment() -> dict[str, str]:
    """What makes a report's bytes and must match the client's: the font files, the package code and the
    notebooks' committed text, each as one SHA-256; read once per process, so that a worker whose files
    changed after it loaded this code is refused too (restart it)."""
    fonts = {path.name: path.read_bytes() for path in sorted(FONTS_DIR.iterdir()) if path.is_file()}
    notebooks = {spec.name: read_committed(spec.path).encode() for spec in discover_notebooks()}
    return {"fonts": _digest(fonts), "code": _digest(package_files()), "notebooks": _digest(notebooks)}


def environment_problems(expected: dict[str, str], lock: Path) -> list[str]:
    """Every way this machine differs from the client's (``expected``: its ``environment()``) and from the
    lock file: empty when the worker may run the client's notebooks."""
    problems = package_problems(lock)
    found = environment()
    words = {"fonts": "the font files", "code": "the jimo_eval package code", "notebooks": "the notebooks"}
    for key, what in words.items():
        if found[key] != expected[key]:
            problems.append(
                f"{what} differ from the client's (SHA-256 {found[key][:12]} ≠ {expected[key][:12]}): "
                "the same commit and a clean tree on both? A worker started before a change must be restarted"
            )
    return problems


# --- on the worker ---------------------------------------------------------------------------------------


def _worker_plugin_base():
    from distributed.diagnostics.plugin import WorkerPlugin

    return WorkerPlugin


class WorkerKernels(_worker_plugin_base()):
    """The Dask worker plugin: the environment check, then one kernel host per worker thread."""

    idempotent = True  # registered again with the same name (same code): the workers keep it, warm

    def __init__(self, expected: dict[str, str], lock: str | None = None):
        self.name = plugin_name(expected)
        self.expected = expected
        self.lock = lock
        self.refused: str | None = None

    async def setup(self, worker):
        lock = Path(self.lock or os.environ.get(LOCK_VARIABLE) or DEFAULT_LOCK)
        problems = await asyncio.to_thread(environment_problems, self.expected, lock)
        if problems:
            self.refused = f"worker {worker.address} refused: its environment differs:\n  " + "\n  ".join(
                problems
            )
            logger.error(self.refused)
            asyncio.get_running_loop().call_later(
                0.2, lambda: asyncio.ensure_future(worker.close(reason="jimo-eval"))
            )
            raise ClusterError(self.refused)
        for other in [
            name for name in worker.plugins if name.startswith(PLUGIN_PREFIX) and name != self.name
        ]:
            await worker.plugin_remove(other)  # an earlier client's code: its hosts go
        self.hosts: queue.Queue[KernelHost] = queue.Queue()  # made here: the plugin is pickled before
        self.started: list[KernelHost] = []
        for _ in range(worker.state.nthreads):
            host = KernelHost()
            self.started.append(host)
            self.hosts.put(host)

    async def teardown(self, worker):
        for host in getattr(self, "started", []):  # off the event loop: a host takes a moment to stop
            await asyncio.to_thread(host.stop)

    def run(self, name: str, params: dict, record: dict) -> dict:
        if self.refused:
            raise ClusterError(self.refused)
        host = self.hosts.get()
        try:
            return host.run(name, params, record)
        finally:
            if not host.alive():  # replaced, so that a retry finds a working host
                self.started.remove(host)
                host = KernelHost()
                self.started.append(host)
            self.hosts.put(host)


def plugin_name(expected: dict[str, str]) -> str:
    """The plugin's name for a client's environment: a later batch with the same code finds the workers'
    kernel hosts warm (registered idempotently); other code replaces them."""
    digest = hashlib.sha256(repr(sorted(expected.items())).encode()).hexdigest()
    return PLUGIN_PREFIX + digest[:16]


def run_task(
    plugin_name: str,
    name: str,
    params: dict,
    record: dict,
    inputs: dict[str, str],
    mode: str,
    *contents: bytes,
) -> dict:
    """The task: the inputs in place (``inputs``: configured path → SHA-256; ``contents``: their bytes in
    that order, hash mode), then the notebook on one of this worker's kernel hosts."""
    from distributed import get_worker

    plugin = get_worker().plugins.get(plugin_name)
    if plugin is None:
        raise ClusterError("the jimo-eval worker plugin is not set up on this worker")
    if plugin.refused:
        raise ClusterError(plugin.refused)
    shipped = dict(zip(inputs.values(), contents, strict=True)) if mode == "hash" else {}
    for configured, sha in inputs.items():
        place_input(configured, sha, shipped.get(sha))
    return plugin.run(name, params, record)


_verified: dict[tuple[str, int, int], str] = {}  # (path, size, mtime_ns) → SHA-256, on this worker
_placing = threading.Lock()


def place_input(configured: str, sha: str, content: bytes | None) -> None:
    """The input the params name as ``configured`` present with SHA-256 ``sha`` (module docstring)."""
    target = resolve_repo_path(configured)
    with _placing:
        found = _sha_of(target)
        if found == sha:
            return
        if found is not None:
            raise ClusterError(
                f"input {configured}: the file on this worker ({target}) differs from the client's "
                f"(SHA-256 {found[:12]} ≠ {sha[:12]}); it is not overwritten"
            )
        cached = Path(os.environ.get(CACHE_VARIABLE) or DEFAULT_CACHE) / sha
        if not cached.is_file():
            if content is None:
                raise ClusterError(
                    f"input {configured}: not found on this worker ({target}) (shared path mode)"
                )
            if hashlib.sha256(content).hexdigest() != sha:
                raise ClusterError(f"input {configured}: the bytes received do not have SHA-256 {sha[:12]}")
            cached.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(cached, content)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, cached.read_bytes())


def _sha_of(path: Path) -> str | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _verified:
        _verified[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return _verified[key]


# --- on the client ---------------------------------------------------------------------------------------


class Runner:
    """The build's ``runner`` on a Dask cluster (module docstring); a context manager holding the client."""

    def __init__(self, address: str, *, inputs: str = "hash", retries: int = RETRIES):
        if inputs not in INPUT_MODES:
            raise ValueError(f"inputs: one of {INPUT_MODES}, got {inputs!r}")
        self.address, self.mode, self.retries = address, inputs, retries
        self.client = None
        self._shipped: dict[str, object] = {}  # SHA-256 → the future of its bytes in the cluster
        self._shipping = threading.Lock()

    def __enter__(self) -> Runner:
        from distributed import Client

        from jimo_eval.build.pipeline import progress

        self.client = Client(self.address, timeout="30s")
        plugin = WorkerKernels(environment())
        self.plugin_name = plugin.name
        try:
            self.client.register_plugin(plugin, name=plugin.name)
        except ClusterError as error:  # a worker refused: it closes itself; the others may run the batch
            progress(str(error))
            self._require_a_fit_worker(str(error))
        return self

    def _require_a_fit_worker(self, refusal: str) -> None:
        workers = set(self.client.scheduler_info()["workers"])
        refused = {address for address in workers if address in refusal}
        if not workers - refused:
            raise ClusterError(f"no worker of {self.address} is fit to run the batch:\n{refusal}")

    def __exit__(self, *exc) -> None:
        self.client.close()

    def __call__(self, specs, params: dict, staging: Path, record: dict) -> list[str | None]:
        from distributed import as_completed

        from jimo_eval.build.pipeline import progress

        fingerprints, _ = current(params)
        inputs = {params["data"][key]: item["sha256"] for key, item in record["inputs"].items()}
        contents = self._ship(params, inputs) if self.mode == "hash" else []
        futures = {
            self.client.submit(
                run_task,
                self.plugin_name,
                spec.name,
                params,
                record,
                inputs,
                self.mode,
                *contents,
                key=f"{spec.name}-{fingerprints[spec.name]}",
                retries=self.retries,
            ): spec
            for spec in specs
        }
        outcomes = {}
        for future in as_completed(futures):
            spec = futures[future]
            try:
                outcomes[spec.name] = _write(future.result(), spec.name, staging)
            except Exception as error:  # noqa: BLE001 - the task failed on every try: this report fails
                outcomes[spec.name] = f"notebook {spec.path.name} could not be run on the cluster: {error}"
            progress(
                f"{params['quarter']}: {spec.name} … {'failed' if outcomes[spec.name] else 'done'} (cluster)"
            )
        return [outcomes[spec.name] for spec in specs]

    def _ship(self, params: dict, inputs: dict[str, str]) -> list:
        """The futures of the inputs' bytes in the cluster, each file sent once per batch."""
        paths = {params["data"][key]: data_path(params, key) for key in DATA_KEYS if params["data"].get(key)}
        futures = []
        with self._shipping:
            for configured, sha in inputs.items():
                if sha not in self._shipped:
                    self._shipped[sha] = self.client.scatter(paths[configured].read_bytes(), hash=False)
                futures.append(self._shipped[sha])
        return futures


def _write(result: dict, name: str, staging: Path) -> str | None:
    """The task's files into the unit's staging folder (as a local run writes them); its failure or None."""
    for suffix in ("ipynb", "html"):
        if result[suffix] is not None:
            (staging / f"{name}.{suffix}").write_bytes(result[suffix])
    return result["failure"]
