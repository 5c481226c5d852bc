"""The CLI as a user meets it: exit codes, one readable line for bad input, JSON on request."""

from __future__ import annotations

import glob
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from grader.kata import kata_ids
from grader.sandbox import cgroup
from grader.sandbox.policy import UID_BASE
from grader.scoring import SCHEMA


def kata(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
    return subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=180)


def assert_bad_input(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for word in words:
        assert word in lines[0], lines[0]


def test_unknown_kata(tmp_path):
    assert_bad_input(kata("show", "no-such-kata"), "unknown kata", "shop-api")
    assert_bad_input(kata("start", "no-such-kata", str(tmp_path / "ws")), "unknown kata")


def test_missing_path():
    assert_bad_input(kata("check", "/nonexistent/workspace"), "does not exist")


def test_folder_that_is_not_a_workspace(tmp_path):
    assert_bad_input(kata("check", str(tmp_path)), "not a kata workspace", "--kata")


def test_workspace_of_another_kata(tmp_path):
    marker = tmp_path / ".kata" / "workspace.json"
    marker.parent.mkdir()
    marker.write_text(json.dumps({"kata_id": "user-api", "layout": "scaffold"}))
    assert_bad_input(kata("grade", str(tmp_path), "--kata", "shop-api"),
                     "workspace of kata 'user-api'")


def test_start_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    assert_bad_input(kata("start", "shop-api", str(tmp_path)), "not empty")
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_broken_archive(tmp_path):
    archive = tmp_path / "candidate.zip"
    archive.write_bytes(b"this is not a zip file")
    assert_bad_input(kata("grade", str(archive), "--kata", "shop-api"), "not a readable archive")


def test_zip_slip_archive_is_rejected(tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("../../escaped.txt", "gotcha")
    assert_bad_input(kata("grade", str(archive), "--kata", "shop-api"), "escapes the archive")
    assert not (tmp_path.parent / "escaped.txt").exists()


def test_list_and_show_as_json():
    listed = {k["id"]: k for k in json.loads(kata("list", "--json").stdout)}
    assert sorted(listed) == kata_ids()
    assert listed["shop-api"]["minutes"] == [60, 75] and listed["shop-api"]["points"] == 100
    shown = json.loads(kata("show", "shop-api", "--json").stdout)
    assert sum(i["points"] for i in shown["checklist"] if i["mode"] == "auto") == 100


@pytest.fixture(scope="module")
def solved(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("cli") / "ref"
    assert kata("solution", "shop-api", str(target)).returncode == 0
    return target


def test_check_json_schema_and_min_score(solved):
    result = kata("check", str(solved), "--json", "--seed", "9", "--min-score", "100")
    assert result.returncode == 0, result.stderr
    card = json.loads(result.stdout)
    assert card["schema"] == SCHEMA and card["seed"] == 9 and card["score"] == 100
    assert card["isolation"][0] == "process boundary"
    assert {"checks", "total"} <= set(card["durations"])
    item = card["items"][0]
    assert {"id", "points", "earned", "status", "checks", "reason"} <= set(item)
    assert kata("grade", str(solved), "--json", "--min-score", "101").returncode == 1


def test_check_prints_the_checklist(solved):
    result = kata("check", str(solved), "--seed", "4")
    assert result.returncode == 0, result.stderr
    assert "Score: 100/100" in result.stdout
    assert "Category model has id, name and relationship" in result.stdout
    assert "for the interviewer" in result.stdout
    assert "\x1b[" not in result.stdout, "NO_COLOR must be honoured"


def test_start_then_check_the_starter(tmp_path):
    workspace = tmp_path / "ws"
    started = kata("start", "shop-api", str(workspace))
    assert started.returncode == 0, started.stderr
    assert (workspace / "README.md").is_file() and (workspace / "tasks.py").is_file()
    assert not (workspace / "checks").exists() and not (workspace / "docker-compose.yml").exists()
    card = json.loads(kata("check", str(workspace), "--json").stdout)
    assert card["score"] == 0 and card["planned_minutes"] == [60, 75]


def _sandboxes() -> set[str]:
    """Sandbox folders, the fork server's own (its control socket and log), and the cgroups
    of submissions (as root: grader/sandbox/cgroup.py)."""
    folders = {path for pattern in ("kata-sb-*", "kata-host-*")
               for path in glob.glob(os.path.join(tempfile.gettempdir(), pattern))}
    for parent in (cgroup.parent_folders() or {}).values():
        folders.update(glob.glob(str(parent / "katabench-*")))
    return folders


def _sandbox_processes() -> list[str]:
    out = subprocess.run(["ps", "-eo", "uid=,pid="], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if int(line.split()[0]) >= UID_BASE]


def _grading(workspace: Path) -> subprocess.Popen[str]:
    """A `kata check` caught while its candidate processes run (not those of an earlier check
    that the fork server is still reaping)."""
    folders, processes = _sandboxes(), set(_sandbox_processes())
    grader = subprocess.Popen([sys.executable, "-m", "cli", "check", str(workspace), "--json"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (
            _sandboxes() - folders and set(_sandbox_processes()) - processes):
        time.sleep(0.01)
    assert _sandboxes() - folders, "grading never started"
    assert grader.poll() is None, "graded before it could be interrupted"
    return grader


def test_a_killed_grader_leaves_nothing_behind(solved):
    before = _sandboxes()
    grader = _grading(solved)
    grader.kill()
    grader.wait()
    deadline = time.monotonic() + 10
    while (_sandboxes() - before or _sandbox_processes()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _sandboxes() - before, "a sandbox or fork server folder outlived the grader"
    assert not _sandbox_processes(), "candidate processes outlived the grader"


def test_ctrl_c_exits_130_without_a_traceback(solved):
    grader = _grading(solved)
    grader.send_signal(signal.SIGINT)
    _, stderr = grader.communicate(timeout=15)
    assert grader.returncode == 130, stderr
    assert "Traceback" not in stderr


def test_stacks_lists_the_installed_and_the_vetted_stacks(tmp_path, monkeypatch):
    monkeypatch.setenv("KATA_STACK_CACHE", str(tmp_path / "empty-cache"))
    listed = kata("stacks", "shop-api", "--json")
    table = kata("stacks")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [row["id"] for row in rows] == ["installed", "sqlalchemy-2.1", "sqlalchemy-2.0"]
    assert [row["built"] for row in rows] == [True, False, False]  # nothing in an empty cache
    assert rows[2]["packages"]["sqlalchemy"] == "2.0.46"
    assert table.returncode == 0 and "sqlalchemy 2.0.46" in table.stdout
    assert_bad_input(kata("stacks", "no-such-kata"), "unknown kata")
