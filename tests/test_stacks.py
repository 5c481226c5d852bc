"""Vetted stacks: a submission's pins choose the library versions its code runs on."""

from __future__ import annotations

import codecs
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from grader.errors import UserError
from grader.kata import load_kata, load_kata_file
from grader.scaffold import write_solution
from grader.session import choose_built_stack
from grader.stack_cache import StackUnavailable, ensure_built, is_built, location
from grader.stacks import INSTALLED, choose_stack, read_lock, read_pins, vetted_stacks

KATA = load_kata("shop-api")
INSTALLED_SQLALCHEMY = importlib.metadata.version("sqlalchemy")


def pins(*lines: str) -> list[Requirement]:
    return [Requirement(line) for line in lines]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig", "utf-8", "utf-32"])
def test_requirements_are_read_in_every_encoding_pip_reads(tmp_path, encoding):
    text = ("# the kit's pins\nfastapi==0.128.0\n\n"
            "SQLAlchemy[asyncio]==2.0.46  # async\n-r dev.txt\n")
    data = text.encode(encoding)
    if encoding == "utf-16-be":  # Python writes no mark for an explicit byte order: pip needs it
        data = codecs.BOM_UTF16_BE + data
    (tmp_path / "requirements.txt").write_bytes(data)
    assert [str(p) for p in read_pins(tmp_path)] == ["fastapi==0.128.0",
                                                    "SQLAlchemy[asyncio]==2.0.46"]


