"""`kata check` and `kata grade` keep their servers (the fork server and the warm grader) warm
between commands: found again, replaced when killed, gone when idle, never used from a folder
that is not private, and off with KATA_SERVER=0."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from grader.sandbox.warm import version_key
from tests.conftest import forks_of, warm_servers


@pytest.fixture
def runtime() -> Iterator[Path]:
    """A short path: pytest's own temporary folders would not fit a socket path."""
    folder = Path(tempfile.mkdtemp(prefix="kata-rt-"))
    yield folder
    for pid in warm_servers(folder):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    shutil.rmtree(folder, ignore_errors=True)


def check(workspace: Path | str, runtime: Path, cwd: Path | None = None, **env: str) -> float:
    """The score of `kata check`, run with its warm servers under `runtime`."""
    result = subprocess.run(
        [sys.executable, "-m", "cli", "check", str(workspace), "--json", "--seed", "3"],
        capture_output=True, text=True, timeout=120, cwd=cwd,
        env={**os.environ, "XDG_RUNTIME_DIR": str(runtime), **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["score"]


def grade(workspaces: list[Path], runtime: Path, **env: str) -> subprocess.Popen[str]:
    """`kata grade` of `workspaces` one at a time, started with its warm servers under `runtime`."""
    return subprocess.Popen(
        [sys.executable, "-m", "cli", "grade", *map(str, workspaces), "--json", "--seed", "3",
         "--jobs", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "XDG_RUNTIME_DIR": str(runtime), **env})


def scores(grading: subprocess.Popen[str]) -> list[float]:
    out, err = grading.communicate(timeout=180)
    assert grading.returncode == 0, err
    return [card["score"] for card in json.loads(out)]


def wait_until(condition: object, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def doctor(runtime: Path) -> dict[str, object]:
    result = subprocess.run([sys.executable, "-m", "cli", "doctor", "--json"],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "XDG_RUNTIME_DIR": str(runtime)})
    return json.loads(result.stdout)["warm_servers"]["running"]


def test_checks_share_the_warm_servers(reference, runtime):
    assert doctor(runtime) == {"server": False, "grader": False}
    assert check(reference, runtime) == 100
    servers = warm_servers(runtime)
    assert len(servers) == 2 and len(warm_servers(runtime, "grader.sock")) == 1
    assert doctor(runtime) == {"server": True, "grader": True}
    assert check(reference, runtime) == 100
    assert warm_servers(runtime) == servers


def test_starting_the_servers_says_nothing_even_with_warnings_as_errors(reference, runtime):
    result = subprocess.run(
        [sys.executable, "-X", "dev", "-m", "cli", "check", str(reference), "--json"],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "XDG_RUNTIME_DIR": str(runtime), "PYTHONWARNINGS": "error"})
    assert result.returncode == 0 and json.loads(result.stdout)["score"] == 100
    assert result.stderr == ""
    assert len(warm_servers(runtime)) == 2


def test_the_warm_grader_checks_in_the_clients_folder(reference, runtime):
    assert check(reference, runtime) == 100
    assert check(".", runtime, cwd=reference) == 100


@pytest.mark.parametrize("kind", ["server.sock", "grader.sock"])
def test_a_killed_server_is_replaced(reference, runtime, kind):
    assert check(reference, runtime) == 100
    (killed,) = warm_servers(runtime, kind)
    os.kill(killed, signal.SIGKILL)
    assert wait_until(lambda: killed not in warm_servers(runtime))
    assert check(reference, runtime) == 100  # its socket file is left behind: not a server
    (server,) = warm_servers(runtime, kind)
    assert server != killed


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_without_its_zygote_the_fork_server_forks_the_tasks_server_itself(reference, runtime):
    assert check(reference, runtime) == 100
    (server,) = warm_servers(runtime, "server.sock")
    (zygote,) = forks_of(server, runtime)
    time.sleep(2)  # the last stage, imported once idle
    os.kill(zygote, signal.SIGKILL)
    before = _cpu_seconds(server)
    time.sleep(1)
    assert _cpu_seconds(server) - before < 0.2, "the server spins on the zygote's closed pipe"
    assert check(reference, runtime) == 100
    assert forks_of(server, runtime) == []


def test_an_idle_server_leaves(reference, runtime):
    assert check(reference, runtime, KATA_SERVER_IDLE="0.5") == 100
    assert wait_until(lambda: not warm_servers(runtime)), "the idle server did not leave"
    assert not list(runtime.glob("kata-server-*/*.sock"))


def test_turned_off_no_server_stays(reference, starter, runtime):
    assert check(reference, runtime, KATA_SERVER="0") == 100
    assert scores(grade([reference, starter], runtime, KATA_SERVER="0")) == [100, 0]
    assert not warm_servers(runtime)


def test_a_socket_path_too_long_for_the_runtime_folder_goes_to_tmp(reference, runtime):
    deep, tmp = runtime / ("d" * 90), runtime / "tmp"
    deep.mkdir(mode=0o700)
    tmp.mkdir(mode=0o755)
    runtime.chmod(0o711)  # sandbox folders go to TMPDIR too: their uid must pass through
    assert check(reference, deep, TMPDIR=str(tmp)) == 100
    assert len(warm_servers(tmp)) == 2


def test_a_folder_that_is_not_private_is_not_used(reference, runtime):
    folder = runtime / f"kata-server-{os.getuid()}-{version_key()}"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)  # as another user's mistake or trap would leave it
    assert check(reference, runtime) == 100  # graded with a server of its own instead
    assert not warm_servers(runtime)
    assert not list(folder.glob("*.sock"))


