"""The warm kernel server (build/kernels.py): one per environment, shared by the builds run in it, kernels
with the caller's working directory and environment, gone when idle."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from jimo_eval.build import kernels

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="warm servers are Linux-only")

# Asks the warm server for one kernel (as a build does), runs a cell in it and prints what the kernel saw.
PROBE = textwrap.dedent(
    """
    import json, os, sys, tempfile
    import nbformat
    from nbclient import NotebookClient
    from jimo_eval.build import kernels

    assert kernels.start_preloader()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import json, os; print(json.dumps([os.getppid(), os.getcwd(), os.environ.get('PWD')]))"
    )])
    with tempfile.TemporaryDirectory() as runtime:
        NotebookClient(nb, kernel_manager_class=kernels.manager_class(runtime), timeout=120).execute()
    print(nb.cells[0].outputs[0]["text"].strip())
    """
)


def probe(cwd: Path, env: dict) -> tuple[int, str, str]:
    """(server pid, kernel's cwd, kernel's PWD) of one kernel asked for from ``cwd`` with ``env``."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=cwd, env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr[-3000:]
    server, kernel_cwd, pwd = json.loads(done.stdout.strip().splitlines()[-1])
    return server, kernel_cwd, pwd


def gone(pid: int) -> bool:
    """Whether the process has exited (a zombie waiting for a parent that does not reap counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in {"Z", "X"}


def wait_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if gone(pid):
            return True
        time.sleep(0.1)
    return gone(pid)


@pytest.fixture
def warm_env():
    """The test's environment with warm servers on, and a variable of its own so that its servers are its
    own (another environment key); every server it saw is stopped at the end."""
    env = {**os.environ, kernels.WARM_SECONDS_VARIABLE: "60", "JIMO_EVAL_TEST_RUN": uuid.uuid4().hex}
    servers: set[int] = set()
    yield env, servers
    for pid in servers:
        if not gone(pid):
            os.kill(pid, signal.SIGTERM)
            assert wait_gone(pid, 10), f"warm server {pid} did not stop on SIGTERM"


def test_builds_in_one_environment_share_one_server_with_their_own_cwd_and_variables(tmp_path, warm_env):
    env, servers = warm_env
    first_dir, second_dir = tmp_path / "one", tmp_path / "two"
    first_dir.mkdir()
    second_dir.mkdir()
    first = probe(first_dir, {**env, "PWD": "first"})
    servers.add(first[0])
    second = probe(second_dir, {**env, "PWD": "second"})  # PWD is volatile: the same key
    servers.add(second[0])
    assert first[0] == second[0], "the second build started another server"
    assert first[1:] == (str(first_dir), "first")
    assert second[1:] == (str(second_dir), "second"), "the kernel kept the first caller's cwd/environment"
    other = probe(first_dir, {**env, "JIMO_EVAL_TEST_OTHER": "1"})  # another environment: another server
    servers.add(other[0])
    assert other[0] != first[0]


def test_an_idle_server_exits(tmp_path, warm_env):
    env, servers = warm_env
    server, _, _ = probe(tmp_path, {**env, kernels.WARM_SECONDS_VARIABLE: "1"})
    servers.add(server)
    assert wait_gone(server, 15), "the warm server outlived its idle time"


def test_per_build_preloader_when_warm_servers_are_off(tmp_path):
    env = {**os.environ, kernels.WARM_SECONDS_VARIABLE: "0", "PWD": "mine"}
    server, kernel_cwd, pwd = probe(tmp_path, env)
    assert gone(server), "the preloader outlived its build"
    assert (kernel_cwd, pwd) == (str(tmp_path), "mine")


def test_environment_key_follows_files_and_variables_but_not_volatile_ones(tmp_path, monkeypatch):
    (tmp_path / "module.py").write_text("x = 1\n")
    key = kernels.environment_key(tmp_path)
    monkeypatch.setenv("PWD", "/elsewhere")
    monkeypatch.setenv("MAKEFLAGS", "-j2")
    assert kernels.environment_key(tmp_path) == key
    os.utime(tmp_path / "module.py", ns=(0, 10**9))
    touched = kernels.environment_key(tmp_path)
    assert touched != key
    monkeypatch.setenv("JIMO_EVAL_TEST_VARIABLE", "1")
    assert kernels.environment_key(tmp_path) != touched


def test_a_wrong_idle_time_is_named(monkeypatch):
    monkeypatch.setenv(kernels.WARM_SECONDS_VARIABLE, "ten minutes")
    with pytest.raises(ValueError, match=kernels.WARM_SECONDS_VARIABLE):
        kernels.warm_seconds()


def test_a_kernel_starts_on_its_own_when_no_server_answers(tmp_path):
    """A warm server that went idle just after a build found it: the build's kernels start as usual."""
    code = PROBE.replace(
        "assert kernels.start_preloader()",
        f"kernels._active = (None, '@jimo-eval-warm-nobody-{uuid.uuid4().hex}')",
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "starting an ordinary kernel" in done.stderr
    _, kernel_cwd, _ = json.loads(done.stdout.strip().splitlines()[-1])
    assert kernel_cwd == str(tmp_path)
