"""`kata new`: the skeleton a trainer starts from is a sound kata as made, and bad requests write
nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import grader.kata
from grader.errors import UserError
from grader.kata import load_kata, load_kata_file
from grader.mutants.run import run_mutants
from grader.newkata import create_kata
from grader.selftest import run_selftest


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    """Empty katas and solutions folders in place of the project's."""
    katas, solutions = tmp_path / "katas", tmp_path / "solutions"
    katas.mkdir()
    solutions.mkdir()
    monkeypatch.setattr(grader.kata, "KATAS_DIR", katas)
    monkeypatch.setattr(grader.kata, "SOLUTIONS_DIR", solutions)
    monkeypatch.setenv("KATA_SERVER", "0")  # graders fork from here, where the folders are
    load_kata.cache_clear()
    yield katas, solutions
    load_kata.cache_clear()


def written(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*") if path.is_file()}


def test_a_new_kata_passes_its_selftest_and_meets_its_mutation_floor(folders):
    made = create_kata("demo-kata")
    assert set(made.files) == written(made.kata_dir) | written(made.solution_dir)
    result = run_selftest("demo-kata", seeds=2)
    assert result.ok, [line.text for line in result.lines if not line.ok]
    assert sum(line.text.startswith("reference scores 100/100") for line in result.lines) == 2
    report = run_mutants("demo-kata", jobs=2, seed=7)
    assert report.ok, report.problems
    assert report.made == len(report.graded) > 0
    assert report.killed == report.judged == report.made
    # Killed by the checks, not by a fork server that died (a crash also counts as a kill).
    crashed = [g.reason for g in report.graded if "sandbox" in (g.reason or "")
               or "process vanished" in (g.reason or "")]
    assert not crashed, f"the fork server died during the mutation run: {crashed[0]}"


def test_the_kata_yaml_loads_with_the_title_given(folders):
    title = 'Words: "counted" & sorted'
    made = create_kata("word-count", title=title)
    kata = load_kata_file(made.spec)
    assert (kata.id, kata.title) == ("word-count", title)
    assert len(kata.parts) == 1 and len(kata.layouts) == 1
    (item,) = kata.checklist
    assert item.mode == "auto" and item.points == kata.max_points == 100
    assert [(region.file, region.function) for region in item.mutate] == [
        ("tasks.py", "count_words")]
    assert kata.mutation.floor == 0.9 and not kata.mutation.equivalent
    assert (made.solution_dir / "tasks.py").is_file()
    assert create_kata("demo").spec.read_text().count("title: \"Demo\"") == 1


@pytest.mark.parametrize("bad", ["", "Demo", "-demo", "demo_kata", "demo kata", "../demo",
                                 "demo\n", "démo"])
def test_a_bad_id_is_refused(folders, bad):
    with pytest.raises(UserError, match=r"^'.*' is no kata id: use lower-case letters"):
        create_kata(bad)
    assert not [path for folder in folders for path in folder.iterdir()]


@pytest.mark.parametrize("existing", ["katas", "solutions"])
def test_an_existing_kata_is_refused_and_nothing_written(folders, existing):
    katas, solutions = folders
    taken = (katas if existing == "katas" else solutions) / "demo-kata"
    taken.mkdir()
    with pytest.raises(UserError, match=r"demo-kata already exists: pick another id"):
        create_kata("demo-kata")
    assert [path for folder in folders for path in folder.rglob("*")] == [taken]


def test_a_title_is_one_line(folders):
    with pytest.raises(UserError, match="one line of text"):
        create_kata("demo", title="Two\nlines")
    assert not [path for folder in folders for path in folder.iterdir()]


def test_kata_new_from_the_command_line(folders):
    from typer.testing import CliRunner

    from cli import app

    made = CliRunner().invoke(app, ["new", "demo-cli", "--title", "Demo", "--json"])
    assert made.exit_code == 0, made.output
    data = json.loads(made.stdout)
    assert data["kata"] == "demo-cli" and Path(data["kata_dir"], "kata.yaml").is_file()
    again = CliRunner().invoke(app, ["new", "demo-cli"])
    assert again.exit_code == 2
    (line,) = again.output.strip().splitlines()
    assert line == f"error: {data['kata_dir']} already exists: pick another id, or remove it first"
