"""The engine's probes of what an app did beside its answers: the files it wrote in a folder the
layout declares (`{folders[NAME]}`), read safely, and the memory its process holds. A kata of
this test's own uses them, so each probe is seen telling a right app from a wrong one."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import earned

import grader.kata
from grader.kata import load_kata
from grader.scaffold import start_workspace
from grader.selftest import SelftestResult, check_starter

KATA = """\
id: probe
title: Probes
summary: An app that stores what it is sent, and holds memory when asked.
level: junior
parts: [{id: task, title: Task, minutes: [5, 5], work: Store the files.}]
checklist:
  - {id: files.stored, text: Each upload lands in the upload folder, points: 50,
     checks: [test_probes.py::test_files_land_in_the_upload_folder]}
  - {id: memory.bounded, text: The app holds no more than 32 MiB more, points: 50,
     checks: [test_probes.py::test_memory_stays_bounded]}
layouts:
  scaffold:
    detect: [app/main.py]
    app: app.main:app
    databases: [none]
    folders: [uploads]
    env:
      none: {UPLOAD_DIR: "{folders[uploads]}"}
"""

CHECKS = '''
import os
import secrets


def test_files_land_in_the_upload_folder(api, candidate):
    assert set(candidate.folders) == {"uploads"}
    body = secrets.token_bytes(64)
    assert api.put("/files/one", content=body).status_code == 200
    run = candidate.folders["uploads"].parent.parent
    names = [str(path) for path in candidate.list_files(run)]
    assert "folders/uploads/one" in names, names
    assert candidate.read_file(candidate.folders["uploads"] / "one") == body


def test_memory_stays_bounded(api, candidate):
    before = candidate.app_memory()
    assert before is not None and before.rss > 0 and before.peak >= before.rss
    assert api.post("/hold").status_code == 200
    after = candidate.app_memory()
    assert after.peak - before.peak < 32 << 20, (before, after)
'''

APP = '''
import os
from pathlib import Path

from fastapi import FastAPI, Request

app = FastAPI()
HELD = []


@app.put("/files/{{name}}")
async def store(name: str, request: Request):
    Path(os.environ["UPLOAD_DIR"], {target}).write_bytes(await request.body())
    return {{"ok": True}}


@app.post("/hold")
def hold():
    HELD.append(b"x" * ({megabytes} << 20))
    return {{"held": len(HELD)}}
'''


@pytest.fixture
def probe_kata(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    katas = tmp_path / "katas"
    (katas / "probe" / "checks").mkdir(parents=True)
    (katas / "probe" / "starter" / "app").mkdir(parents=True)
    (katas / "probe" / "kata.yaml").write_text(KATA)
    (katas / "probe" / "checks" / "test_probes.py").write_text(CHECKS)
    (katas / "probe" / "starter" / "app" / "main.py").write_text(
        textwrap.dedent(APP.format(target="name", megabytes=1)))
    monkeypatch.setattr(grader.kata, "KATAS_DIR", katas)
    monkeypatch.setenv("KATA_SERVER", "0")  # graders fork from here, where the folders are
    load_kata.cache_clear()
    yield katas / "probe"
    load_kata.cache_clear()


def workspace(tmp_path: Path, name: str, *, target: str, megabytes: int) -> Path:
    path = start_workspace("probe", tmp_path / name).path
    (path / "app" / "main.py").write_text(APP.format(target=target, megabytes=megabytes))
    return path


def test_a_right_app_passes_both_probes(probe_kata, tmp_path, grade):
    card = grade(workspace(tmp_path, "right", target="name", megabytes=1))
    assert earned(card) == {"files.stored": 50, "memory.bounded": 50}, card.items


def test_a_file_written_elsewhere_and_memory_held_are_both_seen(probe_kata, tmp_path, grade):
    card = grade(workspace(tmp_path, "wrong", target='"../" + name', megabytes=64))
    assert earned(card) == {"files.stored": 0, "memory.bounded": 0}, card.items
    stored = next(item for item in card.items if item.id == "files.stored")
    assert "folders/one" in (stored.reason or ""), stored.reason


def test_selftest_asks_a_starter_for_exactly_the_items_it_passes_by_design(probe_kata, tmp_path,
                                                                           grade):
    card = grade(start_workspace("probe", tmp_path / "starter").path)  # a right app as given
    spec = probe_kata / "kata.yaml"
    verdicts = {}
    for by_design in ((), ("files.stored",), ("files.stored", "memory.bounded")):
        text = KATA
        for item in by_design:
            text = text.replace(f"{{id: {item},", f"{{id: {item}, starter_passes: true,")
        spec.write_text(text)
        load_kata.cache_clear()
        result = SelftestResult("probe")
        check_starter(load_kata("probe"), card, result)
        verdicts[by_design] = [(line.ok, line.text) for line in result.lines]
    assert verdicts[()] == [(False, "the untouched starter earns points on files.stored, "
                                    "memory.bounded")]
    assert verdicts[("files.stored",)][0] == (
        False, "the untouched starter earns points on memory.bounded")
    assert verdicts[("files.stored", "memory.bounded")] == [
        (True, "the untouched starter scores 0 on every other item"),
        (True, "the untouched starter passes files.stored, memory.bounded by design")]