def test_pyproject_and_uv_lock_pins_are_read(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "shop"\ndependencies = ["fastapi>=0.120,<0.130", "not a pin!"]\n')
    (tmp_path / "uv.lock").write_text(
        'version = 1\n[[package]]\nname = "sqlalchemy"\nversion = "2.0.46"\n'
        '[[package]]\nname = "shop"\nsource = { virtual = "." }\n')
    assert sorted(str(p) for p in read_pins(tmp_path)) == ["fastapi<0.130,>=0.120",
                                                          "sqlalchemy==2.0.46"]


def test_a_linked_or_missing_pin_file_is_no_pin(tmp_path):
    (tmp_path / "elsewhere.txt").write_text("sqlalchemy==2.0.46\n")
    (tmp_path / "requirements.txt").symlink_to(tmp_path / "elsewhere.txt")
    assert read_pins(tmp_path) == []


def test_the_locks_pin_every_package_exactly():
    for stack in vetted_stacks(KATA):
        assert stack.lock is not None
        lines = [ln for ln in stack.lock.read_text().splitlines() if ln.strip()]
        assert len(read_lock(stack.lock)) == len(lines), f"{stack.id}: a line without =="
        assert {"fastapi", "sqlalchemy", "uvicorn", "alembic", "greenlet"} <= set(stack.versions)


def test_the_installed_stack_runs_what_it_honours():
    choice = choose_stack(KATA, pins("sqlalchemy>=2.0,<3", "pytest==1.0", "fastapi"))
    assert choice.stack.id == INSTALLED and choice.unhonoured == []  # pytest runs no candidate code
    assert choice.record()["packages"]["sqlalchemy"] == INSTALLED_SQLALCHEMY


def test_pins_the_installed_stack_misses_choose_the_vetted_stack_that_has_them():
    choice = choose_stack(KATA, pins("SQLAlchemy==2.0.46", "fastapi==0.128.0"))
    assert choice.stack.id == "sqlalchemy-2.0" and choice.unhonoured == []
    assert choice.record()["packages"]["fastapi"] == "0.128.0"


def test_no_stack_honours_them_all_so_the_closest_runs_and_says_what_it_missed():
    choice = choose_stack(KATA, pins("sqlalchemy==2.0.46", "fastapi==0.128.0", "uvicorn==0.1"))
    assert choice.stack.id == "sqlalchemy-2.0"
    assert choice.unhonoured == ["uvicorn==0.1 (ran 0.40.0)"]


def test_a_stack_not_to_be_had_gives_way_to_the_next_closest():
    choice = choose_stack(KATA, pins("sqlalchemy==2.0.46"), skip={"sqlalchemy-2.0"})
    assert choice.stack.id == INSTALLED or choice.stack.versions["sqlalchemy"] != "2.0.46"
    assert choice.unhonoured == [f"sqlalchemy==2.0.46 (ran {choice.stack.versions['sqlalchemy']})"]


def test_a_lock_file_that_is_not_there_is_bad_input(tmp_path):
    folder = tmp_path / KATA.id
    shutil.copytree(KATA.directory, folder, ignore=shutil.ignore_patterns("stacks"))
    with pytest.raises(UserError, match=r"field stacks\[sqlalchemy-2.1\].lock: no file"):
        load_kata_file(folder / "kata.yaml")


def test_offline_with_nothing_cached_grades_on_the_installed_stack_and_says_so(tmp_path,
                                                                                monkeypatch):
    monkeypatch.setenv("KATA_STACK_CACHE", str(tmp_path / "stacks"))
    monkeypatch.setenv("UV_CACHE_DIR", str(tmp_path / "uv-cache"))  # nothing downloaded yet
    monkeypatch.setenv("UV_OFFLINE", "1")
    (tmp_path / "requirements.txt").write_text("sqlalchemy==2.0.46\n")
    with pytest.raises(StackUnavailable, match="uv could not build it"):
        ensure_built(KATA.id, next(s for s in vetted_stacks(KATA) if s.id == "sqlalchemy-2.0"))
    choice, python = choose_built_stack(KATA, tmp_path, announce=lambda _: None)
    assert python is None and choice.stack.id == INSTALLED
    assert "the vetted stack sqlalchemy-2.0" in choice.notes[0]
    assert "could not be built" in choice.notes[0]
    assert choice.unhonoured == [f"sqlalchemy==2.0.46 (ran {INSTALLED_SQLALCHEMY})"]


@pytest.fixture(scope="module")
def stack_2_0() -> Path:
    """The sqlalchemy-2.0 stack, built in the user's cache as a grader builds it (once)."""
    stack = next(s for s in vetted_stacks(KATA) if s.id == "sqlalchemy-2.0")
    messages: list[str] = []
    python = ensure_built(KATA.id, stack, messages.append)
    assert is_built(location(KATA.id, stack))
    assert not messages or "Building the vetted stack sqlalchemy-2.0" in messages[0]
    return python


def test_a_built_stack_holds_its_lock_and_is_read_only(stack_2_0):
    folder = stack_2_0.parent.parent
    site = next(folder.glob("lib/python3.*/site-packages"))
    versions = {canonicalize_name(d.metadata["Name"]): d.version
                for d in importlib.metadata.distributions(path=[str(site)])}
    stack = next(s for s in vetted_stacks(KATA) if s.id == "sqlalchemy-2.0")
    assert versions == dict(stack.versions)
    assert not os.access(site, os.W_OK) or os.getuid() == 0  # root writes anyway: see isolate
    assert not os.stat(site).st_mode & 0o222


def test_a_submission_pinned_to_the_old_stack_runs_on_it(grade, reference, stack_2_0):
    """The candidate's own code reports the version it imported: the scorecard says the same."""
    (reference / "requirements.txt").write_bytes("SQLAlchemy==2.0.46\n".encode("utf-16"))
    tasks = reference / "tasks.py"
    check = '    import sqlalchemy\n    assert sqlalchemy.__version__ == "2.0.46"\n'
    body = "    if not email:\n"
    tasks.write_text(tasks.read_text().replace(body, check + body, 1))
    card = grade(reference, seed=5)
    assert card.stack["id"] == "sqlalchemy-2.0" and card.stack["unhonoured"] == []
    assert card.stack["packages"]["sqlalchemy"] == "2.0.46"
    assert card.score == card.max_score, [(i.id, i.reason) for i in card.items if i.reason]
    (reference / "requirements.txt").unlink()  # the same code on the installed stack
    card = grade(reference, seed=5)
    assert card.stack["id"] == INSTALLED
    if INSTALLED_SQLALCHEMY != "2.0.46":
        assert card.score < card.max_score


@pytest.mark.parametrize("command", ["check", "grade"])
def test_a_first_build_is_told_on_stderr_through_the_warm_grader(command, tmp_path, monkeypatch):
    """The warm grader builds the stack while its client waits: the client says why."""
    monkeypatch.setenv("KATA_STACK_CACHE", str(tmp_path / "empty-cache"))
    workspaces = [write_solution("shop-api", tmp_path / name).path for name in ("a", "b")]
    (workspaces[0] / "requirements.txt").write_text("sqlalchemy==2.0.46\n")
    args = [str(workspaces[0])] if command == "check" else [str(w) for w in workspaces]
    result = subprocess.run([sys.executable, "-m", "cli", command, *args, "--json", "--seed", "4"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("Building the vetted stack sqlalchemy-2.0 of shop-api") == 1
    data = json.loads(result.stdout)
    cards = [data] if command == "check" else data
    assert [card["stack"]["id"] for card in cards] == ["sqlalchemy-2.0", INSTALLED][:len(cards)]
    assert all(card["score"] == card["max"] for card in cards)