def test_a_grader_that_dies_mid_check_is_replaced_by_a_local_one(reference, runtime):
    assert check(reference, runtime) == 100
    (server,) = warm_servers(runtime, "grader.sock")
    checking = subprocess.Popen(
        [sys.executable, "-m", "cli", "check", str(reference), "--json", "--seed", "3"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "XDG_RUNTIME_DIR": str(runtime)})

    assert wait_until(lambda: forks_of(server, runtime)), "the warm grader never forked a grader"
    os.kill(forks_of(server, runtime)[0], signal.SIGKILL)
    out, err = checking.communicate(timeout=120)
    assert checking.returncode == 0, err
    assert json.loads(out)["score"] == 100


def test_each_checkout_and_each_change_has_its_own_servers(tmp_path, monkeypatch):
    from grader.sandbox import warm

    original = version_key()
    copies = tuple(tmp_path / root.name for root in warm._SOURCES)
    for root, copy in zip(warm._SOURCES, copies, strict=True):
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(warm, "_SOURCES", copies)
    moved = version_key()
    assert moved != original  # the same files elsewhere: its servers load that checkout's katas
    kata = tmp_path / "katas" / "shop-api" / "kata.yaml"
    kata.write_text(kata.read_text() + "\n# edited\n")
    assert version_key() != moved


def test_the_interpreter_through_another_link_shares_the_servers(tmp_path, monkeypatch):
    """`kata` runs python3.11 and `python -m cli` runs python: the same interpreter."""
    original = version_key()
    link = tmp_path / "python-link"
    link.symlink_to(sys.executable)
    monkeypatch.setattr(sys, "executable", str(link))
    assert version_key() == original


@pytest.mark.parametrize("args", [["check", "{ws}"], ["grade", "{ws}", "--kata", "shop-api"],
                                  ["doctor"]])
def test_a_bad_idle_setting_is_bad_input(reference, runtime, args):
    result = subprocess.run(
        [sys.executable, "-m", "cli", *(arg.format(ws=reference) for arg in args)],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "XDG_RUNTIME_DIR": str(runtime), "KATA_SERVER_IDLE": "soon"})
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == (
        "error: KATA_SERVER_IDLE must be a number of seconds above 0, not 'soon'")
    assert not warm_servers(runtime)


def test_a_batch_goes_to_the_warm_grader_and_survives_losing_it(reference, starter, runtime,
                                                                 tmp_path):
    """Each submission is graded by a fork of the warm grader; killed with its forked grader
    mid-batch, the submission it held is graded again and the rest go on."""
    assert check(reference, runtime) == 100
    (server,) = warm_servers(runtime, "grader.sock")
    grading = grade([reference, starter, shutil.copytree(reference, tmp_path / "copy")], runtime)
    assert wait_until(lambda: forks_of(server, runtime)), "the warm grader never forked a grader"
    for pid in [server, *forks_of(server, runtime)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    assert scores(grading) == [100, 0, 100]
