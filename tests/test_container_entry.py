"""The image's entry script (scripts/container-entry), run outside a container: no container
engine runs on these machines, so this tests the script, not the image. Each pod of the
Indexed Job grades the shard its JOB_COMPLETION_INDEX names, and the merge Job joins them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from grader.scaffold import start_workspace

ENTRY = Path(__file__).resolve().parent.parent / "scripts" / "container-entry"


def entry(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    return subprocess.run([str(ENTRY), *args], capture_output=True, text=True,
                          env={**os.environ, "PATH": path, **env})


def test_each_pod_grades_its_shard_and_the_merge_joins_them(tmp_path: Path) -> None:
    starter = start_workspace("shop-api", tmp_path / "starter").path
    submissions = tmp_path / "submissions"
    for number in range(4):
        folder = Path(shutil.copytree(starter, submissions / f"candidate-{number}"))
        (folder / "notes.txt").write_text(str(number))
    reports = tmp_path / "reports"
    common = {"KATA_SHARDS": "3", "KATA_KATA": "shop-api", "KATA_SEED": "7",
              "KATA_SUBMISSIONS": str(submissions), "KATA_REPORTS": str(reports)}
    for index in range(3):
        done = entry("grade", JOB_COMPLETION_INDEX=str(index), **common)
        assert done.returncode == 0, done.stderr
    batches = [json.loads((reports / f"shard-{k}" / "summary.json").read_text())["batch"]
               for k in (1, 2, 3)]
    assert [batch["shard"] for batch in batches] == ["1/3", "2/3", "3/3"]
    assert {batch["seed"] for batch in batches} == {7}
    merged = entry("merge", KATA_REPORTS=str(reports))
    assert merged.returncode == 0, merged.stderr
    summary = json.loads((reports / "merged" / "summary.json").read_text())
    assert summary["counts"]["submissions"] == 4
    assert (reports / "merged" / "summary.junit.xml").is_file()


def test_grade_outside_an_indexed_job_says_what_is_missing(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "JOB_COMPLETION_INDEX"}
    done = subprocess.run([str(ENTRY), "grade"], capture_output=True, text=True, env=env)
    assert done.returncode != 0
    assert "grade runs as a pod of an Indexed Job, which sets it" in done.stderr


def test_any_other_arguments_are_kata_commands() -> None:
    done = entry("doctor", "--json")
    assert done.returncode == 0, done.stderr
    assert "netns" in json.loads(done.stdout)
